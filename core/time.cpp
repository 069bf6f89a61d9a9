#include "core/time.h"

#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <string>

namespace earshot {
namespace {

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool ValidDate(int y, int mo, int d, int h, int mi, int s) {
  return y >= 1 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h <= 24 &&
         mi >= 0 && mi <= 59 && s >= 0 && s <= 60;
}

UnixMillis ToMillis(int y, int mo, int d, int h, int mi, int s, int ms, int offset_minutes) {
  int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  int64_t secs = days * 86400 + h * 3600 + mi * 60 + s - int64_t{offset_minutes} * 60;
  return secs * 1000 + ms;
}

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool done() const { return i_ >= s_.size(); }
  char peek() const { return done() ? '\0' : s_[i_]; }
  void skip_spaces() {
    while (!done() && (std::isspace(static_cast<unsigned char>(s_[i_])) || s_[i_] == ','))
      ++i_;
  }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }
  // Reads up to max_digits digits; returns count read.
  int number(int* out, int max_digits = 9) {
    int n = 0, v = 0;
    while (n < max_digits && std::isdigit(static_cast<unsigned char>(peek()))) {
      v = v * 10 + (s_[i_++] - '0');
      ++n;
    }
    if (n) *out = v;
    return n;
  }
  std::string word() {
    std::string w;
    while (std::isalpha(static_cast<unsigned char>(peek()))) {
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(s_[i_++])));
    }
    return w;
  }
  std::string_view rest() const { return s_.substr(std::min(i_, s_.size())); }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

int MonthFromName(const std::string& w) {
  static const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                  "jul", "aug", "sep", "oct", "nov", "dec"};
  if (w.size() < 3) return 0;
  for (int i = 0; i < 12; ++i) {
    if (w.compare(0, 3, kMonths[i]) == 0) return i + 1;
  }
  return 0;
}

// Zone names seen in real feeds; military single letters other than Z are too ambiguous to trust.
std::optional<int> ZoneOffsetMinutes(const std::string& w) {
  struct Zone {
    const char* name;
    int minutes;
  };
  static const Zone kZones[] = {
      {"ut", 0},        {"utc", 0},       {"gmt", 0},       {"z", 0},         {"est", -5 * 60},
      {"edt", -4 * 60}, {"cst", -6 * 60}, {"cdt", -5 * 60}, {"mst", -7 * 60}, {"mdt", -6 * 60},
      {"pst", -8 * 60}, {"pdt", -7 * 60}, {"cet", 60},      {"cest", 120},    {"bst", 60},
      {"msk", 180},     {"eet", 120},     {"eest", 180},    {"wet", 0},       {"west", 60}};
  for (const auto& z : kZones) {
    if (w == z.name) return z.minutes;
  }
  return std::nullopt;
}

// Parses "+0200", "+02:00", "-05", "Z" and names; returns false on garbage.
bool ParseZone(Cursor& c, int* offset_minutes) {
  c.skip_spaces();
  if (c.done()) return true;  // no zone: UTC
  char sign = c.peek();
  if (sign == '+' || sign == '-') {
    c.eat(sign);
    int hh = 0, mm = 0;
    int n = c.number(&hh, 2);
    if (n == 0) return false;
    if (n == 2) {
      c.eat(':');
      c.number(&mm, 2);
    }
    if (hh > 14 || mm > 59) return false;
    *offset_minutes = (sign == '-' ? -1 : 1) * (hh * 60 + mm);
    return true;
  }
  std::string w = c.word();
  if (auto z = ZoneOffsetMinutes(w)) {
    *offset_minutes = *z;
    return true;
  }
  return true;  // unknown zone text: read as UTC rather than lose the whole date
}

}  // namespace

UnixMillis NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FormatRfc3339(UnixMillis t) {
  int64_t ms = ((t % 1000) + 1000) % 1000;
  int64_t secs = (t - ms) / 1000;
  int64_t days = secs / 86400;
  int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  // civil_from_days
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[40];
  if (ms) {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                  static_cast<long long>(y), m, d, static_cast<long long>(rem / 3600),
                  static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60),
                  static_cast<long long>(ms));
  } else {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                  static_cast<long long>(y), m, d, static_cast<long long>(rem / 3600),
                  static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60));
  }
  return buf;
}

