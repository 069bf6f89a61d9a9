// A page of the Google Play Developer API reviews.list
// (GET /androidpublisher/v3/applications/{packageName}/reviews) as mentions:
// {"reviews": [{"reviewId", "authorName", "comments": [{"userComment": {...}},
//  {"developerComment": {...}}]}], "tokenPagination": {"nextPageToken": ...}}.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/mention.h"
#include "core/status.h"

namespace earshot {

struct GooglePlayPage {
  std::vector<Mention> mentions;      // reviews, most recently modified first
  std::vector<int64_t> modified;      // each review's userComment.lastModified (ms), parallel
  std::vector<std::string> warnings;  // reviews skipped, and why
  size_t reviews = 0;
  std::string next_page_token;
};

// A review's text is its userComment; when it holds a title, Play separates it with a tab
// ("Title\tBody"). Rating = starRating (1-5); lang = reviewerLanguage; created_at = the user
// comment's lastModified (the API gives no other time); likes = thumbsUpCount; a developer reply
// stays in raw. URLs point at the review on Google Play when `package_name` is known. Fails
// (ParseError) on a body that is not JSON or has no reviews (an error body says so); a body
// without "reviews" but with nothing else is an empty page, as the API sends one.
Result<GooglePlayPage> ParseGooglePlayReviews(std::string_view body, const std::string& source,
                                              const std::string& package_name = "");

}  // namespace earshot
