#include "connectors/googleplay/googleplay_reviews.h"

#include <rapidjson/document.h>

#include "connectors/google/google_api_error.h"
#include "connectors/json_fields.h"
#include "connectors/url_query.h"

namespace earshot {
namespace {

// {"seconds": "1732431600", "nanos": 123000000} -> milliseconds; 0 when absent.
int64_t Timestamp(const rapidjson::Value* t) {
  if (!t) return 0;
  const auto seconds = json::IntOrDigits(*t, "seconds");
  if (!seconds || *seconds <= 0 || *seconds > 100'000'000'000) return 0;
  const int64_t nanos = json::Int(*t, "nanos").value_or(0);
  return *seconds * 1000 + (nanos > 0 && nanos < 1'000'000'000 ? nanos / 1'000'000 : 0);
}

}  // namespace

Result<GooglePlayPage> ParseGooglePlayReviews(std::string_view body, const std::string& source,
                                              const std::string& package_name) {
  rapidjson::Document doc;
  if (Status parsed = json::Parse(body, &doc); !parsed.ok()) return parsed;
  if (!doc.IsObject()) {
    return Status::ParseError(std::string("expected a reviews response object, got ") +
                              json::TypeName(doc));
  }
  if (auto error = ParseGoogleApiError(body)) {
    return Status::ParseError("an error, not reviews: " + error->ToString());
  }
  GooglePlayPage page;
  const rapidjson::Value* reviews = json::Member(doc, "reviews");
  if (!reviews) {
    // No reviews in the window: Play leaves the member out.
    if (doc.MemberCount() == 0 || json::Member(doc, "pageInfo") ||
        json::Member(doc, "tokenPagination")) {
      return page;
    }
    return Status::ParseError("no \"reviews\" array: not a Google Play reviews response");
  }
  if (!reviews->IsArray()) {
    return Status::ParseError(std::string("\"reviews\" is ") + json::TypeName(*reviews) +
                              ", not an array");
  }
  page.reviews = reviews->Size();
  if (const auto* pagination = json::Member(doc, "tokenPagination")) {
    page.next_page_token = json::String(*pagination, "nextPageToken");
  }
  for (rapidjson::SizeType i = 0; i < reviews->Size(); ++i) {
    const rapidjson::Value& review = (*reviews)[i];
    const std::string where = "review " + std::to_string(i);
    const std::string id = json::String(review, "reviewId");
    if (id.empty()) {
      page.warnings.push_back(where + " skipped: no reviewId");
      continue;
    }
    const rapidjson::Value* user = nullptr;
    if (const auto* comments = json::Member(review, "comments"); comments && comments->IsArray()) {
      for (const auto& c : comments->GetArray()) {
        if (const auto* u = json::Member(c, "userComment"); u && u->IsObject()) {
          user = u;
          break;
        }
      }
    }
    if (!user) {
      page.warnings.push_back(where + " skipped: no userComment");
      continue;
    }
    Mention m;
    m.source = source;
    m.platform = "googleplay";
    m.external_id = id;
    if (!package_name.empty()) {
      m.url = "https://play.google.com/store/apps/details?id=" + PercentEncode(package_name) +
              "&reviewId=" + PercentEncode(id);
    }
    std::string text = json::String(*user, "text");
    if (const size_t tab = text.find('\t'); tab != std::string::npos) {
      m.title = text.substr(0, tab);
      text.erase(0, tab + 1);
    }
    m.text = std::move(text);
    m.author.name = json::String(review, "authorName");
    m.lang = json::String(*user, "reviewerLanguage");
    if (auto stars = json::Int(*user, "starRating"); stars && *stars >= 1 && *stars <= 5) {
      m.rating = static_cast<double>(*stars);
    }
    // The only time Google Play gives is the last change, creation or edit, so it cannot tell an
    // edit; the list is ordered by it, so an edited review comes again, and its change shows.
    m.created_at = Timestamp(json::Member(*user, "lastModified"));
    m.engagement.likes = json::Count(*user, "thumbsUpCount");
    m.raw = json::Raw(review);
    page.modified.push_back(m.created_at);
    page.mentions.push_back(std::move(m));
  }
  return page;
}

}  // namespace earshot
