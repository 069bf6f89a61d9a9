// A page of Yelp Fusion's business reviews (GET /v3/businesses/{id}/reviews) as mentions:
// {"reviews": [{"id", "url", "text", "rating", "time_created", "user": {...}}], "total": N,
// "possible_languages": [...]}, and its error body {"error": {"code", "description"}}.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/mention.h"
#include "core/status.h"

namespace earshot {

struct YelpPage {
  std::vector<Mention> mentions;      // reviews, in the body's order
  std::vector<std::string> warnings;  // reviews skipped, and why
  size_t reviews = 0;                 // reviews in the body, skipped ones included
  int64_t total = 0;                  // the business's review count as Yelp states it
};

struct YelpError {
  std::string code;  // TOKEN_INVALID, ACCESS_LIMIT_REACHED, BUSINESS_NOT_FOUND...
  std::string description;
  std::string ToString() const;  // "TOKEN_INVALID: Invalid access token..."
};

// A UTC offset for Yelp's zone-less times: "UTC", "Z", "+02:00", "-0800"; nullopt otherwise.
std::optional<int64_t> ParseUtcOffsetMillis(std::string_view text);

// time_created ("2026-11-20 10:02:00", the business's local time) is read at `utc_offset_ms`
// (0: as UTC). Ratings stay 1-5; the review's own url is its URL. Fails (ParseError) on a body
// that is not JSON or has no "reviews" array (an error body says so).
Result<YelpPage> ParseYelpReviews(std::string_view body, const std::string& source,
                                  int64_t utc_offset_ms = 0);

// The error body's fields, or nullopt when the body is not one.
std::optional<YelpError> ParseYelpError(std::string_view body);

}  // namespace earshot
