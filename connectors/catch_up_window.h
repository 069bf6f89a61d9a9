// Where a source that reads newest-first left off, kept as text in SourceCursor::position, for
// APIs that answer newest first in pages (searches, review lists, latest-posts lists).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace earshot {

// The values are whatever orders the source's items: a time (seconds or milliseconds) or an
// ever-growing id. A window is every item above `since`. Once it has been read to its end the
// position is just the newest value seen ("1732431600"), which becomes the next window's `since`.
// A window too big for one poll is resumed instead: "since:upper:newest[:page]" means items with
// since < value < upper (or <= upper, as the API's bound is) are still to be read, from `page`
// on when the API pages by number, and `newest` is where the next window starts.
struct CatchUpWindow {
  int64_t since = 0;
  std::optional<int64_t> upper;
  int64_t newest = 0;
  int64_t page = 0;  // only with upper; 0 when unused

  bool operator==(const CatchUpWindow&) const = default;
};

std::string FormatCatchUpWindow(const CatchUpWindow& w);
// nullopt for anything but the forms above (an empty position too), or values out of order.
std::optional<CatchUpWindow> ParseCatchUpWindow(std::string_view text);

}  // namespace earshot
