#include "connectors/youtube/youtube_quota.h"

#include <cstdint>

namespace earshot {
namespace {

constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kDayMs = 24 * kHourMs;

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int64_t YearOfDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t m = mp + (mp < 10 ? 3 : -9);
  return yoe + era * 400 + (m <= 2);
}

// The day (since the epoch) of the n-th Sunday of a month.
int64_t NthSunday(int64_t year, int64_t month, int n) {
  const int64_t first = DaysFromCivil(year, month, 1);
  const int64_t weekday = ((first % 7) + 11) % 7;  // 0 = Sunday; 1970-01-01 was a Thursday
  return first + (7 - weekday) % 7 + 7 * (n - 1);
}

// Whether daylight time is in force at `t`, read as Pacific standard time (UTC-8).
bool IsDaylight(int64_t standard_ms) {
  const int64_t day = standard_ms >= 0 ? standard_ms / kDayMs : (standard_ms - kDayMs + 1) / kDayMs;
  const int64_t year = YearOfDays(day);
  const int64_t start = NthSunday(year, 3, 2) * kDayMs + 2 * kHourMs;  // 02:00 PST
  const int64_t end = NthSunday(year, 11, 1) * kDayMs + 1 * kHourMs;   // 02:00 PDT = 01:00 PST
  return standard_ms >= start && standard_ms < end;
}

}  // namespace

UnixMillis NextPacificMidnight(UnixMillis now) {
  const int64_t offset = IsDaylight(now - 8 * kHourMs) ? -7 * kHourMs : -8 * kHourMs;
  const int64_t local = now + offset;
  const int64_t local_day = (local >= 0 ? local / kDayMs : (local - kDayMs + 1) / kDayMs) + 1;
  // Midnight of the next day: daylight then iff it is in force that midnight (changes are at 2:00).
  const int64_t next_offset = IsDaylight(local_day * kDayMs) ? -7 * kHourMs : -8 * kHourMs;
  return local_day * kDayMs - next_offset;
}

}  // namespace earshot
