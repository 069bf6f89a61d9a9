// A page of the YouTube Data API v3 commentThreads.list (part=snippet) as mentions:
// {"items": [{"id", "snippet": {"videoId", "topLevelComment": {"id", "snippet": {...}},
//  "totalReplyCount"}}], "nextPageToken": ...}, and its error body
// {"error": {"code", "message", "errors": [{"reason": "quotaExceeded", ...}]}}.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/google/google_api_error.h"
#include "core/mention.h"
#include "core/status.h"

namespace earshot {

struct YouTubeCommentPage {
  std::vector<Mention> mentions;      // top-level comments, in the body's order (newest first)
  std::vector<std::string> warnings;  // threads skipped, and why
  size_t items = 0;                   // threads in the body, skipped ones included
  std::string next_page_token;        // empty on the last page
};

using YouTubeError = GoogleApiError;

// A comment's URL is https://www.youtube.com/watch?v=<video>&lc=<comment id>; its text the
// plain textOriginal (textDisplay, as text, when that is absent); thread_id the video's id.
// Fails (ParseError) on a body that is not JSON or has no "items" array (an error body says so).
Result<YouTubeCommentPage> ParseYouTubeCommentThreads(std::string_view body,
                                                      const std::string& source);

// The error body's fields, or nullopt when the body is not one.
std::optional<YouTubeError> ParseYouTubeError(std::string_view body);

}  // namespace earshot
