// What the API connectors added after the first nine share: their common settings (timeout,
// max_bytes, user_agent), the request built from them, a hold on requests after a rate limit,
// and the finishing touches every polled mention gets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/connector.h"
#include "connectors/http/http_client.h"
#include "core/time.h"

namespace earshot {

// timeout (30s), max_bytes (16 MiB) and user_agent, for a descriptor's settings.
std::vector<SettingSpec> CommonHttpSettings();

// A GET request with the common settings applied and "Accept: application/json".
HttpRequest BaseJsonRequest(const Settings& settings);

bool IsHttpUrl(std::string_view url);
// "https://api.example.com/v1/" -> "https://api.example.com/v1"
std::string TrimTrailingSlashes(std::string url);

// Sets fetched_at to now and, when the source forces a language, lang.
void FinishMentions(std::vector<Mention>* mentions, const SourceSpec& spec);

// "GET <redacted url>: <message>" with the status's code, for a body that did not parse.
Status BodyError(const HttpRequest& request, const Status& status);

// The time until which a source sends no request (a rate limit, a quota, a Retry-After).
class RequestHold {
 public:
  // Seconds left (rounded up), or nullopt when requests may go out.
  std::optional<int64_t> Remaining(UnixMillis now = NowMillis()) const;
  // Holds requests for `seconds` (at least 1), unless a longer hold is already in force.
  void For(int64_t seconds, std::string reason, UnixMillis now = NowMillis());
  // Holds requests until `until` (milliseconds), unless a longer hold is already in force.
  void Until(UnixMillis until, std::string reason);
  const std::string& reason() const { return reason_; }
  // Unavailable "<kind>: <reason>: next request in N s", or Ok when not held.
  Status Check(const std::string& kind, UnixMillis now = NowMillis()) const;

 private:
  UnixMillis until_ = 0;
  std::string reason_;
};

}  // namespace earshot
