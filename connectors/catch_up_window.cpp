#include "connectors/catch_up_window.h"

#include <charconv>
#include <vector>

namespace earshot {
namespace {

std::optional<int64_t> ParseValue(std::string_view s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

}  // namespace

std::string FormatCatchUpWindow(const CatchUpWindow& w) {
  if (!w.upper) return std::to_string(w.newest);
  std::string out =
      std::to_string(w.since) + ":" + std::to_string(*w.upper) + ":" + std::to_string(w.newest);
  if (w.page > 0) out += ":" + std::to_string(w.page);
  return out;
}

std::optional<CatchUpWindow> ParseCatchUpWindow(std::string_view text) {
  std::vector<std::optional<int64_t>> parts;
  size_t start = 0;
  while (parts.size() < 5) {
    const size_t colon = text.find(':', start);
    parts.push_back(
        ParseValue(text.substr(start, colon == std::string_view::npos ? colon : colon - start)));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  for (const auto& p : parts) {
    if (!p) return std::nullopt;
  }
  CatchUpWindow w;
  if (parts.size() == 1) {
    w.since = w.newest = *parts[0];
    return w;
  }
  if (parts.size() != 3 && parts.size() != 4) return std::nullopt;
  w.since = *parts[0];
  w.upper = *parts[1];
  w.newest = *parts[2];
  if (parts.size() == 4) w.page = *parts[3];
  if (*w.upper < w.since || w.newest < w.since) return std::nullopt;
  return w;
}

}  // namespace earshot
