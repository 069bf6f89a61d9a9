#include "connectors/hackernews/hackernews_page.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "connectors/html_text.h"
#include "core/time.h"
#include "core/utf8.h"

namespace earshot {
namespace {

constexpr const char* kItemUrl = "https://news.ycombinator.com/item?id=";
constexpr const char* kUserUrl = "https://news.ycombinator.com/user?id=";

const char* TypeName(const rapidjson::Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "a boolean";
    case rapidjson::kObjectType:
      return "an object";
    case rapidjson::kArrayType:
      return "an array";
    case rapidjson::kStringType:
      return "a string";
    case rapidjson::kNumberType:
      return "a number";
  }
  return "unknown";
}

const rapidjson::Value* Member(const rapidjson::Value& obj, const char* key) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(key);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

// A string member made valid UTF-8; integers (Algolia sends ids both ways) as their digits.
std::string Str(const rapidjson::Value& obj, const char* key) {
  const rapidjson::Value* v = Member(obj, key);
  if (!v) return "";
  if (v->IsString()) return SanitizeUtf8(std::string_view(v->GetString(), v->GetStringLength()));
  if (v->IsInt64()) return std::to_string(v->GetInt64());
  if (v->IsUint64()) return std::to_string(v->GetUint64());
  return "";
}

// An integer member; finite floats are truncated, digit strings read; null or absent: nullopt.
std::optional<int64_t> Int(const rapidjson::Value& obj, const char* key) {
  const rapidjson::Value* v = Member(obj, key);
  if (!v) return std::nullopt;
  if (v->IsInt64()) return v->GetInt64();
  if (v->IsUint64()) return INT64_MAX;
  if (v->IsDouble()) {
    const double d = v->GetDouble();
    if (!std::isfinite(d) || std::fabs(d) > 9.2e18) return std::nullopt;
    return static_cast<int64_t>(d);
  }
  if (v->IsString()) {
    const std::string s(v->GetString(), v->GetStringLength());
    if (s.empty() || s.size() > 18 ||
        !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::nullopt;
    }
    return std::stoll(s);
  }
  return std::nullopt;
}

std::string Raw(const rapidjson::Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  v.Accept(writer);
  return SanitizeUtf8(std::string_view(buffer.GetString(), buffer.GetSize()));
}

bool HasTag(const rapidjson::Value& hit, std::string_view tag) {
  const rapidjson::Value* tags = Member(hit, "_tags");
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
  m.author.handle = m.author.id = Str(hit, "author");
  if (!m.author.handle.empty()) m.author.profile_url = kUserUrl + m.author.handle;
  const std::string comment = Str(hit, "comment_text");
  const bool is_comment = !comment.empty() || HasTag(hit, "comment");
  if (is_comment) {
    m.text = HtmlToText(comment);
  } else {
    m.title = HtmlToText(Str(hit, "title"));
    m.text = HtmlToText(Str(hit, "story_text"));
  }
  if (auto t = Int(hit, "created_at_i")) {
    m.created_at = *t * 1000;
  } else {
    m.created_at = ParseRfc3339(Str(hit, "created_at")).value_or(0);
  }
  m.thread_id = Str(hit, "story_id");
  if (m.thread_id.empty() && !is_comment) m.thread_id = id;
  m.parent_id = Str(hit, "parent_id");
  m.engagement.likes = std::max<int64_t>(0, Int(hit, "points").value_or(0));
  m.engagement.replies = std::max<int64_t>(0, Int(hit, "num_comments").value_or(0));
  m.raw = Raw(hit);
  return m;
}

}  // namespace

Result<HackerNewsPage> ParseHackerNewsPage(std::string_view body, const std::string& source) {
  rapidjson::Document doc;
  // Iterative: no nesting depth can exhaust the stack.
  doc.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (doc.HasParseError()) {
    return Status::ParseError("invalid JSON at byte " + std::to_string(doc.GetErrorOffset()) +
                              ": " + rapidjson::GetParseError_En(doc.GetParseError()));
  }
  if (!doc.IsObject()) {
    return Status::ParseError(std::string("expected a search response object, got ") +
                              TypeName(doc));
  }
  const rapidjson::Value* hits = Member(doc, "hits");
  if (!hits) {
    std::string message = "no \"hits\" array: not an Algolia search response";
    if (std::string m = Str(doc, "message"); !m.empty()) {
      message += " (\"" + std::string(TruncateUtf8(m, 200)) + "\")";
    }
    return Status::ParseError(message);
  }
  if (!hits->IsArray()) {
    return Status::ParseError(std::string("\"hits\" is ") + TypeName(*hits) + ", not an array");
  }
  HackerNewsPage page;
  page.page = std::max<int64_t>(0, Int(doc, "page").value_or(0));
  page.nb_pages = std::max<int64_t>(0, Int(doc, "nbPages").value_or(0));
  page.nb_hits = std::max<int64_t>(0, Int(doc, "nbHits").value_or(0));
  page.hits = hits->Size();
  for (rapidjson::SizeType i = 0; i < hits->Size(); ++i) {
    const rapidjson::Value& hit = (*hits)[i];
    const std::string where = "hit " + std::to_string(i);
    if (!hit.IsObject()) {
      page.warnings.push_back(where + " skipped: " + TypeName(hit) + ", not an object");
      continue;
    }
    const std::string id = Str(hit, "objectID");
    if (id.empty()) {
      page.warnings.push_back(where + " skipped: no objectID");
      continue;
    }
    if (auto t = Int(hit, "created_at_i"); t && *t > 0) {
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
  std::string message = Str(doc, "message");
  if (message.empty()) message = Str(doc, "error");
  return std::string(TruncateUtf8(CollapseWhitespace(message), 200));
}

}  // namespace earshot
