#include "connectors/hackernews/hackernews_page.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "connectors/html_text.h"
#include "connectors/json_fields.h"
#include "core/time.h"
#include "core/utf8.h"

namespace earshot {
namespace {

constexpr const char* kItemUrl = "https://news.ycombinator.com/item?id=";
constexpr const char* kUserUrl = "https://news.ycombinator.com/user?id=";

bool HasTag(const rapidjson::Value& hit, std::string_view tag) {
  const rapidjson::Value* tags = json::Member(hit, "_tags");
  if (!tags || !tags->IsArray()) return false;
  return std::any_of(tags->Begin(), tags->End(), [&](const rapidjson::Value& t) {
    return t.IsString() && std::string_view(t.GetString(), t.GetStringLength()) == tag;
  });
}

Mention HitToMention(const rapidjson::Value& hit, const std::string& id,
                     const std::string& source) {
  Mention m;
  m.source = source;
  m.platform = "hackernews";
  m.external_id = id;
  m.url = kItemUrl + id;
  m.author.handle = m.author.id = json::Id(hit, "author");
  if (!m.author.handle.empty()) m.author.profile_url = kUserUrl + m.author.handle;
  const std::string comment = json::Id(hit, "comment_text");
  const bool is_comment = !comment.empty() || HasTag(hit, "comment");
  if (is_comment) {
    m.text = HtmlToText(comment);
  } else {
    m.title = HtmlToText(json::Id(hit, "title"));
    m.text = HtmlToText(json::Id(hit, "story_text"));
  }
  if (auto t = json::IntOrDigits(hit, "created_at_i")) {
    m.created_at = *t * 1000;
  } else {
    m.created_at = ParseRfc3339(json::Id(hit, "created_at")).value_or(0);
  }
  m.thread_id = json::Id(hit, "story_id");
  if (m.thread_id.empty() && !is_comment) m.thread_id = id;
  m.parent_id = json::Id(hit, "parent_id");
  m.engagement.likes = std::max<int64_t>(0, json::IntOrDigits(hit, "points").value_or(0));
  m.engagement.replies = std::max<int64_t>(0, json::IntOrDigits(hit, "num_comments").value_or(0));
  m.raw = json::Raw(hit);
  return m;
}

}  // namespace

Result<HackerNewsPage> ParseHackerNewsPage(std::string_view body, const std::string& source) {
  rapidjson::Document doc;
  if (Status parsed = json::Parse(body, &doc); !parsed.ok()) return parsed;
  if (!doc.IsObject()) {
    return Status::ParseError(std::string("expected a search response object, got ") +
                              json::TypeName(doc));
  }
  const rapidjson::Value* hits = json::Member(doc, "hits");
  if (!hits) {
    std::string message = "no \"hits\" array: not an Algolia search response";
    if (std::string m = json::Id(doc, "message"); !m.empty()) {
      message += " (\"" + std::string(TruncateUtf8(m, 200)) + "\")";
    }
    return Status::ParseError(message);
  }
  if (!hits->IsArray()) {
    return Status::ParseError(std::string("\"hits\" is ") + json::TypeName(*hits) +
                              ", not an array");
  }
  HackerNewsPage page;
  page.page = std::max<int64_t>(0, json::IntOrDigits(doc, "page").value_or(0));
  page.nb_pages = std::max<int64_t>(0, json::IntOrDigits(doc, "nbPages").value_or(0));
  page.nb_hits = std::max<int64_t>(0, json::IntOrDigits(doc, "nbHits").value_or(0));
  page.hits = hits->Size();
  for (rapidjson::SizeType i = 0; i < hits->Size(); ++i) {
    const rapidjson::Value& hit = (*hits)[i];
    const std::string where = "hit " + std::to_string(i);
    if (!hit.IsObject()) {
      page.warnings.push_back(where + " skipped: " + json::TypeName(hit) + ", not an object");
      continue;
    }
    const std::string id = json::Id(hit, "objectID");
    if (id.empty()) {
      page.warnings.push_back(where + " skipped: no objectID");
      continue;
    }
    if (auto t = json::IntOrDigits(hit, "created_at_i"); t && *t > 0) {
      page.newest = std::max(page.newest, *t);
      page.oldest = page.oldest == 0 ? *t : std::min(page.oldest, *t);
    }
    page.mentions.push_back(HitToMention(hit, id, source));
  }
  return page;
}

std::string HackerNewsErrorMessage(std::string_view body) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return "";
  std::string message = json::Id(doc, "message");
  if (message.empty()) message = json::Id(doc, "error");
  return std::string(TruncateUtf8(CollapseWhitespace(message), 200));
}

}  // namespace earshot
