#include "connectors/x/x_posts.h"

#include <rapidjson/document.h>

#include <map>

#include "connectors/html_entities.h"
#include "connectors/json_fields.h"
#include "core/time.h"
#include "core/utf8.h"

namespace earshot {
namespace {

// X's text is plain but for &amp;, &lt; and &gt;.
std::string DecodeXText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '&') {
      size_t used = 0;
      std::string decoded = DecodeEntityAt(text, i, &used);
      if (used > 0) {
        out += decoded;
        i += used - 1;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

bool IsDigits(std::string_view s) {
  if (s.empty() || s.size() > 19) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

std::string ErrorsMessage(const rapidjson::Value& errors) {
  std::string out;
  if (!errors.IsArray()) return out;
  for (const auto& e : errors.GetArray()) {
    std::string m = json::String(e, "message");
    if (m.empty()) m = json::String(e, "detail");
    if (m.empty()) continue;
    if (!out.empty()) out += "; ";
    out += m;
  }
  return out;
}

}  // namespace

std::string XErrorMessage(std::string_view body) {
  rapidjson::Document doc;
  if (!json::Parse(body, &doc).ok() || !doc.IsObject()) return "";
  std::string out = json::String(doc, "title");
  const std::string detail = json::String(doc, "detail");
  if (!detail.empty()) out += (out.empty() ? "" : ": ") + detail;
  if (const auto* errors = json::Member(doc, "errors")) {
    if (const std::string listed = ErrorsMessage(*errors); !listed.empty()) {
      out = out.empty() ? listed : out + " (" + listed + ")";
    }
  }
  return std::string(TruncateUtf8(CollapseWhitespace(out), 300));
}

Result<XSearchPage> ParseXSearchPage(std::string_view body, const std::string& source) {
  rapidjson::Document doc;
  if (Status parsed = json::Parse(body, &doc); !parsed.ok()) return parsed;
  if (!doc.IsObject()) {
    return Status::ParseError(std::string("expected a search response object, got ") +
                              json::TypeName(doc));
  }
  const rapidjson::Value* data = json::Member(doc, "data");
  const rapidjson::Value* meta = json::Member(doc, "meta");
  if (!data && !meta) {
    if (const std::string error = XErrorMessage(body); !error.empty()) {
      return Status::ParseError("an error, not posts: " + error);
    }
    return Status::ParseError("no \"data\" or \"meta\": not an X search response");
  }
  if (data && !data->IsArray()) {
    return Status::ParseError(std::string("\"data\" is ") + json::TypeName(*data) +
                              ", not an array");
  }
  XSearchPage page;
  if (meta) {
    page.newest_id = json::Id(*meta, "newest_id");
    page.oldest_id = json::Id(*meta, "oldest_id");
    page.result_count = json::Count(*meta, "result_count");
    page.next_token = json::String(*meta, "next_token");
  }
  if (const auto* errors = json::Member(doc, "errors")) {
    if (std::string m = ErrorsMessage(*errors); !m.empty()) {
      page.warnings.push_back("partial errors: " + std::string(TruncateUtf8(m, 300)));
    }
  }
  std::map<std::string, const rapidjson::Value*> users;
  if (const auto* list = json::Path(doc, {"includes", "users"}); list && list->IsArray()) {
    for (const auto& u : list->GetArray()) {
      if (const std::string id = json::Id(u, "id"); !id.empty()) users[id] = &u;
    }
  }
  if (!data) return page;
  for (rapidjson::SizeType i = 0; i < data->Size(); ++i) {
    const rapidjson::Value& post = (*data)[i];
    const std::string where = "post " + std::to_string(i);
    if (!post.IsObject()) {
      page.warnings.push_back(where + " skipped: " + json::TypeName(post) + ", not an object");
      continue;
    }
    const std::string id = json::Id(post, "id");
    if (!IsDigits(id)) {
      page.warnings.push_back(where + " skipped: no numeric id");
      continue;
    }
    Mention m;
    m.source = source;
    m.platform = "x";
    m.external_id = id;
    // Each edit is a new post id; the history lists them oldest first, so its first id is the
    // post's one identity across edits. It does not date the edit: it was made by now.
    if (const auto* history = json::Member(post, "edit_history_tweet_ids");
        history && history->IsArray() && history->Size() > 1) {
      if (const std::string first = json::Utf8((*history)[0]); IsDigits(first)) {
        m.external_id = first;
        m.edited_at = NowMillis();
      }
    }
    m.text = DecodeXText(json::String(post, "text"));
    m.lang = json::String(post, "lang");
    if (m.lang == "und" || m.lang == "zxx" || m.lang == "qme" || m.lang == "qht") m.lang.clear();
    if (auto t = ParseRfc3339(json::String(post, "created_at"))) m.created_at = *t;
    m.thread_id = json::Id(post, "conversation_id");
    if (const auto* refs = json::Member(post, "referenced_tweets"); refs && refs->IsArray()) {
      for (const auto& r : refs->GetArray()) {
        if (json::String(r, "type") == "replied_to") m.parent_id = json::Id(r, "id");
      }
    }
    if (const auto* metrics = json::Member(post, "public_metrics")) {
      m.engagement.likes = json::Count(*metrics, "like_count");
      m.engagement.replies = json::Count(*metrics, "reply_count");
      m.engagement.shares =
          json::Count(*metrics, "retweet_count") + json::Count(*metrics, "quote_count");
    }
    m.author.id = json::Id(post, "author_id");
    std::string username;
    if (auto it = users.find(m.author.id); it != users.end()) {
      const rapidjson::Value& user = *it->second;
      username = json::String(user, "username");
      m.author.name = json::String(user, "name");
      if (const auto* metrics = json::Member(user, "public_metrics")) {
        if (json::Member(*metrics, "followers_count")) {
          m.author.followers = json::Count(*metrics, "followers_count");
        }
      }
    }
    const bool plain_username =
        !username.empty() && username.find_first_of("/?#% ") == std::string::npos;
    if (plain_username) {
      m.author.handle = username;
      m.author.profile_url = "https://x.com/" + username;
      m.url = "https://x.com/" + username + "/status/" + id;
    } else {
      m.url = "https://x.com/i/web/status/" + id;
    }
    m.raw = json::Raw(post);
    page.mentions.push_back(std::move(m));
    page.post_ids.push_back(id);
  }
  return page;
}

}  // namespace earshot
