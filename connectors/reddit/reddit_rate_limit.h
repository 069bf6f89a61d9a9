// Reddit's rate-limit headers: X-Ratelimit-Used, X-Ratelimit-Remaining ("598.0") and
// X-Ratelimit-Reset (seconds until the window resets).
#pragma once

#include <cstdint>
#include <optional>

#include "connectors/http/http_client.h"

namespace earshot {

struct RedditRateLimit {
  std::optional<double> remaining;
  std::optional<int64_t> reset_seconds;

  // True when the response says no request is left in this window.
  bool Exhausted() const { return remaining && *remaining < 1; }
};

RedditRateLimit ReadRedditRateLimit(const HttpResponse& response);

}  // namespace earshot
