#include "connectors/appstore/appstore_reviews.h"

#include <rapidjson/document.h>

#include <algorithm>

#include "connectors/json_fields.h"
#include "core/time.h"
#include "core/utf8.h"

namespace earshot {
namespace {

// Apple wraps every value: {"label": "..."}.
std::string Label(const rapidjson::Value& obj, const char* key) {
  const rapidjson::Value* v = json::Member(obj, key);
  return v ? json::String(*v, "label") : "";
}

std::string LinkHref(const rapidjson::Value& entry) {
  const rapidjson::Value* link = json::Member(entry, "link");
  if (!link) return "";
  auto href = [](const rapidjson::Value& l) {
    const rapidjson::Value* attributes = json::Member(l, "attributes");
    return attributes ? json::String(*attributes, "href") : "";
  };
  if (link->IsArray()) {
    for (const auto& l : link->GetArray()) {
      if (std::string h = href(l); !h.empty()) return h;
    }
    return "";
  }
  return href(*link);
}

bool IsDigits(std::string_view s) {
  return !s.empty() && s.size() <= 30 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

int CompareReviewIds(std::string_view a, std::string_view b) {
  while (a.size() > 1 && a.front() == '0')
    a.remove_prefix(1);
  while (b.size() > 1 && b.front() == '0')
    b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  const int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

Result<AppStorePage> ParseAppStoreReviews(std::string_view body, const std::string& source,
                                          const std::string& fallback_url) {
  rapidjson::Document doc;
  if (Status parsed = json::Parse(body, &doc); !parsed.ok()) return parsed;
  const rapidjson::Value* feed = json::Member(doc, "feed");
  if (!feed || !feed->IsObject()) {
    return Status::ParseError(doc.IsObject() ? "no \"feed\" object: not a customer-reviews feed"
                                             : std::string("expected a feed object, got ") +
                                                   json::TypeName(doc));
  }
  AppStorePage page;
  const rapidjson::Value* entries = json::Member(*feed, "entry");
  if (!entries) return page;
  // A feed of one entry has it as an object, not an array.
  std::vector<const rapidjson::Value*> list;
  if (entries->IsArray()) {
    for (const auto& e : entries->GetArray())
      list.push_back(&e);
  } else {
    list.push_back(entries);
  }
  page.entries = list.size();
  for (size_t i = 0; i < list.size(); ++i) {
    const rapidjson::Value& entry = *list[i];
    const std::string where = "entry " + std::to_string(i);
    if (!entry.IsObject()) {
      page.warnings.push_back(where + " skipped: " + json::TypeName(entry) + ", not an object");
      continue;
    }
    if (!json::Member(entry, "im:rating")) continue;  // the app itself, not a review
    const std::string id = Label(entry, "id");
    if (!IsDigits(id)) {
      page.warnings.push_back(where + " skipped: no numeric review id");
      continue;
    }
    Mention m;
    m.source = source;
    m.platform = "appstore";
    m.external_id = id;
    m.url = LinkHref(entry);
    if (m.url.empty()) m.url = fallback_url;
    if (const rapidjson::Value* author = json::Member(entry, "author")) {
      m.author.name = Label(*author, "name");
      m.author.handle = m.author.name;
      m.author.profile_url = Label(*author, "uri");
      m.author.id = m.author.profile_url;
    }
    m.title = Label(entry, "title");
    m.text = Label(entry, "content");
    const std::string rating = Label(entry, "im:rating");
    if (rating.size() == 1 && rating[0] >= '1' && rating[0] <= '5') {
      m.rating = rating[0] - '0';
    } else {
      page.warnings.push_back(where + ": rating '" + std::string(TruncateUtf8(rating, 20)) +
                              "' is not 1 to 5");
    }
    m.created_at = ParseRfc3339(Label(entry, "updated")).value_or(0);
    m.engagement.likes = std::max<int64_t>(0, std::atoll(Label(entry, "im:voteSum").c_str()));
    m.raw = json::Raw(entry);
    page.mentions.push_back(std::move(m));
  }
  return page;
}

}  // namespace earshot
