#include "store/author_key.h"

#include <cctype>

#include "store/store.h"

namespace earshot {

std::string AuthorKey(const Author& a) {
  if (!a.id.empty()) return "id:" + a.id;
  if (!a.handle.empty()) return "handle:" + a.handle;
  if (!a.name.empty()) return "name:" + a.name;
  return "";
}

std::string CustomerKey(const Mention& m) {
  std::string key = AuthorKey(m.author);
  return key.empty() ? key : m.platform + ":" + key;
}

std::string IdentityKey(const std::string& platform, const std::string& handle) {
  std::string h = handle;
  if (!h.empty() && h[0] == '@') h.erase(0, 1);
  if (h.empty()) return "";
  std::string key = platform + ":" + h;
  for (char& c : key)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key;
}

}  // namespace earshot
