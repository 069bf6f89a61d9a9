#include "daemon/escalations/shift.h"

#include <cctype>
#include <cstdio>
#include <string_view>

namespace earshot {
namespace {

constexpr std::string_view kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

int DayIndex(std::string_view name) {
  std::string lower;
  for (char c : name)
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (int i = 0; i < 7; ++i)
    if (lower == kDays[i]) return i;
  return -1;
}

std::optional<unsigned> ParseDays(std::string_view text) {
  unsigned days = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string_view part =
        text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
    size_t dash = part.find('-');
    int from = DayIndex(part.substr(0, dash));
    int to = dash == std::string_view::npos ? from : DayIndex(part.substr(dash + 1));
    if (from < 0 || to < 0) return std::nullopt;
    for (int d = from;; d = (d + 1) % 7) {
      days |= 1u << d;
      if (d == to) break;
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return days;
}

}  // namespace

std::optional<Shift> Shift::Parse(const std::string& text) {
  size_t space = text.find(' ');
  if (space == std::string::npos) return std::nullopt;
  auto days = ParseDays(std::string_view(text).substr(0, space));
  int h1, m1, h2, m2;
  char tail;
  if (!days ||
      std::sscanf(text.c_str() + space + 1, "%d:%d-%d:%d%c", &h1, &m1, &h2, &m2, &tail) != 4)
    return std::nullopt;
  if (h1 < 0 || h1 > 24 || h2 < 0 || h2 > 24 || m1 < 0 || m1 > 59 || m2 < 0 || m2 > 59)
    return std::nullopt;
  Shift s;
  s.days_ = *days;
  s.start_minute_ = h1 * 60 + m1;
  s.end_minute_ = h2 * 60 + m2;
  return s;
}

bool Shift::Contains(UnixMillis t) const {
  int64_t minutes = t / 60'000;
  int minute_of_day = static_cast<int>(minutes % (24 * 60));
  int day = static_cast<int>((minutes / (24 * 60) + 3) % 7);  // 1970-01-01 was a Thursday
  if (start_minute_ <= end_minute_) {
    return (days_ >> day & 1u) && minute_of_day >= start_minute_ && minute_of_day < end_minute_;
  }
  // Overnight: the part after midnight belongs to the previous day's shift.
  if ((days_ >> day & 1u) && minute_of_day >= start_minute_) return true;
  int previous = (day + 6) % 7;
  return (days_ >> previous & 1u) && minute_of_day < end_minute_;
}

}  // namespace earshot
