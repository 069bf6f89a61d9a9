#include "connectors/trustpilot/trustpilot_reviews.h"

#include <rapidjson/document.h>

#include "connectors/json_fields.h"
#include "connectors/url_query.h"
#include "core/time.h"
#include "core/utf8.h"

namespace earshot {
namespace {

std::string LinkWithRel(const rapidjson::Value& obj, const char* rel) {
  const rapidjson::Value* links = json::Member(obj, "links");
  if (!links || !links->IsArray()) return "";
  for (const auto& link : links->GetArray()) {
    if (json::String(link, "rel") == rel) return json::String(link, "href");
  }
  return "";
}

}  // namespace

std::string TrustpilotErrorMessage(std::string_view body) {
  rapidjson::Document doc;
  if (!json::Parse(body, &doc).ok() || !doc.IsObject()) return "";
  std::string out = json::String(doc, "message");
  if (out.empty()) {
    if (const auto* fault = json::Member(doc, "fault")) {
      out = json::String(*fault, "faultstring");
      if (const auto* detail = json::Member(*fault, "detail")) {
        if (std::string code = json::String(*detail, "errorcode"); !code.empty()) {
          out += (out.empty() ? "" : " ") + ("(" + code + ")");
        }
      }
    }
  }
  if (out.empty()) out = json::String(doc, "details");
  if (out.empty()) out = json::Id(doc, "errorCode");
  return std::string(TruncateUtf8(CollapseWhitespace(out), 300));
}

Result<TrustpilotPage> ParseTrustpilotReviews(std::string_view body, const std::string& source) {
  rapidjson::Document doc;
  if (Status parsed = json::Parse(body, &doc); !parsed.ok()) return parsed;
  if (!doc.IsObject()) {
    return Status::ParseError(std::string("expected a reviews response object, got ") +
                              json::TypeName(doc));
  }
  const rapidjson::Value* reviews = json::Member(doc, "reviews");
  if (!reviews) {
    if (const std::string error = TrustpilotErrorMessage(body); !error.empty()) {
      return Status::ParseError("an error, not reviews: " + error);
    }
    return Status::ParseError("no \"reviews\" array: not a Trustpilot reviews response");
  }
  if (!reviews->IsArray()) {
    return Status::ParseError(std::string("\"reviews\" is ") + json::TypeName(*reviews) +
                              ", not an array");
  }
  TrustpilotPage page;
  page.reviews = reviews->Size();
  page.next_page_url = LinkWithRel(doc, "next-page");
  for (rapidjson::SizeType i = 0; i < reviews->Size(); ++i) {
    const rapidjson::Value& review = (*reviews)[i];
    const std::string where = "review " + std::to_string(i);
    if (!review.IsObject()) {
      page.warnings.push_back(where + " skipped: " + json::TypeName(review) + ", not an object");
      continue;
    }
    const std::string id = json::Id(review, "id");
    if (id.empty() || id.find_first_of("/?# ") != std::string::npos) {
      page.warnings.push_back(where + " skipped: no usable id");
      continue;
    }
    Mention m;
    m.source = source;
    m.platform = "trustpilot";
    m.external_id = id;
    m.url = "https://www.trustpilot.com/reviews/" + PercentEncode(id);
    m.title = json::String(review, "title");
    m.text = json::String(review, "text");
    m.lang = json::String(review, "language");
    if (auto stars = json::Double(review, "stars"); stars && *stars >= 1 && *stars <= 5) {
      m.rating = *stars;
    }
    if (auto t = ParseRfc3339(json::String(review, "createdAt"))) m.created_at = *t;
    // Absent or null until the consumer edits the review.
    if (auto t = ParseRfc3339(json::String(review, "updatedAt")); t && *t > m.created_at) {
      m.edited_at = *t;
    }
    if (const auto* consumer = json::Member(review, "consumer")) {
      m.author.id = json::Id(*consumer, "id");
      m.author.name = json::String(*consumer, "displayName");
      if (!m.author.id.empty() && m.author.id.find_first_of("/?# ") == std::string::npos) {
        m.author.profile_url = "https://www.trustpilot.com/users/" + m.author.id;
      }
    }
    m.engagement.likes = json::Count(review, "numberOfLikes");
    m.raw = json::Raw(review);
    page.mentions.push_back(std::move(m));
  }
  return page;
}

}  // namespace earshot
