#include "connectors/bluesky/bluesky_posts.h"

#include <rapidjson/document.h>

#include <algorithm>

#include "connectors/json_fields.h"
#include "core/utf8.h"

namespace earshot {
namespace {

constexpr const char* kAppUrl = "https://bsky.app/profile/";

// "en-US" -> "en"; anything that is not a plain language code -> "".
std::string Language(const rapidjson::Value& record) {
  const rapidjson::Value* langs = json::Member(record, "langs");
  if (!langs || !langs->IsArray() || langs->Empty()) return "";
  std::string lang = json::Utf8((*langs)[0]);
  lang = lang.substr(0, lang.find_first_of("-_"));
  std::transform(lang.begin(), lang.end(), lang.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  if (lang.size() < 2 || lang.size() > 3 ||
      !std::all_of(lang.begin(), lang.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
    return "";
  }
  return lang;
}

std::string RefUri(const rapidjson::Value& record, const char* which) {
  const rapidjson::Value* ref = json::Path(record, {"reply", which});
  return ref ? json::String(*ref, "uri") : "";
}

Mention PostToMention(const rapidjson::Value& post, const std::string& uri,
                      const std::string& source) {
  Mention m;
  m.source = source;
  m.platform = "bluesky";
  m.external_id = uri;
  if (const rapidjson::Value* author = json::Member(post, "author")) {
    m.author.id = json::String(*author, "did");
    m.author.handle = json::String(*author, "handle");
    m.author.name = json::String(*author, "displayName");
    const std::string who = m.author.handle.empty() || m.author.handle == "handle.invalid"
                                ? m.author.id
                                : m.author.handle;
    if (!who.empty()) m.author.profile_url = kAppUrl + who;
  }
  m.url = BlueskyPostUrl(uri, m.author.handle, m.author.id);
  static const rapidjson::Value kEmpty(rapidjson::kObjectType);
  const rapidjson::Value* record = json::Member(post, "record");
  if (!record || !record->IsObject()) record = &kEmpty;
  m.text = json::String(*record, "text");
  m.lang = Language(*record);
  m.created_at = ParseRfc3339(json::String(*record, "createdAt")).value_or(0);
  m.parent_id = RefUri(*record, "parent");
  m.thread_id = RefUri(*record, "root");
  if (m.thread_id.empty()) m.thread_id = uri;
  m.engagement.likes = json::Count(post, "likeCount");
  m.engagement.replies = json::Count(post, "replyCount");
  m.engagement.shares = json::Count(post, "repostCount") + json::Count(post, "quoteCount");
  m.raw = json::Raw(post);
  return m;
}

}  // namespace

std::string BlueskyPostUrl(std::string_view uri, const std::string& handle,
                           const std::string& did) {
  // at://did:plc:xyz/app.bsky.feed.post/3lpk2u6qo222m
  constexpr std::string_view kCollection = "/app.bsky.feed.post/";
  if (uri.rfind("at://", 0) != 0) return "";
  const size_t at = uri.find(kCollection);
  if (at == std::string_view::npos) return "";
  const std::string_view rkey = uri.substr(at + kCollection.size());
  if (rkey.empty() || rkey.find('/') != std::string_view::npos) return "";
  std::string who = handle;
  if (who.empty() || who == "handle.invalid") who = did;
  if (who.empty()) who = std::string(uri.substr(5, at - 5));
  return kAppUrl + who + "/post/" + std::string(rkey);
}

Result<BlueskyPage> ParseBlueskyPosts(std::string_view body, const std::string& source) {
  rapidjson::Document doc;
  if (Status parsed = json::Parse(body, &doc); !parsed.ok()) return parsed;
  if (!doc.IsObject()) {
    return Status::ParseError(std::string("expected a searchPosts response object, got ") +
                              json::TypeName(doc));
  }
  const rapidjson::Value* posts = json::Member(doc, "posts");
  if (!posts) {
    if (std::string error = BlueskyErrorMessage(body); !error.empty()) {
      return Status::ParseError("an error, not posts: " + error);
    }
    return Status::ParseError("no \"posts\" array: not a searchPosts response");
  }
  if (!posts->IsArray()) {
    return Status::ParseError(std::string("\"posts\" is ") + json::TypeName(*posts) +
                              ", not an array");
  }
  BlueskyPage page;
  page.cursor = json::String(doc, "cursor");
  page.posts = posts->Size();
  for (rapidjson::SizeType i = 0; i < posts->Size(); ++i) {
    const rapidjson::Value& post = (*posts)[i];
    const std::string where = "post " + std::to_string(i);
    if (!post.IsObject()) {
      page.warnings.push_back(where + " skipped: " + json::TypeName(post) + ", not an object");
      continue;
    }
    const std::string uri = json::String(post, "uri");
    if (uri.rfind("at://", 0) != 0) {
      page.warnings.push_back(where + " skipped: no at:// \"uri\"");
      continue;
    }
    Mention m = PostToMention(post, uri, source);
    const auto indexed = ParseRfc3339(json::String(post, "indexedAt"));
    UnixMillis sort_at = indexed.value_or(m.created_at);
    if (indexed && m.created_at > 0) sort_at = std::min(*indexed, m.created_at);
    if (m.created_at == 0) m.created_at = indexed.value_or(0);
    page.mentions.push_back(std::move(m));
    page.sort_at.push_back(sort_at);
  }
  return page;
}

std::string BlueskyErrorName(std::string_view body) {
  rapidjson::Document doc;
  if (!json::Parse(body, &doc).ok() || !doc.IsObject()) return "";
  return std::string(TruncateUtf8(json::String(doc, "error"), 80));
}

std::string BlueskyErrorMessage(std::string_view body) {
  rapidjson::Document doc;
  if (!json::Parse(body, &doc).ok() || !doc.IsObject()) return "";
  std::string message = json::String(doc, "error");
  if (std::string more = json::String(doc, "message"); !more.empty() && more != message) {
    message += message.empty() ? more : ": " + more;
  }
  return std::string(TruncateUtf8(CollapseWhitespace(message), 200));
}

}  // namespace earshot
