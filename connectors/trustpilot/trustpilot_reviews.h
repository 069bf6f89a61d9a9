// A page of Trustpilot's business-unit reviews (GET /v1/business-units/{id}/reviews) as
// mentions: {"reviews": [{"id", "stars", "title", "text", "language", "createdAt",
// "consumer": {...}, "links": [...]}], "links": [{"rel": "next-page", "href": ...}]}.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/mention.h"
#include "core/status.h"

namespace earshot {

struct TrustpilotPage {
  std::vector<Mention> mentions;      // reviews, newest first
  std::vector<std::string> warnings;  // reviews skipped, and why
  size_t reviews = 0;                 // reviews in the body, skipped ones included
  std::string next_page_url;          // the "next-page" link, or ""
};

// A review's URL is https://www.trustpilot.com/reviews/<id>; its rating the stars (1-5); the
// company's reply, when there is one, stays in raw. Fails (ParseError) on a body that is not
// JSON or has no "reviews" array (an error body says so).
Result<TrustpilotPage> ParseTrustpilotReviews(std::string_view body, const std::string& source);

// What an error body says: {"message": ...}, {"fault": {"faultstring": ...}} or
// {"errorCode": ..., "details": ...}; "" when it says nothing readable.
std::string TrustpilotErrorMessage(std::string_view body);

}  // namespace earshot
