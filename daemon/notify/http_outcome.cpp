#include "daemon/notify/http_outcome.h"

#include <rapidjson/document.h>

#include <cmath>
#include <string>

#include "connectors/http/http_errors.h"
#include "connectors/http/redact.h"
#include "daemon/notify/error_text.h"

namespace earshot {
namespace {

// Telegram: {"ok":false,"parameters":{"retry_after":5}}; Discord: {"retry_after":1.5}. Seconds.
int64_t BodyRetryAfterMs(const rapidjson::Document& doc) {
  if (!doc.IsObject()) return -1;
  const rapidjson::Value* value = nullptr;
  if (auto it = doc.FindMember("retry_after"); it != doc.MemberEnd()) value = &it->value;
  if (auto p = doc.FindMember("parameters"); p != doc.MemberEnd() && p->value.IsObject()) {
    if (auto it = p->value.FindMember("retry_after"); it != p->value.MemberEnd()) {
      value = &it->value;
    }
  }
  if (!value || !value->IsNumber()) return -1;
  const double seconds = value->GetDouble();
  if (!(seconds >= 0) || seconds > 86'400.0 * 365) return -1;
  return static_cast<int64_t>(std::ceil(seconds * 1000));
}

bool TelegramOk(const rapidjson::Document& doc) {
  if (!doc.IsObject()) return false;
  auto it = doc.FindMember("ok");
  return it != doc.MemberEnd() && it->value.IsBool() && it->value.GetBool();
}

bool IsRetryable(int status) {
  return status == 408 || status == 429 || status >= 500;
}

}  // namespace

DeliveryResult ClassifyHttpResult(const ChannelConfig& channel, const HttpRequest& request,
                                  const Result<HttpResponse>& result, UnixMillis now) {
  DeliveryResult out;
  const std::string where =
      channel.kind + " channel \"" + channel.name + "\" (" + SafeEndpoint(request.url) + ")";
  if (!result.ok()) {
    std::string detail = result.status().message();
    const std::string prefix = request.method + " " + RedactUrl(request.url) + ": ";
    if (detail.compare(0, prefix.size(), prefix) == 0) detail.erase(0, prefix.size());
    out.outcome = result.status().code() == Status::Code::kInvalidArgument
                      ? DeliveryOutcome::kPermanentFailure
                      : DeliveryOutcome::kRetry;
    out.error = ScrubSecrets(where + ": " + detail, channel);
    return out;
  }

  const HttpResponse& response = *result;
  out.http_status = response.status;
  rapidjson::Document doc;
  doc.Parse(response.body.data(), response.body.size());
  if (doc.HasParseError()) doc.SetNull();

  if (response.status >= 200 && response.status < 300) {
    if (channel.kind == "telegram" && !TelegramOk(doc)) {
      out.outcome = DeliveryOutcome::kPermanentFailure;
      out.error = ScrubSecrets(where + ": HTTP " + std::to_string(response.status) +
                                   " without \"ok\": true: " + ReceiverErrorText(response.body),
                               channel);
      return out;
    }
    out.outcome = DeliveryOutcome::kDelivered;
    return out;
  }

  out.retry_after_ms = BodyRetryAfterMs(doc);
  if (out.retry_after_ms < 0) {
    if (auto seconds = RetryAfterSeconds(response.Header("retry-after"), now)) {
      out.retry_after_ms = *seconds * 1000;
    }
  }
  std::string error = where + ": HTTP " + std::to_string(response.status);
  if (response.status >= 300 && response.status < 400) {
    error += ", a redirect (not followed for notifications; update the channel's URL)";
  } else if (const std::string text = ReceiverErrorText(response.body); !text.empty()) {
    error += ": " + text;
  }
  out.outcome =
      IsRetryable(response.status) ? DeliveryOutcome::kRetry : DeliveryOutcome::kPermanentFailure;
  out.error = ScrubSecrets(error, channel);
  return out;
}

}  // namespace earshot
