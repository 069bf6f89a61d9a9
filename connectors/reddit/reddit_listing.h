// Reddit listings as mentions: {"kind":"Listing","data":{"children":[{"kind":"t3","data":{...}}],
// "after":...,"before":...}}, also the [post listing, comment listing] pair of a comments page.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/mention.h"
#include "core/status.h"

namespace earshot {

struct RedditListing {
  std::vector<Mention> mentions;      // posts (t3) and comments (t1), replies included
  std::vector<std::string> warnings;  // children skipped, and why
  size_t children = 0;                // children of the top listing(s), skipped ones included
  std::string newest;                 // fullname of the newest post or comment, "" when none
  int64_t newest_created = 0;         // its created_utc, whole seconds
  std::string after;                  // the listing's paging fullnames, "" when null
  std::string before;
};

// Fails (ParseError) on a body that is not JSON or not a listing (an error body says so, with
// Reddit's reason). Deleted and removed comments are left out; texts become valid UTF-8.
Result<RedditListing> ParseRedditListing(std::string_view body, const std::string& source);

// The reason in a Reddit error body - {"message":"Forbidden","error":403,"reason":"private"},
// {"json":{"errors":[["RATELIMIT","...","ratelimit"]]}}, {"error":"invalid_grant"} - valid UTF-8,
// at most 200 bytes; "" when there is none.
std::string RedditErrorMessage(std::string_view body);

}  // namespace earshot
