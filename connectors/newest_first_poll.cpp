#include "connectors/newest_first_poll.h"

#include <algorithm>
#include <set>

#include "connectors/token_window.h"

namespace earshot {

Result<PollResult> PollNewestFirst(const SourceCursor& cursor, const NewestFirstOptions& options,
                                   const FetchNewestFirstPage& fetch) {
  PollResult result;
  result.next_cursor = cursor;
  TokenWindow window;
  if (auto w = ParseTokenWindow(cursor.position)) {
    window = *w;
  } else {
    if (!cursor.position.empty()) {
      result.warnings.push_back("unreadable cursor '" + cursor.position + "': looking back " +
                                std::to_string(options.lookback_ms / 1000) + " s");
    }
    window.since = window.newest = std::max<int64_t>(0, NowMillis() - options.lookback_ms);
  }
  std::string token = window.resuming ? window.token : options.first_token;
  int64_t newest = window.newest;
  std::set<std::string> seen;
  const int64_t read_down_to = window.since - std::max<int64_t>(0, options.recheck_ms);
  bool complete = false;
  bool failed = false;
  for (int64_t page_number = 1; page_number <= std::max<int64_t>(1, options.max_pages);
       ++page_number) {
    if (page_number > 1 && options.hold && options.hold->Remaining()) break;
    auto page = fetch(token);
    if (!page.ok()) {
      if (page_number == 1 || page.status().code() == Status::Code::kAborted) {
        return page.status();
      }
      result.warnings.push_back("stopped after " + std::to_string(page_number - 1) +
                                " pages: " + page.status().message());
      failed = true;
      break;
    }
    for (auto& w : page->warnings)
      result.warnings.push_back("page " + std::to_string(page_number) + ": " + w);
    bool reached = false;
    for (size_t i = 0; i < page->mentions.size(); ++i) {
      Mention& m = page->mentions[i];
      const int64_t value = i < page->values.size() ? page->values[i] : m.created_at;
      if (value > 0 && value <= read_down_to) {
        reached = true;  // newest first: the rest was read before
        continue;
      }
      newest = std::max(newest, value);
      if (seen.insert(m.external_id).second) result.mentions.push_back(std::move(m));
    }
    if (reached || page->next.empty() || page->items == 0) {
      complete = true;
      break;
    }
    token = page->next;
  }
  if (complete) {
    result.next_cursor.position = FormatTokenWindow({newest, newest, false, 0, ""});
  } else {
    result.next_cursor.position = FormatTokenWindow({window.since, newest, true, 0, token});
    result.has_more = !failed && !(options.hold && options.hold->Remaining());
  }
  return result;
}

Result<PollResult> PollNewestFirstSource(
    const std::string& kind, const SourceSpec& spec, const SourceCursor& cursor,
    const NewestFirstOptions& options,
    const std::function<Result<NewestFirstPage>(const std::string& token, int* http_status)>&
        fetch) {
  if (options.hold) {
    if (Status held = options.hold->Check(kind); !held.ok()) return held;
  }
  int http_status = 0;
  auto result = PollNewestFirst(
      cursor, options, [&](const std::string& token) { return fetch(token, &http_status); });
  if (!result.ok()) return result.status();
  result->http_status = http_status;
  FinishMentions(&result->mentions, spec);
  return result;
}

}  // namespace earshot
