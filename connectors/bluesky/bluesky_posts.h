// A page of app.bsky.feed.searchPosts ({"cursor": "...", "hitsTotal": N, "posts": [postView]})
// as mentions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/mention.h"
#include "core/status.h"
#include "core/time.h"

namespace earshot {

struct BlueskyPage {
  std::vector<Mention> mentions;  // one per usable post, in the body's order
  // Each mention's sort time, parallel to `mentions`: the earlier of indexedAt and the record's
  // createdAt (as the AppView orders "latest" results), whichever is readable.
  std::vector<UnixMillis> sort_at;
  std::vector<std::string> warnings;  // posts skipped, and why
  size_t posts = 0;                   // posts in the body, skipped ones included
  std::string cursor;                 // the next page's cursor, "" on the last page
};

// Fails (ParseError) on a body that is not JSON or has no "posts" array (an XRPC error body says
// so, with its error and message). Texts become valid UTF-8.
Result<BlueskyPage> ParseBlueskyPosts(std::string_view body, const std::string& source);

// "ExpiredToken: Token has expired" from an XRPC error body {"error": ..., "message": ...},
// valid UTF-8, at most 200 bytes; "" when the body has neither.
std::string BlueskyErrorMessage(std::string_view body);
// Just the "error" name ("ExpiredToken", "InvalidToken", "RateLimitExceeded"), or "".
std::string BlueskyErrorName(std::string_view body);

// "https://bsky.app/profile/alice.bsky.social/post/3lpk2u6qo222m" for a post's at:// URI and its
// author's handle (the DID when the handle is missing or "handle.invalid"); "" when the URI is
// not a post's.
std::string BlueskyPostUrl(std::string_view uri, const std::string& handle, const std::string& did);

}  // namespace earshot
