#include "daemon/notify/error_text.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <vector>

#include "connectors/http/redact.h"
#include "core/utf8.h"
#include "daemon/notify/text_format.h"

namespace earshot {
namespace {

constexpr std::string_view kRedacted = "REDACTED";
// Path segments and query values at least this long in a channel's URL are taken as secrets
// (Slack's and Discord's webhook tokens, Teams' sig); short ones are words like "services".
constexpr size_t kSecretPartBytes = 16;

void ReplaceAll(std::string& text, std::string_view what) {
  if (what.size() < 4) return;  // a tiny "secret" would shred the message and hide nothing
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + kRedacted.size())) {
    text.replace(at, what.size(), kRedacted);
  }
}

void AddUrlParts(std::string_view url, std::vector<std::string>& secrets) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return;
  std::string_view rest = url.substr(scheme + 3);
  const size_t path = rest.find_first_of("/?#");
  if (path == std::string_view::npos) return;
  rest = rest.substr(path);
  size_t start = 0;
  while (start < rest.size()) {
    size_t end = rest.find_first_of("/?#&=", start + 1);
    if (end == std::string_view::npos) end = rest.size();
    std::string_view part = rest.substr(start + 1, end - start - 1);
    if (part.size() >= kSecretPartBytes) secrets.emplace_back(part);
    start = end;
  }
}

std::string StringMember(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd()) return "";
  if (it->value.IsString()) return {it->value.GetString(), it->value.GetStringLength()};
  if (it->value.IsObject()) return StringMember(it->value, "message");
  return "";
}

}  // namespace

std::string SafeEndpoint(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "(no URL)";
  std::string_view rest = url.substr(scheme + 3);
  const size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  std::string out = std::string(url.substr(0, scheme + 3)) + std::string(authority);
  if (end != std::string_view::npos && end + 1 < rest.size()) out += "/…";
  return SanitizeUtf8(out);
}

std::string ScrubSecrets(std::string_view text, const ChannelConfig& channel) {
  std::vector<std::string> secrets = {channel.url, channel.token, channel.secret, channel.password};
  AddUrlParts(channel.url, secrets);
  std::sort(secrets.begin(), secrets.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  std::string out(text);
  for (const std::string& secret : secrets)
    ReplaceAll(out, secret);
  return RedactUrlsIn(out);
}

std::string ReceiverErrorText(std::string_view body) {
  std::string text;
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (!doc.HasParseError() && doc.IsObject()) {
    for (const char* name : {"description", "message", "error", "error_description"}) {
      text = StringMember(doc, name);
      if (!text.empty()) break;
    }
  }
  if (text.empty()) text = std::string(body);
  return OneLine(SanitizeUtf8(text), 300);
}

}  // namespace earshot
