#include "connectors/feed/json_feed.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "connectors/feed/feed_text.h"
#include "connectors/html_text.h"
#include "core/time.h"
#include "core/utf8.h"

namespace earshot {
namespace {

std::string Str(const rapidjson::Value& obj, const char* key) {
  if (!obj.IsObject()) return "";
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd()) return "";
  if (it->value.IsString()) return std::string(it->value.GetString(), it->value.GetStringLength());
  if (it->value.IsInt64()) return std::to_string(it->value.GetInt64());
  return "";
}

}  // namespace

Result<ParsedFeed> ParseJsonFeed(std::string_view body, const std::string& source) {
  const std::string text = SanitizeUtf8(body);
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) {
    return Status::ParseError("JSON Feed: invalid JSON at byte " +
                              std::to_string(doc.GetErrorOffset()) + ": " +
                              rapidjson::GetParseError_En(doc.GetParseError()));
  }
  const std::string version = Str(doc, "version");
  if (!doc.IsObject() || version.find("jsonfeed.org/version/") == std::string::npos) {
    return Status::ParseError("not a feed: JSON without a jsonfeed.org version");
  }
  ParsedFeed feed;
  feed.format = version.find("/1.1") != std::string::npos ? "jsonfeed1.1" : "jsonfeed1.0";
  feed.title = Str(doc, "title");
  feed.link = Str(doc, "home_page_url");
  const std::string feed_lang = NormaliseLanguage(Str(doc, "language"));
  auto items = doc.FindMember("items");
  if (items == doc.MemberEnd() || !items->value.IsArray()) {
    return Status::ParseError("JSON Feed: missing \"items\" array");
  }
  for (const auto& item : items->value.GetArray()) {
    if (!item.IsObject()) continue;
    Mention m;
    m.source = source;
    m.platform = "rss";
    m.url = Str(item, "url");
    m.title = HtmlToText(Str(item, "title"));
    std::string html = Str(item, "content_html");
    m.text = html.empty() ? Str(item, "content_text") : HtmlToText(html);
    if (m.text.empty()) m.text = Str(item, "summary");
    std::string date = Str(item, "date_published");
    if (date.empty()) date = Str(item, "date_modified");
    m.created_at = ParseAnyDate(date).value_or(0);
    const rapidjson::Value* author = nullptr;
    if (auto a = item.FindMember("authors");
        a != item.MemberEnd() && a->value.IsArray() && !a->value.Empty()) {
      author = &a->value[0];
    } else if (auto one = item.FindMember("author"); one != item.MemberEnd()) {
      author = &one->value;
    }
    if (author) {
      m.author.name = Str(*author, "name");
      m.author.profile_url = Str(*author, "url");
    }
    m.lang = NormaliseLanguage(Str(item, "language"));
    if (m.lang.empty()) m.lang = feed_lang;
    m.external_id = Str(item, "id");
    if (m.external_id.empty()) m.external_id = m.url;
    if (m.external_id.empty()) m.external_id = FallbackItemId(m, date);
    feed.items.push_back(std::move(m));
  }
  return feed;
}

}  // namespace earshot
