#include "connectors/feed/feed_parser.h"

#include <cctype>

#include "connectors/feed/json_feed.h"
#include "connectors/feed/xml_feed.h"

namespace earshot {
namespace {

std::string CharsetOf(std::string_view content_type) {
  std::string lower(content_type);
  for (auto& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t pos = lower.find("charset=");
  if (pos == std::string::npos) return "";
  std::string charset = lower.substr(pos + 8);
  if (auto end = charset.find_first_of("; "); end != std::string::npos) charset.resize(end);
  if (!charset.empty() && charset.front() == '"') charset = charset.substr(1, charset.size() - 2);
  return charset;
}

}  // namespace

Result<ParsedFeed> ParseFeed(std::string_view body, const std::string& source,
                             std::string_view content_type) {
  std::string_view trimmed = body;
  if (trimmed.rfind("\xEF\xBB\xBF", 0) == 0) trimmed.remove_prefix(3);
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.front()))) {
    trimmed.remove_prefix(1);
  }
  if (trimmed.empty()) return Status::ParseError("empty body");
  if (trimmed.front() == '{') return ParseJsonFeed(trimmed, source);
  return ParseXmlFeed(body, source, CharsetOf(content_type));
}

}  // namespace earshot
