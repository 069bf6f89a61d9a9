#include "connectors/feed/feed_text.h"

#include <cctype>

#include "core/content_hash.h"

namespace earshot {

std::string NormaliseLanguage(std::string_view tag) {
  std::string out;
  for (char c : tag) {
    if (!std::isalpha(static_cast<unsigned char>(c))) break;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out.size() == 2 || out.size() == 3 ? out : "";
}

std::string FallbackItemId(const Mention& m, std::string_view date_text) {
  return "hash:" + ContentHash(m.title + "\n" + std::string(date_text) + "\n" + m.text);
}

}  // namespace earshot
