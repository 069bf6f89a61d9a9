#include "connectors/mastodon/mastodon_statuses.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "connectors/html_text.h"
#include "connectors/json_fields.h"
#include "connectors/mastodon/mastodon_ids.h"
#include "core/time.h"
#include "core/utf8.h"

namespace earshot {
namespace {

// "en-GB" -> "en"; Mastodon sends ISO 639-1 codes or null.
std::string Language(const rapidjson::Value& status) {
  std::string lang = json::Id(status, "language");
  lang = lang.substr(0, lang.find_first_of("-_"));
  if (lang.size() < 2 || lang.size() > 3 ||
      !std::all_of(lang.begin(), lang.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
    return "";
  }
  return lang;
}

Mention StatusToMention(const rapidjson::Value& status, const std::string& source) {
  Mention m;
  m.source = source;
  m.platform = "mastodon";
  m.external_id = json::Id(status, "id");
  m.url = json::Id(status, "url");
  if (m.url.empty()) m.url = json::Id(status, "uri");
  if (const rapidjson::Value* account = json::Member(status, "account");
      account && account->IsObject()) {
    m.author.id = json::Id(*account, "id");
    m.author.handle = json::Id(*account, "acct");
    if (m.author.handle.empty()) m.author.handle = json::Id(*account, "username");
    m.author.name = json::Id(*account, "display_name");
    m.author.followers = json::Int(*account, "followers_count");
    m.author.profile_url = json::Id(*account, "url");
  }
  // A content warning reads like a subject line.
  m.title = CollapseWhitespace(HtmlToText(json::Id(status, "spoiler_text")));
  m.text = HtmlToText(json::Id(status, "content"));
  m.lang = Language(status);
  m.created_at = ParseRfc3339(json::Id(status, "created_at")).value_or(0);
  m.edited_at = ParseRfc3339(json::Id(status, "edited_at")).value_or(0);
  m.parent_id = json::Id(status, "in_reply_to_id");
  m.engagement.likes = json::Count(status, "favourites_count");
  m.engagement.replies = json::Count(status, "replies_count");
  m.engagement.shares = json::Count(status, "reblogs_count");
  m.raw = json::Raw(status);
  return m;
}

// Why a status cannot be a mention, or "" when it can.
std::string Unusable(const rapidjson::Value& status) {
  if (!status.IsObject()) return std::string(json::TypeName(status)) + ", not an object";
  const rapidjson::Value* id = json::Member(status, "id");
  if (!id || !id->IsString() || id->GetStringLength() == 0) return "no \"id\" string";
  if (!json::Member(status, "content") && !json::Member(status, "reblog")) {
    return "no \"content\": not a status";
  }
  return "";
}

}  // namespace

Result<MastodonPage> ParseMastodonStatuses(std::string_view body, const std::string& source) {
  rapidjson::Document doc;
  if (Status parsed = json::Parse(body, &doc); !parsed.ok()) return parsed;
  const rapidjson::Value* list = nullptr;
  const rapidjson::Value* single = nullptr;
  if (doc.IsArray()) {
    list = &doc;
  } else if (doc.IsObject()) {
    if (const rapidjson::Value* statuses = json::Member(doc, "statuses")) {
      if (!statuses->IsArray()) {
        return Status::ParseError(std::string("\"statuses\" is ") + json::TypeName(*statuses) +
                                  ", not an array");
      }
      list = statuses;
    } else if (json::Member(doc, "id") && json::Member(doc, "content")) {
      single = &doc;
    } else if (std::string error = MastodonErrorMessage(body); !error.empty()) {
      return Status::ParseError("an error, not statuses: " + error);
    } else {
      return Status::ParseError(
          "expected an array of statuses or a search result, got an "
          "object without \"statuses\"");
    }
  } else {
    return Status::ParseError(std::string("expected an array of statuses, got ") +
                              json::TypeName(doc));
  }
  MastodonPage page;
  std::set<std::string> seen;
  auto add = [&](const rapidjson::Value& status, const std::string& where) {
    ++page.statuses;
    if (std::string why = Unusable(status); !why.empty()) {
      page.warnings.push_back(where + " skipped: " + why);
      return;
    }
    const std::string id = json::Id(status, "id");
    if (page.newest_id.empty() || CompareStatusIds(id, page.newest_id) > 0) page.newest_id = id;
    // A boost is the boosted status, once, whoever boosted it.
    const rapidjson::Value* original = &status;
    if (const rapidjson::Value* reblog = json::Member(status, "reblog");
        reblog && !reblog->IsNull()) {
      if (std::string why = Unusable(*reblog); !why.empty()) {
        page.warnings.push_back(where + " skipped: its reblog has " + why);
        return;
      }
      original = reblog;
    }
    const std::string visibility = json::Id(*original, "visibility");
    if (visibility == "direct" || visibility == "private") return;
    Mention m = StatusToMention(*original, source);
    if (seen.insert(m.external_id).second) page.mentions.push_back(std::move(m));
  };
  if (single) {
    add(*single, "status");
  } else {
    for (rapidjson::SizeType i = 0; i < list->Size(); ++i)
      add((*list)[i], "status " + std::to_string(i));
  }
  return page;
}

std::string MastodonErrorMessage(std::string_view body) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return "";
  std::string message = json::Id(doc, "error");
  if (std::string more = json::Id(doc, "error_description"); !more.empty() && more != message) {
    message += message.empty() ? more : ": " + more;
  }
  return std::string(TruncateUtf8(CollapseWhitespace(message), 200));
}

}  // namespace earshot
