// Discourse posts as mentions, from GET /search.json?q=... (posts[] with blurbs, topics[],
// grouped_search_result) or GET /posts.json (latest_posts[] with raw and cooked).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/mention.h"
#include "core/status.h"

namespace earshot {

struct DiscoursePage {
  std::vector<Mention> mentions;      // in the body's order (newest first for both endpoints)
  std::vector<int64_t> ids;           // each mention's post id, parallel to `mentions`
  std::vector<std::string> warnings;  // posts skipped, and why
  size_t posts = 0;                   // posts in the body, skipped ones included
  int64_t lowest_id = 0;              // smallest post id in the body, skipped ones included
  bool more = false;                  // search: more_full_page_results (or more_posts)
};

// `base_url` ("https://forum.example.com", no trailing slash) makes the URLs:
// <base>/t/<slug>/<topic_id>/<post_number>, <base>/u/<username>. Deleted, hidden and small-action
// posts are left out. Fails (ParseError) on a body that is neither shape; an error body
// ({"errors": [...], "error_type": ...}) says so.
Result<DiscoursePage> ParseDiscoursePosts(std::string_view body, const std::string& source,
                                          const std::string& base_url);

// "invalid_access: You are not permitted to view the requested resource." from an error body,
// valid UTF-8, at most 200 bytes; "" when there is none.
std::string DiscourseErrorMessage(std::string_view body);

}  // namespace earshot
