#include "daemon/notify/telegram_payload.h"

#include <charconv>
#include <cstdint>

#include "daemon/notify/json_out.h"
#include "daemon/notify/text_format.h"

namespace earshot {
namespace {

std::string Bold(std::string_view s) {
  return "*" + MarkdownV2Escape(s) + "*";
}

std::string Link(std::string_view label, const std::string& url) {
  return "[" + MarkdownV2Escape(label) + "](" + MarkdownV2UrlEscape(url) + ")";
}

void ChatId(JsonWriter& w, std::string_view chat_id) {
  w.Key("chat_id");
  int64_t number = 0;
  const char* end = chat_id.data() + chat_id.size();
  auto [at, ec] = std::from_chars(chat_id.data(), end, number);
  if (!chat_id.empty() && ec == std::errc() && at == end) {
    w.Int64(number);
  } else {
    JsonString(w, chat_id);
  }
}

}  // namespace

std::string MarkdownV2Escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 4);
  for (char c : s) {
    if (std::string_view("_*[]()~`>#+-=|{}.!\\").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string MarkdownV2UrlEscape(std::string_view url) {
  std::string out;
  out.reserve(url.size());
  for (char c : url) {
    if (c == ')' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

HttpRequest BuildTelegramRequest(const ChannelConfig& channel, const AlertMessage& message) {
  std::string text = Bold(Headline(message));
  if (const std::string summary = OneLine(message.summary, 500); !summary.empty()) {
    text += "\n" + Bold(summary);
  }
  const Excerpt excerpt = ShownExcerpt(message);
  if (!excerpt.text.empty()) {
    text += "\n\n" + RenderHighlights(excerpt.text, excerpt.spans, MarkdownV2Escape, "*", "*");
  }
  if (const std::string heading = MoreHeading(message); !heading.empty()) {
    text += "\n\n" + Bold(heading);
    for (const std::string& line : ShownMoreLines(message)) {
      text += "\n• " + MarkdownV2Escape(line);
    }
  }
  if (const std::string provenance = Provenance(message); !provenance.empty()) {
    text += "\n\n" + MarkdownV2Escape(provenance);
  }
  std::string links;
  if (IsWebUrl(message.url)) links = Link("Open post", message.url);
  if (IsWebUrl(message.case_url)) {
    if (!links.empty()) links += " · ";
    links += Link("Open case", message.case_url);
  }
  if (!links.empty()) text += "\n" + links;

  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  ChatId(w, channel.chat_id);
  JsonField(w, "text", text);
  JsonField(w, "parse_mode", "MarkdownV2");
  w.Key("link_preview_options");
  w.StartObject();
  w.Key("is_disabled");
  w.Bool(true);
  w.EndObject();
  w.EndObject();

  std::string base = channel.url.empty() ? std::string(kTelegramApiBase) : channel.url;
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  HttpRequest request = JsonPost(base + "/bot" + channel.token + "/sendMessage",
                                 message.delivery_id, buffer.GetString());
  // Telegram ignores unknown headers, but there is no reason to send it ours.
  request.headers.resize(1);
  return request;
}

}  // namespace earshot
