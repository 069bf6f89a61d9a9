#include "connectors/hackernews/hackernews_cursor.h"

#include <charconv>
#include <vector>

namespace earshot {
namespace {

std::optional<int64_t> ParseSeconds(std::string_view s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

}  // namespace

std::string FormatHackerNewsPosition(const HackerNewsPosition& p) {
  if (!p.upper) return std::to_string(p.newest);
  return std::to_string(p.since) + ":" + std::to_string(*p.upper) + ":" + std::to_string(p.newest);
}

std::optional<HackerNewsPosition> ParseHackerNewsPosition(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t colon = text.find(':', start);
    parts.push_back(text.substr(start, colon == std::string_view::npos ? colon : colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  HackerNewsPosition p;
  if (parts.size() == 1) {
    auto newest = ParseSeconds(parts[0]);
    if (!newest) return std::nullopt;
    p.since = p.newest = *newest;
    return p;
  }
  if (parts.size() != 3) return std::nullopt;
  auto since = ParseSeconds(parts[0]), upper = ParseSeconds(parts[1]),
       newest = ParseSeconds(parts[2]);
  if (!since || !upper || !newest || *upper < *since || *newest < *since) return std::nullopt;
  p.since = *since;
  p.upper = *upper;
  p.newest = *newest;
  return p;
}

}  // namespace earshot
