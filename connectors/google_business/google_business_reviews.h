// A page of the Google Business Profile reviews list
// (GET /v4/accounts/{account}/locations/{location}/reviews) as mentions:
// {"reviews": [{"reviewId", "reviewer": {...}, "starRating": "FOUR", "comment", "createTime",
//  "updateTime", "reviewReply": {...}}], "averageRating", "totalReviewCount", "nextPageToken"}.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/mention.h"
#include "core/status.h"

namespace earshot {

struct GoogleBusinessPage {
  std::vector<Mention> mentions;      // reviews, most recently updated first
  std::vector<int64_t> updated;       // each review's updateTime (ms), parallel
  std::vector<std::string> warnings;  // reviews skipped, and why
  size_t reviews = 0;
  std::optional<double> average_rating;
  int64_t total_review_count = 0;
  std::string next_page_token;
};

// "ONE".."FIVE" -> 1..5; nullopt for STAR_RATING_UNSPECIFIED and anything else.
std::optional<double> StarRatingValue(std::string_view star_rating);

// Rating = starRating; created_at = createTime; engagement.replies = 1 when the business has
// replied (the reply itself stays in raw); an anonymous reviewer has no name. Every review's URL
// is `location_url` (Google gives reviews none of their own). Fails (ParseError) on a body that
// is not JSON, is an error or has no "reviews" (an empty object, or one with only the
// rating summary, is a location without reviews).
Result<GoogleBusinessPage> ParseGoogleBusinessReviews(std::string_view body,
                                                      const std::string& source,
                                                      const std::string& location_url = "");

}  // namespace earshot
