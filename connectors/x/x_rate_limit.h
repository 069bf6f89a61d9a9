// X's rate-limit headers: x-rate-limit-limit, x-rate-limit-remaining and x-rate-limit-reset
// (the Unix time, in seconds, when the 15-minute window resets).
#pragma once

#include <cstdint>
#include <optional>

#include "connectors/http/http_client.h"
#include "core/time.h"

namespace earshot {

struct XRateLimit {
  std::optional<int64_t> remaining;
  std::optional<UnixMillis> reset_at;

  bool Exhausted() const { return remaining && *remaining <= 0; }
};

XRateLimit ReadXRateLimit(const HttpResponse& response);

}  // namespace earshot
