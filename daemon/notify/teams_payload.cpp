#include "daemon/notify/teams_payload.h"

#include <string>
#include <string_view>

#include "daemon/notify/json_out.h"
#include "daemon/notify/text_format.h"

namespace earshot {
namespace {

std::string_view HeadlineColor(std::string_view priority) {
  if (priority == "critical" || priority == "high") return "Attention";
  if (priority == "medium") return "Warning";
  return "Accent";
}

void TextRunObject(JsonWriter& w, std::string_view text, bool marked) {
  w.StartObject();
  JsonField(w, "type", "TextRun");
  JsonField(w, "text", text);
  if (marked) {
    JsonField(w, "weight", "Bolder");
    w.Key("highlight");
    w.Bool(true);
  }
  w.EndObject();
}

void StartRichText(JsonWriter& w) {
  w.StartObject();
  JsonField(w, "type", "RichTextBlock");
  w.Key("inlines");
  w.StartArray();
}

void EndRichText(JsonWriter& w) {
  w.EndArray();
  w.EndObject();
}

void Fact(JsonWriter& w, std::string_view title, const std::string& value) {
  if (value.empty()) return;
  w.StartObject();
  JsonField(w, "title", title);
  JsonField(w, "value", value);
  w.EndObject();
}

void OpenUrl(JsonWriter& w, std::string_view title, const std::string& url) {
  w.StartObject();
  JsonField(w, "type", "Action.OpenUrl");
  JsonField(w, "title", title);
  JsonField(w, "url", url);
  w.EndObject();
}

void WriteBody(JsonWriter& w, const AlertMessage& message) {
  w.StartArray();
  w.StartObject();
  JsonField(w, "type", "TextBlock");
  JsonField(w, "text", Headline(message));
  JsonField(w, "weight", "Bolder");
  JsonField(w, "size", "Medium");
  JsonField(w, "color", HeadlineColor(message.priority));
  w.Key("wrap");
  w.Bool(true);
  w.EndObject();

  if (const std::string summary = OneLine(message.summary, 500); !summary.empty()) {
    StartRichText(w);
    TextRunObject(w, summary, false);
    EndRichText(w);
  }
  const Excerpt excerpt = ShownExcerpt(message);
  if (!excerpt.text.empty()) {
    StartRichText(w);
    for (const TextRun& run : SplitHighlights(excerpt.text, excerpt.spans)) {
      TextRunObject(w, run.text, run.marked);
    }
    EndRichText(w);
  }
  if (const std::string heading = MoreHeading(message); !heading.empty()) {
    std::string lines = heading;
    for (const std::string& line : ShownMoreLines(message))
      lines += "\n• " + line;
    StartRichText(w);
    TextRunObject(w, lines, false);
    EndRichText(w);
  }

  w.StartObject();
  JsonField(w, "type", "FactSet");
  w.Key("facts");
  w.StartArray();
  Fact(w, "Source", OneLine(message.source, 100));
  Fact(w, "Platform", OneLine(message.platform, 100));
  Fact(w, "Author", OneLine(message.author, 100));
  if (message.group_count > 1) Fact(w, "Mentions", std::to_string(message.group_count));
  w.EndArray();
  w.EndObject();
  w.EndArray();
}

}  // namespace

HttpRequest BuildTeamsRequest(const ChannelConfig& channel, const AlertMessage& message) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  JsonField(w, "type", "message");
  w.Key("attachments");
  w.StartArray();
  w.StartObject();
  JsonField(w, "contentType", "application/vnd.microsoft.card.adaptive");
  w.Key("contentUrl");
  w.Null();
  w.Key("content");
  w.StartObject();
  JsonField(w, "$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
  JsonField(w, "type", "AdaptiveCard");
  JsonField(w, "version", "1.4");
  w.Key("body");
  WriteBody(w, message);
  w.Key("actions");
  w.StartArray();
  if (IsWebUrl(message.url)) OpenUrl(w, "Open post", message.url);
  if (IsWebUrl(message.case_url)) OpenUrl(w, "Open case", message.case_url);
  w.EndArray();
  w.EndObject();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return JsonPost(channel.url, message.delivery_id, buffer.GetString());
}

}  // namespace earshot
