#include "daemon/notify/slack_payload.h"

#include "core/utf8.h"
#include "daemon/notify/json_out.h"
#include "daemon/notify/text_format.h"

namespace earshot {
namespace {

// Slack's limits: header text 150 characters, section text 3000, button text 75.
constexpr size_t kHeaderBytes = 150;
constexpr size_t kSectionBytes = 2900;

void PlainText(JsonWriter& w, std::string_view text) {
  w.Key("text");
  w.StartObject();
  JsonField(w, "type", "plain_text");
  JsonField(w, "text", text);
  w.Key("emoji");
  w.Bool(true);
  w.EndObject();
}

void MrkdwnSection(JsonWriter& w, const std::string& text) {
  w.StartObject();
  JsonField(w, "type", "section");
  w.Key("text");
  w.StartObject();
  JsonField(w, "type", "mrkdwn");
  JsonField(w, "text", TruncateUtf8(text, kSectionBytes));
  w.EndObject();
  w.EndObject();
}

void Button(JsonWriter& w, std::string_view label, std::string_view action, std::string_view url) {
  w.StartObject();
  JsonField(w, "type", "button");
  PlainText(w, label);
  JsonField(w, "url", url);
  JsonField(w, "action_id", action);
  w.EndObject();
}

}  // namespace

std::string SlackEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string MattermostEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (std::string_view("\\`*_{}[]()#+-.!|~<>").find(c) != std::string_view::npos) out += '\\';
    out += c;
    if (c == '@') out += "\u200B";
  }
  return out;
}

HttpRequest BuildSlackRequest(const ChannelConfig& channel, const AlertMessage& message) {
  const std::string headline = Headline(message);
  const std::string summary = OneLine(message.summary, 500);
  const Excerpt excerpt = ShownExcerpt(message);

  std::string body_text = "*" + SlackEscape(summary) + "*";
  if (summary.empty()) body_text.clear();
  if (!excerpt.text.empty()) {
    if (!body_text.empty()) body_text += "\n";
    body_text += ">" + RenderHighlights(excerpt.text, excerpt.spans, SlackEscape, "*", "*");
  }
  std::string more;
  if (const std::string heading = MoreHeading(message); !heading.empty()) {
    more = "*" + SlackEscape(heading) + "*";
    for (const std::string& line : ShownMoreLines(message))
      more += "\n• " + SlackEscape(line);
  }
  std::string context = SlackEscape(Provenance(message));

  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  JsonField(w, "text", SlackEscape(headline + (summary.empty() ? "" : ": " + summary)));
  w.Key("blocks");
  w.StartArray();
  w.StartObject();
  JsonField(w, "type", "header");
  PlainText(w, OneLine(headline, kHeaderBytes));
  w.EndObject();
  if (!body_text.empty()) MrkdwnSection(w, body_text);
  if (!more.empty()) MrkdwnSection(w, more);
  if (!context.empty()) {
    w.StartObject();
    JsonField(w, "type", "context");
    w.Key("elements");
    w.StartArray();
    w.StartObject();
    JsonField(w, "type", "mrkdwn");
    JsonField(w, "text", context);
    w.EndObject();
    w.EndArray();
    w.EndObject();
  }
  const bool post = IsWebUrl(message.url), open_case = IsWebUrl(message.case_url);
  if (post || open_case) {
    w.StartObject();
    JsonField(w, "type", "actions");
    w.Key("elements");
    w.StartArray();
    if (post) Button(w, "Open post", "open_post", message.url);
    if (open_case) Button(w, "Open case", "open_case", message.case_url);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return JsonPost(channel.url, message.delivery_id, buffer.GetString());
}

HttpRequest BuildMattermostRequest(const ChannelConfig& channel, const AlertMessage& message) {
  std::string text = "#### " + MattermostEscape(Headline(message));
  if (const std::string summary = OneLine(message.summary, 500); !summary.empty()) {
    text += "\n**" + MattermostEscape(summary) + "**";
  }
  const Excerpt excerpt = ShownExcerpt(message);
  if (!excerpt.text.empty()) {
    text += "\n> " + RenderHighlights(excerpt.text, excerpt.spans, MattermostEscape, "**", "**");
  }
  if (const std::string heading = MoreHeading(message); !heading.empty()) {
    text += "\n\n**" + MattermostEscape(heading) + "**";
    for (const std::string& line : ShownMoreLines(message)) {
      text += "\n- " + MattermostEscape(line);
    }
  }
  if (const std::string provenance = Provenance(message); !provenance.empty()) {
    text += "\n\n" + MattermostEscape(provenance);
  }
  std::string links;
  if (IsWebUrl(message.url)) links = "[Open post](" + MarkdownLinkUrl(message.url) + ")";
  if (IsWebUrl(message.case_url)) {
    if (!links.empty()) links += " · ";
    links += "[Open case](" + MarkdownLinkUrl(message.case_url) + ")";
  }
  if (!links.empty()) text += "\n" + links;

  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  JsonField(w, "text", text);
  w.EndObject();
  return JsonPost(channel.url, message.delivery_id, buffer.GetString());
}

}  // namespace earshot