std::optional<UnixMillis> ParseRfc3339(std::string_view s) {
  Cursor c(s);
  c.skip_spaces();
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0, off = 0;
  if (c.number(&y, 4) != 4 || !c.eat('-') || c.number(&mo, 2) == 0 || !c.eat('-') ||
      c.number(&d, 2) == 0) {
    return std::nullopt;
  }
  if (c.eat('T') || c.eat('t') || c.eat(' ')) {
    if (c.number(&h, 2) == 0 || !c.eat(':') || c.number(&mi, 2) == 0) return std::nullopt;
    if (c.eat(':')) c.number(&sec, 2);
    if (c.eat('.') || c.eat(',')) {
      int frac = 0;
      int digits = c.number(&frac, 3);
      while (digits < 3) {
        frac *= 10;
        ++digits;
      }
      ms = frac;
      int ignored;
      while (c.number(&ignored, 9) > 0) {
      }
    }
    if (c.eat('Z') || c.eat('z')) {
      off = 0;
    } else if (!ParseZone(c, &off)) {
      return std::nullopt;
    }
  }
  if (!ValidDate(y, mo, d, h, mi, sec)) return std::nullopt;
  return ToMillis(y, mo, d, h, mi, sec, ms, off);
}

std::optional<UnixMillis> ParseRfc822(std::string_view s) {
  Cursor c(s);
  c.skip_spaces();
  if (std::isalpha(static_cast<unsigned char>(c.peek()))) {
    c.word();  // weekday, possibly wrong or localized: ignored
    c.skip_spaces();
  }
  int d = 0, y = 0, h = 0, mi = 0, sec = 0, off = 0;
  if (c.number(&d, 2) == 0) return std::nullopt;
  c.skip_spaces();
  c.eat('-');
  int mo = MonthFromName(c.word());
  if (mo == 0) return std::nullopt;
  c.skip_spaces();
  c.eat('-');
  int ydigits = c.number(&y, 4);
  if (ydigits == 0) return std::nullopt;
  if (ydigits <= 2) y += y < 50 ? 2000 : 1900;
  c.skip_spaces();
  if (std::isdigit(static_cast<unsigned char>(c.peek()))) {
    if (c.number(&h, 2) == 0 || !c.eat(':') || c.number(&mi, 2) == 0) return std::nullopt;
    if (c.eat(':')) c.number(&sec, 2);
    if (!ParseZone(c, &off)) return std::nullopt;
  }
  if (!ValidDate(y, mo, d, h, mi, sec)) return std::nullopt;
  return ToMillis(y, mo, d, h, mi, sec, 0, off);
}

std::optional<UnixMillis> ParseAnyDate(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  if (s.empty()) return std::nullopt;
  if (auto t = ParseRfc3339(s)) return t;
  if (auto t = ParseRfc822(s)) return t;
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec == std::errc() && ptr == s.data() + s.size() && n > 0) {
    return n > 100'000'000'000 ? n : n * 1000;  // milliseconds past 1973-03, else seconds
  }
  return std::nullopt;
}

std::optional<int64_t> ParseDurationMillis(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int64_t total = 0;
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    int64_t v = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      v = v * 10 + (s[i] - '0');
      if (v > 1'000'000'000) return std::nullopt;
      ++i;
    }
    if (i == start) return std::nullopt;
    size_t unit_start = i;
    while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i])))
      ++i;
    std::string_view unit = s.substr(unit_start, i - unit_start);
    int64_t factor;
    if (unit == "ms")
      factor = 1;
    else if (unit == "s")
      factor = 1000;
    else if (unit == "m")
      factor = 60'000;
    else if (unit == "h")
      factor = 3'600'000;
    else if (unit == "d")
      factor = 86'400'000;
    else
      return std::nullopt;
    total += v * factor;
  }
  return total;
}

}  // namespace earshot
