#include "connectors/stackexchange/stackexchange_items.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <cctype>

#include "connectors/html_text.h"
#include "connectors/json_fields.h"
#include "core/utf8.h"

namespace earshot {
namespace {

Mention ItemToMention(const rapidjson::Value& item, bool answer, int64_t question_id,
                      int64_t answer_id, const std::string& source, const std::string& host) {
  Mention m;
  m.source = source;
  m.platform = "stackexchange";
  const std::string q = "q" + std::to_string(question_id);
  if (answer) {
    m.external_id = "a" + std::to_string(answer_id);
    m.url = "https://" + host + "/a/" + std::to_string(answer_id);
    m.parent_id = q;
  } else {
    m.external_id = q;
    m.url = "https://" + host + "/q/" + std::to_string(question_id);
    m.engagement.replies = json::Count(item, "answer_count");
  }
  m.thread_id = q;
  m.title = CollapseWhitespace(HtmlToText(json::String(item, "title")));
  std::string body = json::String(item, "body");
  if (body.empty()) body = json::String(item, "excerpt");
  m.text = HtmlToText(body);
  if (const rapidjson::Value* owner = json::Member(item, "owner")) {
    m.author.id = json::Id(*owner, "user_id");
    m.author.name = HtmlToText(json::String(*owner, "display_name"));
    m.author.handle = m.author.name;
    m.author.profile_url = json::String(*owner, "link");
    m.author.followers = std::nullopt;
  }
  if (auto created = json::Int(item, "creation_date"); created && *created > 0) {
    m.created_at = *created * 1000;
  }
  if (auto edited = json::Int(item, "last_edit_date"); edited && *edited > 0) {
    m.edited_at = *edited * 1000;
  }
  m.engagement.likes = std::max<int64_t>(0, json::Int(item, "score").value_or(0));
  m.raw = json::Raw(item);
  return m;
}

}  // namespace

std::string StackExchangeError::ToString() const {
  std::string out = name.empty() ? "error" : name;
  if (id != 0) out += " (" + std::to_string(id) + ")";
  if (!message.empty()) out += ": " + message;
  return out;
}

std::string StackExchangeSiteHost(const std::string& site) {
  if (site.find('.') != std::string::npos && site.rfind("meta.", 0) != 0) return site;
  static const char* const kDotCom[] = {"stackoverflow", "serverfault", "superuser", "askubuntu",
                                        "stackapps"};
  std::string name = site;
  std::string prefix;
  if (name.rfind("meta.", 0) == 0) {
    prefix = "meta.";
    name = name.substr(5);
  }
  if (name.find('.') != std::string::npos) return site;  // "meta.unix.stackexchange.com"
  for (const char* known : kDotCom) {
    if (name == known) return prefix + name + ".com";
  }
  if (name == "mathoverflow") return prefix + "mathoverflow.net";
  return prefix + name + ".stackexchange.com";
}

std::optional<StackExchangeError> ParseStackExchangeError(std::string_view body) {
  rapidjson::Document doc;
  if (!json::Parse(body, &doc).ok() || !doc.IsObject()) return std::nullopt;
  if (!json::Member(doc, "error_id") && !json::Member(doc, "error_name")) return std::nullopt;
  StackExchangeError e;
  e.id = json::Int(doc, "error_id").value_or(0);
  e.name = std::string(TruncateUtf8(json::String(doc, "error_name"), 80));
  e.message =
      std::string(TruncateUtf8(CollapseWhitespace(json::String(doc, "error_message")), 200));
  return e;
}

std::optional<int64_t> StackExchangeThrottleSeconds(std::string_view message) {
  constexpr std::string_view kMarker = "available in ";
  const size_t at = message.find(kMarker);
  if (at == std::string_view::npos) return std::nullopt;
  size_t i = at + kMarker.size();
  int64_t seconds = 0;
  size_t digits = 0;
  for (; i < message.size() && std::isdigit(static_cast<unsigned char>(message[i])) && digits < 9;
       ++i, ++digits) {
    seconds = seconds * 10 + (message[i] - '0');
  }
  if (digits == 0) return std::nullopt;
  return seconds;
}

Result<StackExchangePage> ParseStackExchangePage(std::string_view body, const std::string& source,
                                                 const std::string& site_host) {
  rapidjson::Document doc;
  if (Status parsed = json::Parse(body, &doc); !parsed.ok()) return parsed;
  if (!doc.IsObject()) {
    return Status::ParseError(std::string("expected a response wrapper object, got ") +
                              json::TypeName(doc));
  }
  const rapidjson::Value* items = json::Member(doc, "items");
  if (!items) {
    if (auto error = ParseStackExchangeError(body)) {
      return Status::ParseError("an error, not items: " + error->ToString());
    }
    return Status::ParseError("no \"items\" array: not a Stack Exchange API response");
  }
  if (!items->IsArray()) {
    return Status::ParseError(std::string("\"items\" is ") + json::TypeName(*items) +
                              ", not an array");
  }
  StackExchangePage page;
  page.items = items->Size();
  page.has_more = json::Bool(doc, "has_more").value_or(false);
  page.quota_remaining = json::Int(doc, "quota_remaining");
  page.quota_max = json::Int(doc, "quota_max");
  page.backoff = json::Int(doc, "backoff");
  for (rapidjson::SizeType i = 0; i < items->Size(); ++i) {
    const rapidjson::Value& item = (*items)[i];
    const std::string where = "item " + std::to_string(i);
    if (!item.IsObject()) {
      page.warnings.push_back(where + " skipped: " + json::TypeName(item) + ", not an object");
      continue;
    }
    const std::string type = json::String(item, "item_type");
    const auto question_id = json::Int(item, "question_id");
    const auto answer_id = json::Int(item, "answer_id");
    const bool answer = type == "answer" || (type.empty() && answer_id);
    if (!type.empty() && type != "question" && type != "answer") {
      page.warnings.push_back(where + " skipped: item_type \"" +
                              std::string(TruncateUtf8(type, 40)) +
                              "\" is not a question or answer");
      continue;
    }
    if (!question_id || *question_id <= 0 || (answer && (!answer_id || *answer_id <= 0))) {
      page.warnings.push_back(where + " skipped: no " +
                              std::string(answer ? "answer_id" : "question_id"));
      continue;
    }
    Mention m = ItemToMention(item, answer, *question_id, answer_id.value_or(0), source, site_host);
    page.created.push_back(m.created_at / 1000);
    page.mentions.push_back(std::move(m));
  }
  return page;
}

}  // namespace earshot
