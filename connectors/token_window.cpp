#include "connectors/token_window.h"

#include <charconv>

namespace earshot {
namespace {

std::optional<int64_t> ParseValue(std::string_view s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

}  // namespace

std::string FormatTokenWindow(const TokenWindow& w) {
  if (!w.resuming) return std::to_string(w.newest);
  return std::to_string(w.since) + ":" + std::to_string(w.newest) + ":" + std::to_string(w.target) +
         ":" + w.token;
}

std::optional<TokenWindow> ParseTokenWindow(std::string_view text) {
  TokenWindow w;
  const size_t first = text.find(':');
  if (first == std::string_view::npos) {
    auto v = ParseValue(text);
    if (!v) return std::nullopt;
    w.since = w.newest = *v;
    return w;
  }
  const size_t second = text.find(':', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  const size_t third = text.find(':', second + 1);
  if (third == std::string_view::npos) return std::nullopt;
  auto since = ParseValue(text.substr(0, first));
  auto newest = ParseValue(text.substr(first + 1, second - first - 1));
  auto target = ParseValue(text.substr(second + 1, third - second - 1));
  if (!since || !newest || !target || *newest < *since) return std::nullopt;
  w.since = *since;
  w.newest = *newest;
  w.target = *target;
  w.resuming = true;
  w.token = std::string(text.substr(third + 1));
  return w;
}

}  // namespace earshot
