// One poll of a source that lists its items newest first in pages (review lists, comment lists):
// pages are read until an item the last poll saw, the end of the list or the page bound, and the
// cursor is a TokenWindow (connectors/token_window.h) over the items' times.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "connectors/connector.h"
#include "connectors/http_source.h"

namespace earshot {

struct NewestFirstPage {
  std::vector<Mention> mentions;      // newest first
  std::vector<int64_t> values;        // what orders each mention (ms); empty: their created_at
  std::vector<std::string> warnings;  // items skipped, and why
  size_t items = 0;                   // items in the body, skipped ones included
  std::string next;                   // the next page's token or number; empty on the last page
};

struct NewestFirstOptions {
  int64_t lookback_ms = 86'400'000;  // how far back a poll without a cursor reaches
  int64_t max_pages = 5;
  // Items this far below the window's `since` are read again, for their edits and deletions;
  // only older ones end the reading. 0: each item is read once.
  int64_t recheck_ms = 0;
  std::string first_token;            // the first page's token ("" or "1")
  const RequestHold* hold = nullptr;  // no further page while it holds
};

// Fetches one page by token. Its errors should already be fit for messages (secrets scrubbed).
using FetchNewestFirstPage = std::function<Result<NewestFirstPage>(const std::string& token)>;

// Items at or below the window's `since` (less recheck_ms) end the reading; items without a time
// are kept. A
// failure on the first page fails the poll; a later one keeps what was read, warns, and leaves
// the cursor at the page that failed. Mentions come back without fetched_at (FinishMentions).
Result<PollResult> PollNewestFirst(const SourceCursor& cursor, const NewestFirstOptions& options,
                                   const FetchNewestFirstPage& fetch);

// A connector's whole Poll around PollNewestFirst: refused while `options.hold` holds (the
// message names `kind`), then the pages, the last HTTP status `fetch` saw, and FinishMentions.
Result<PollResult> PollNewestFirstSource(
    const std::string& kind, const SourceSpec& spec, const SourceCursor& cursor,
    const NewestFirstOptions& options,
    const std::function<Result<NewestFirstPage>(const std::string& token, int* http_status)>&
        fetch);

}  // namespace earshot
