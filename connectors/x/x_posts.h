// A page of the X API v2 recent search (GET /2/tweets/search/recent) as mentions:
// {"data": [{"id", "text", "created_at", "author_id", ...}], "includes": {"users": [...]},
//  "meta": {"newest_id", "oldest_id", "result_count", "next_token"}, "errors": [...]}.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/mention.h"
#include "core/status.h"

namespace earshot {

struct XSearchPage {
  std::vector<Mention> mentions;      // posts, newest first as the API sends them
  std::vector<std::string> post_ids;  // each mention's own post id (an edit's is not its first)
  std::vector<std::string> warnings;  // posts skipped and partial errors, and why
  std::string newest_id;
  std::string oldest_id;
  int64_t result_count = 0;
  std::string next_token;  // empty on the last page
};

// An edited post is the mention of its first id (edit_history_tweet_ids), with edited_at now.
// Authors come from includes.users by author_id; a post's URL is https://x.com/<username>/status/
// <id> (https://x.com/i/web/status/<id> when the author is not included). X escapes &, < and > in
// post text: they come back decoded. Fails (ParseError) on a body that is not JSON or not a
// search response; an error body says so ("an error, not posts: Unauthorized: ...").
Result<XSearchPage> ParseXSearchPage(std::string_view body, const std::string& source);

// The problem an error body describes, from {"title", "detail"} or {"errors": [{"message"}]}
// ("Too Many Requests: Too Many Requests"), cut to a readable length; "" when there is none.
std::string XErrorMessage(std::string_view body);

}  // namespace earshot
