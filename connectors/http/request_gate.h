// A source's own request limits, on top of what the platform says: a token bucket (requests per
// minute, with a burst) and a budget of requests per UTC day, asked before every request (see
// SourceTraffic).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>

#include "core/status.h"
#include "core/time.h"

namespace earshot {

struct RequestLimits {
  double per_minute = 0;  // 0: no rate limit
  int64_t per_day = 0;    // 0: no daily budget
};

class RequestGate {
 public:
  explicit RequestGate(RequestLimits limits) : limits_(limits) {}

  // Takes one request, waiting (at most `max_wait_ms`, and not past `cancel`) for the bucket to
  // refill. Unavailable when the daily budget is spent or the wait would be longer.
  Status Acquire(const std::atomic<bool>* cancel, int64_t max_wait_ms = 60'000);

  int64_t used_today() const;

 private:
  RequestLimits limits_;
  mutable std::mutex mu_;
  double tokens_ = -1;  // -1: not started (a full bucket)
  int64_t refilled_at_ms_ = 0;
  int64_t day_ = -1;
  int64_t used_today_ = 0;
};

}  // namespace earshot
