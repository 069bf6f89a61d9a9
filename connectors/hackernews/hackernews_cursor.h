// Where the hackernews source left off, kept as text in SourceCursor::position.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace earshot {

// Algolia's search_by_date answers newest first, in pages. A window is every hit created after
// `since` (Unix seconds). Once a window has been read to its last page the position is just the
// newest created_at_i seen ("1732431600"), which becomes the next window's `since`. A window too
// big for one poll is resumed with an upper bound instead of a page number, because new hits
// shift pages and Algolia serves only the first 1000 hits of a query: "since:upper:newest" means
// hits with since < created_at_i <= upper are still to be read, and `newest` is where the next
// window starts.
struct HackerNewsPosition {
  int64_t since = 0;
  std::optional<int64_t> upper;
  int64_t newest = 0;

  bool operator==(const HackerNewsPosition&) const = default;
};

std::string FormatHackerNewsPosition(const HackerNewsPosition& p);
// nullopt for anything but the two forms above (an empty position too).
std::optional<HackerNewsPosition> ParseHackerNewsPosition(std::string_view text);

}  // namespace earshot
