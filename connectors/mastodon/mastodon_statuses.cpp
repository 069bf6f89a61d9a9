#include "connectors/mastodon/mastodon_statuses.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "connectors/html_text.h"
#include "connectors/mastodon/mastodon_ids.h"
#include "core/time.h"
#include "core/utf8.h"

namespace earshot {
namespace {

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

std::string Str(const rapidjson::Value& obj, const char* key) {
  const rapidjson::Value* v = Member(obj, key);
  if (!v) return "";
  if (v->IsString()) return SanitizeUtf8(std::string_view(v->GetString(), v->GetStringLength()));
  if (v->IsInt64()) return std::to_string(v->GetInt64());
  if (v->IsUint64()) return std::to_string(v->GetUint64());
  return "";
}

std::optional<int64_t> Int(const rapidjson::Value& obj, const char* key) {
  const rapidjson::Value* v = Member(obj, key);
  if (!v) return std::nullopt;
  if (v->IsInt64()) return v->GetInt64();
  if (v->IsUint64()) return INT64_MAX;
  if (v->IsDouble() && std::isfinite(v->GetDouble()) && std::fabs(v->GetDouble()) < 9.2e18) {
    return static_cast<int64_t>(v->GetDouble());
  }
  return std::nullopt;
}

int64_t Count(const rapidjson::Value& obj, const char* key) {
  return std::max<int64_t>(0, Int(obj, key).value_or(0));
}

std::string Raw(const rapidjson::Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  v.Accept(writer);
  return SanitizeUtf8(std::string_view(buffer.GetString(), buffer.GetSize()));
}

// "en-GB" -> "en"; Mastodon sends ISO 639-1 codes or null.
std::string Language(const rapidjson::Value& status) {
  std::string lang = Str(status, "language");
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
  m.external_id = Str(status, "id");
  m.url = Str(status, "url");
  if (m.url.empty()) m.url = Str(status, "uri");
  if (const rapidjson::Value* account = Member(status, "account"); account && account->IsObject()) {
    m.author.id = Str(*account, "id");
    m.author.handle = Str(*account, "acct");
    if (m.author.handle.empty()) m.author.handle = Str(*account, "username");
    m.author.name = Str(*account, "display_name");
    m.author.followers = Int(*account, "followers_count");
    m.author.profile_url = Str(*account, "url");
  }
  // A content warning reads like a subject line.
  m.title = CollapseWhitespace(HtmlToText(Str(status, "spoiler_text")));
  m.text = HtmlToText(Str(status, "content"));
  m.lang = Language(status);
  m.created_at = ParseRfc3339(Str(status, "created_at")).value_or(0);
  m.parent_id = Str(status, "in_reply_to_id");
  m.engagement.likes = Count(status, "favourites_count");
  m.engagement.replies = Count(status, "replies_count");
  m.engagement.shares = Count(status, "reblogs_count");
  m.raw = Raw(status);
  return m;
}

// Why a status cannot be a mention, or "" when it can.
std::string Unusable(const rapidjson::Value& status) {
  if (!status.IsObject()) return std::string(TypeName(status)) + ", not an object";
  const rapidjson::Value* id = Member(status, "id");
  if (!id || !id->IsString() || id->GetStringLength() == 0) return "no \"id\" string";
  if (!Member(status, "content") && !Member(status, "reblog")) {
    return "no \"content\": not a status";
  }
  return "";
}

}  // namespace

Result<MastodonPage> ParseMastodonStatuses(std::string_view body, const std::string& source) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (doc.HasParseError()) {
    return Status::ParseError("invalid JSON at byte " + std::to_string(doc.GetErrorOffset()) +
                              ": " + rapidjson::GetParseError_En(doc.GetParseError()));
  }
  const rapidjson::Value* list = nullptr;
  const rapidjson::Value* single = nullptr;
  if (doc.IsArray()) {
    list = &doc;
  } else if (doc.IsObject()) {
    if (const rapidjson::Value* statuses = Member(doc, "statuses")) {
      if (!statuses->IsArray()) {
        return Status::ParseError(std::string("\"statuses\" is ") + TypeName(*statuses) +
                                  ", not an array");
      }
      list = statuses;
    } else if (Member(doc, "id") && Member(doc, "content")) {
      single = &doc;
    } else if (std::string error = MastodonErrorMessage(body); !error.empty()) {
      return Status::ParseError("an error, not statuses: " + error);
    } else {
      return Status::ParseError(
          "expected an array of statuses or a search result, got an "
          "object without \"statuses\"");
    }
  } else {
    return Status::ParseError(std::string("expected an array of statuses, got ") + TypeName(doc));
  }
  MastodonPage page;
  std::set<std::string> seen;
  auto add = [&](const rapidjson::Value& status, const std::string& where) {
    ++page.statuses;
    if (std::string why = Unusable(status); !why.empty()) {
      page.warnings.push_back(where + " skipped: " + why);
      return;
    }
    const std::string id = Str(status, "id");
    if (page.newest_id.empty() || CompareStatusIds(id, page.newest_id) > 0) page.newest_id = id;
    // A boost is the boosted status, once, whoever boosted it.
    const rapidjson::Value* original = &status;
    if (const rapidjson::Value* reblog = Member(status, "reblog"); reblog && !reblog->IsNull()) {
      if (std::string why = Unusable(*reblog); !why.empty()) {
        page.warnings.push_back(where + " skipped: its reblog has " + why);
        return;
      }
      original = reblog;
    }
    const std::string visibility = Str(*original, "visibility");
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
  std::string message = Str(doc, "error");
  if (std::string more = Str(doc, "error_description"); !more.empty() && more != message) {
    message += message.empty() ? more : ": " + more;
  }
  return std::string(TruncateUtf8(CollapseWhitespace(message), 200));
}

}  // namespace earshot
