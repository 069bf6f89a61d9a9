// Where a source that pages with opaque tokens (or page numbers) left off, kept as text in
// SourceCursor::position, for newest-first APIs read down to the newest value of the last poll.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace earshot {

// The values order the items: a time in milliseconds or an ever-growing id. Between polls the
// position is just the newest value seen ("1732431600000"): the next poll reads every item above
// it. A poll stopped by its page bound saves "since:newest:target:token" instead: items above
// `since` are still to be read from page `token` of target number `target` (a source may read
// several videos, say) on, and `newest` becomes the next window's `since` once it is read.
struct TokenWindow {
  int64_t since = 0;
  int64_t newest = 0;
  bool resuming = false;  // in the middle of a window
  int64_t target = 0;     // only when resuming
  std::string token;      // only when resuming; may hold any byte but none is lost

  bool operator==(const TokenWindow&) const = default;
};

std::string FormatTokenWindow(const TokenWindow& w);
// nullopt for anything but the forms above (an empty position too).
std::optional<TokenWindow> ParseTokenWindow(std::string_view text);

}  // namespace earshot
