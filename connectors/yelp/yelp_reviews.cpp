#include "connectors/yelp/yelp_reviews.h"

#include <rapidjson/document.h>

#include <cctype>

#include "connectors/json_fields.h"
#include "core/time.h"
#include "core/utf8.h"

namespace earshot {

std::string YelpError::ToString() const {
  std::string out = code.empty() ? "error" : code;
  if (!description.empty()) out += ": " + description;
  return out;
}

std::optional<int64_t> ParseUtcOffsetMillis(std::string_view text) {
  if (text == "UTC" || text == "utc" || text == "Z" || text == "GMT") return 0;
  if (text.size() != 5 && text.size() != 6) return std::nullopt;
  if (text[0] != '+' && text[0] != '-') return std::nullopt;
  std::string digits;
  for (size_t i = 1; i < text.size(); ++i) {
    if (text.size() == 6 && i == 3) {
      if (text[i] != ':') return std::nullopt;
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    digits += text[i];
  }
  const int hours = std::stoi(digits.substr(0, 2));
  const int minutes = std::stoi(digits.substr(2, 2));
  if (hours > 14 || minutes > 59) return std::nullopt;
  const int64_t ms = (hours * 60 + minutes) * 60'000LL;
  return text[0] == '-' ? -ms : ms;
}

std::optional<YelpError> ParseYelpError(std::string_view body) {
  rapidjson::Document doc;
  if (!json::Parse(body, &doc).ok()) return std::nullopt;
  const rapidjson::Value* error = json::Member(doc, "error");
  if (!error || !error->IsObject()) return std::nullopt;
  YelpError e;
  e.code = std::string(TruncateUtf8(json::String(*error, "code"), 80));
  e.description =
      std::string(TruncateUtf8(CollapseWhitespace(json::String(*error, "description")), 300));
  return e;
}

Result<YelpPage> ParseYelpReviews(std::string_view body, const std::string& source,
                                  int64_t utc_offset_ms) {
  rapidjson::Document doc;
  if (Status parsed = json::Parse(body, &doc); !parsed.ok()) return parsed;
  if (!doc.IsObject()) {
    return Status::ParseError(std::string("expected a reviews response object, got ") +
                              json::TypeName(doc));
  }
  const rapidjson::Value* reviews = json::Member(doc, "reviews");
  if (!reviews) {
    if (auto error = ParseYelpError(body)) {
      return Status::ParseError("an error, not reviews: " + error->ToString());
    }
    return Status::ParseError("no \"reviews\" array: not a Yelp reviews response");
  }
  if (!reviews->IsArray()) {
    return Status::ParseError(std::string("\"reviews\" is ") + json::TypeName(*reviews) +
                              ", not an array");
  }
  YelpPage page;
  page.reviews = reviews->Size();
  page.total = json::Count(doc, "total");
  for (rapidjson::SizeType i = 0; i < reviews->Size(); ++i) {
    const rapidjson::Value& review = (*reviews)[i];
    const std::string where = "review " + std::to_string(i);
    if (!review.IsObject()) {
      page.warnings.push_back(where + " skipped: " + json::TypeName(review) + ", not an object");
      continue;
    }
    const std::string id = json::Id(review, "id");
    if (id.empty()) {
      page.warnings.push_back(where + " skipped: no id");
      continue;
    }
    Mention m;
    m.source = source;
    m.platform = "yelp";
    m.external_id = id;
    m.url = json::String(review, "url");
    m.text = json::String(review, "text");
    if (auto rating = json::Double(review, "rating"); rating && *rating >= 1 && *rating <= 5) {
      m.rating = *rating;
    }
    // "2026-11-20 10:02:00": local to the business, without a zone.
    const std::string created = json::String(review, "time_created");
    if (auto t = ParseRfc3339(created + "Z"); t && created.size() >= 10) {
      m.created_at = *t - utc_offset_ms;
    } else if (auto any = ParseRfc3339(created)) {
      m.created_at = *any;
    }
    if (const auto* user = json::Member(review, "user")) {
      m.author.id = json::Id(*user, "id");
      m.author.name = json::String(*user, "name");
      m.author.profile_url = json::String(*user, "profile_url");
    }
    m.raw = json::Raw(review);
    page.mentions.push_back(std::move(m));
  }
  return page;
}

}  // namespace earshot
