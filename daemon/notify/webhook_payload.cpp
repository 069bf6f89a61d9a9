#include "daemon/notify/webhook_payload.h"

#include "daemon/notify/json_out.h"
#include "daemon/notify/webhook_signature.h"

namespace earshot {

std::string AlertToJson(const AlertMessage& message) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  JsonField(w, "delivery_id", message.delivery_id);
  JsonField(w, "rule", message.rule);
  JsonField(w, "priority", message.priority);
  JsonField(w, "summary", message.summary);
  JsonField(w, "source", message.source);
  JsonField(w, "platform", message.platform);
  JsonField(w, "author", message.author);
  JsonField(w, "excerpt", message.excerpt);
  w.Key("highlights");
  w.StartArray();
  for (const Span& span : message.highlights) {
    if (span.begin >= span.end || span.end > message.excerpt.size()) continue;
    w.StartObject();
    w.Key("begin");
    w.Uint64(span.begin);
    w.Key("end");
    w.Uint64(span.end);
    JsonField(w, "text",
              std::string_view(message.excerpt).substr(span.begin, span.end - span.begin));
    w.EndObject();
  }
  w.EndArray();
  JsonField(w, "url", message.url);
  JsonField(w, "case_url", message.case_url);
  w.Key("group_count");
  w.Int(message.group_count);
  w.Key("more_lines");
  w.StartArray();
  for (const std::string& line : message.more_lines)
    JsonString(w, line);
  w.EndArray();
  w.EndObject();
  return buffer.GetString();
}

HttpRequest BuildWebhookRequest(const ChannelConfig& channel, const AlertMessage& message,
                                int64_t unix_seconds) {
  HttpRequest request = JsonPost(channel.url, message.delivery_id, AlertToJson(message));
  request.headers.emplace_back("X-Earshot-Timestamp", std::to_string(unix_seconds));
  if (!channel.secret.empty()) {
    request.headers.emplace_back("X-Earshot-Signature",
                                 WebhookSignature(channel.secret, unix_seconds, request.body));
  }
  return request;
}

}  // namespace earshot
