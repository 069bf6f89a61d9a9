#include "connectors/http_source.h"

#include <algorithm>

#include "connectors/http/redact.h"

namespace earshot {

std::vector<SettingSpec> CommonHttpSettings() {
  return {
      {"timeout", SettingType::kDuration, false, "30s", "total time allowed for one request"},
      {"max_bytes", SettingType::kInt, false, "16777216", "larger bodies are refused"},
      {"user_agent", SettingType::kString, false, "", "overrides http.user_agent"},
  };
}

HttpRequest BaseJsonRequest(const Settings& settings) {
  HttpRequest request;
  request.timeout_ms = settings.GetDurationMillis("timeout", 30'000);
  request.connect_timeout_ms = std::min(request.connect_timeout_ms, request.timeout_ms);
  request.max_body_bytes =
      static_cast<size_t>(std::max<int64_t>(0, settings.GetInt("max_bytes", 16 << 20)));
  request.user_agent = settings.Get("user_agent");
  request.headers.emplace_back("Accept", "application/json");
  return request;
}

bool IsHttpUrl(std::string_view url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

std::string TrimTrailingSlashes(std::string url) {
  while (!url.empty() && url.back() == '/')
    url.pop_back();
  return url;
}

void FinishMentions(std::vector<Mention>* mentions, const SourceSpec& spec) {
  const UnixMillis now = NowMillis();
  for (auto& m : *mentions) {
    m.fetched_at = now;
    if (!spec.lang.empty()) m.lang = spec.lang;
  }
}

Status BodyError(const HttpRequest& request, const Status& status) {
  return Status(status.code(),
                request.method + " " + RedactUrl(request.url) + ": " + status.message());
}

std::optional<int64_t> RequestHold::Remaining(UnixMillis now) const {
  if (until_ <= now) return std::nullopt;
  return (until_ - now + 999) / 1000;
}

void RequestHold::For(int64_t seconds, std::string reason, UnixMillis now) {
  Until(now + std::max<int64_t>(1, seconds) * 1000, std::move(reason));
}

void RequestHold::Until(UnixMillis until, std::string reason) {
  if (until > until_) {
    until_ = until;
    reason_ = std::move(reason);
  }
}

Status RequestHold::Check(const std::string& kind, UnixMillis now) const {
  auto wait = Remaining(now);
  if (!wait) return Status::Ok();
  return Status::Unavailable(kind + ": " + reason_ + ": next request in " + std::to_string(*wait) +
                             " s");
}

}  // namespace earshot
