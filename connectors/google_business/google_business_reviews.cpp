#include "connectors/google_business/google_business_reviews.h"

#include <rapidjson/document.h>

#include "connectors/google/google_api_error.h"
#include "connectors/json_fields.h"
#include "core/time.h"

namespace earshot {

std::optional<double> StarRatingValue(std::string_view s) {
  static constexpr std::string_view kNames[] = {"ONE", "TWO", "THREE", "FOUR", "FIVE"};
  for (size_t i = 0; i < 5; ++i) {
    if (s == kNames[i]) return static_cast<double>(i + 1);
  }
  return std::nullopt;
}

Result<GoogleBusinessPage> ParseGoogleBusinessReviews(std::string_view body,
                                                      const std::string& source,
                                                      const std::string& location_url) {
  rapidjson::Document doc;
  if (Status parsed = json::Parse(body, &doc); !parsed.ok()) return parsed;
  if (!doc.IsObject()) {
    return Status::ParseError(std::string("expected a reviews response object, got ") +
                              json::TypeName(doc));
  }
  if (auto error = ParseGoogleApiError(body)) {
    return Status::ParseError("an error, not reviews: " + error->ToString());
  }
  GoogleBusinessPage page;
  page.average_rating = json::Double(doc, "averageRating");
  page.total_review_count = json::Count(doc, "totalReviewCount");
  page.next_page_token = json::String(doc, "nextPageToken");
  const rapidjson::Value* reviews = json::Member(doc, "reviews");
  if (!reviews) {
    // A location without reviews: no "reviews", often nothing at all.
    if (doc.MemberCount() == 0 || json::Member(doc, "averageRating") ||
        json::Member(doc, "totalReviewCount")) {
      return page;
    }
    return Status::ParseError("no \"reviews\" array: not a Business Profile reviews response");
  }
  if (!reviews->IsArray()) {
    return Status::ParseError(std::string("\"reviews\" is ") + json::TypeName(*reviews) +
                              ", not an array");
  }
  page.reviews = reviews->Size();
  for (rapidjson::SizeType i = 0; i < reviews->Size(); ++i) {
    const rapidjson::Value& review = (*reviews)[i];
    const std::string where = "review " + std::to_string(i);
    if (!review.IsObject()) {
      page.warnings.push_back(where + " skipped: " + json::TypeName(review) + ", not an object");
      continue;
    }
    std::string id = json::String(review, "reviewId");
    if (id.empty()) {
      const std::string name = json::String(review, "name");  // accounts/../reviews/<id>
      id = name.substr(name.rfind('/') == std::string::npos ? 0 : name.rfind('/') + 1);
    }
    if (id.empty()) {
      page.warnings.push_back(where + " skipped: no reviewId");
      continue;
    }
    Mention m;
    m.source = source;
    m.platform = "google_business";
    m.external_id = id;
    m.url = location_url;
    m.text = json::String(review, "comment");
    m.rating = StarRatingValue(json::String(review, "starRating"));
    if (const auto* reviewer = json::Member(review, "reviewer")) {
      if (!json::Bool(*reviewer, "isAnonymous").value_or(false)) {
        m.author.name = json::String(*reviewer, "displayName");
      }
    }
    if (auto t = ParseRfc3339(json::String(review, "createTime"))) m.created_at = *t;
    const int64_t updated = ParseRfc3339(json::String(review, "updateTime")).value_or(m.created_at);
    if (updated > m.created_at) m.edited_at = updated;
    if (const auto* reply = json::Member(review, "reviewReply"); reply && reply->IsObject()) {
      m.engagement.replies = 1;
    }
    m.raw = json::Raw(review);
    page.updated.push_back(updated);
    page.mentions.push_back(std::move(m));
  }
  return page;
}

}  // namespace earshot
