// What a failed HTTP status means for a source, worded the same by every connector.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "connectors/http/http_client.h"
#include "core/status.h"
#include "core/time.h"

namespace earshot {

// Seconds to wait from a Retry-After value, either delta-seconds ("120") or an HTTP-date
// (never negative); nullopt when absent or unreadable.
std::optional<int64_t> RetryAfterSeconds(std::string_view value, UnixMillis now);

// The Status for a response that is not a success, e.g. "HTTP 500 from <url>" (HttpError);
// 429 and 503 are Unavailable and say "retry after N s" when the server told. The URL is redacted.
Status HttpStatusError(const HttpResponse& response, std::string_view url,
                       UnixMillis now = NowMillis());

}  // namespace earshot
