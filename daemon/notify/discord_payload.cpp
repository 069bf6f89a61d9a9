#include "daemon/notify/discord_payload.h"

#include "core/utf8.h"
#include "daemon/notify/json_out.h"
#include "daemon/notify/text_format.h"

namespace earshot {
namespace {

// Discord's limits: content 2000, title 256, description 4096, field value 1024, footer 2048.
void Field(JsonWriter& w, std::string_view name, const std::string& value, bool inline_field) {
  if (value.empty()) return;
  w.StartObject();
  JsonField(w, "name", name);
  JsonField(w, "value", TruncateUtf8(value, 1000));
  w.Key("inline");
  w.Bool(inline_field);
  w.EndObject();
}

std::string WithQuery(const std::string& url, std::string_view param) {
  const size_t hash = url.find('#');
  std::string base = url.substr(0, hash);
  base += base.find('?') == std::string::npos ? '?' : '&';
  base += param;
  return base;
}

}  // namespace

std::string DiscordEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 4);
  for (char c : s) {
    if (std::string_view("\\*_~`|>#-[]()<:").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

int32_t DiscordColor(std::string_view priority) {
  if (priority == "critical") return 0xD32F2F;
  if (priority == "high") return 0xF57C00;
  if (priority == "medium") return 0xFBC02D;
  if (priority == "low") return 0x1976D2;
  return 0x9E9E9E;
}

HttpRequest BuildDiscordRequest(const ChannelConfig& channel, const AlertMessage& message) {
  const std::string summary = OneLine(message.summary, 250);
  const Excerpt excerpt = ShownExcerpt(message);
  std::string description =
      RenderHighlights(excerpt.text, excerpt.spans, DiscordEscape, "**", "**");
  if (const std::string heading = MoreHeading(message); !heading.empty()) {
    if (!description.empty()) description += "\n\n";
    description += "**" + DiscordEscape(heading) + "**";
    for (const std::string& line : ShownMoreLines(message)) {
      description += "\n• " + DiscordEscape(line);
    }
  }

  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  JsonField(w, "content", "**" + DiscordEscape(Headline(message)) + "**");
  w.Key("embeds");
  w.StartArray();
  w.StartObject();
  const std::string title = summary.empty() ? OneLine(message.rule, 250) : summary;
  if (!title.empty()) JsonField(w, "title", title);
  if (!description.empty()) JsonField(w, "description", TruncateUtf8(description, 4000));
  if (IsWebUrl(message.url)) JsonField(w, "url", message.url);
  w.Key("color");
  w.Int(DiscordColor(message.priority));
  w.Key("fields");
  w.StartArray();
  Field(w, "Source", DiscordEscape(OneLine(message.source, 100)), true);
  Field(w, "Platform", DiscordEscape(OneLine(message.platform, 100)), true);
  Field(w, "Author", DiscordEscape(OneLine(message.author, 100)), true);
  if (message.group_count > 1) Field(w, "Mentions", std::to_string(message.group_count), true);
  if (IsWebUrl(message.url)) {
    Field(w, "Post", "[Open post](" + MarkdownLinkUrl(message.url) + ")", true);
  }
  if (IsWebUrl(message.case_url)) {
    Field(w, "Case", "[Open case](" + MarkdownLinkUrl(message.case_url) + ")", true);
  }
  w.EndArray();
  w.Key("footer");
  w.StartObject();
  JsonField(w, "text", "earshot · " + OneLine(message.rule, 100));
  w.EndObject();
  w.EndObject();
  w.EndArray();
  w.Key("allowed_mentions");
  w.StartObject();
  w.Key("parse");
  w.StartArray();
  w.EndArray();
  w.EndObject();
  w.EndObject();
  return JsonPost(WithQuery(channel.url, "wait=true"), message.delivery_id, buffer.GetString());
}

}  // namespace earshot
