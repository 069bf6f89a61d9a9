// A source's circuit breaker: after `failures_to_open` requests in a row fail at the transport or
// with a 5xx, the source's requests fail at once, without touching the network, for an open
// period; then one trial request goes out (half-open). Its success closes the circuit; its
// failure opens it again for twice as long, up to `max_open_ms`. So a platform that is down gets
// a request now and then, not every page of every poll, and a source with many requests per poll
// stops at the first sign of an outage instead of waiting out every timeout.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "core/status.h"
#include "core/time.h"

namespace earshot {

struct BreakerOptions {
  int failures_to_open = 5;         // 0: never opens
  int64_t open_ms = 60'000;         // the first open period
  int64_t max_open_ms = 1'800'000;  // open periods double up to this
};

enum class CircuitState { kClosed, kHalfOpen, kOpen };
const char* CircuitStateName(CircuitState state);

class CircuitBreaker {
 public:
  explicit CircuitBreaker(BreakerOptions options = {}) : options_(options) {}

  // Ok when a request may go out now. When the open period is over, the first caller gets the
  // half-open trial and the others are refused until it has reported. Unavailable otherwise.
  Status Allow(UnixMillis now = NowMillis());
  // The outcome of a request that Allow let through. A failure is a transport error or a 5xx;
  // `why` is kept for the refusal message (it must hold no secret).
  void RecordSuccess();
  void RecordFailure(const std::string& why, UnixMillis now = NowMillis());
  // A request let through that ended without an answer either way (cancelled, refused before
  // sending): a trial it held goes to the next caller.
  void RecordAbandoned();

  CircuitState state(UnixMillis now = NowMillis()) const;
  // When the next trial may go out, or 0 while closed.
  UnixMillis open_until() const;
  // How many times it opened since it was made.
  int64_t times_opened() const;

 private:
  BreakerOptions options_;
  mutable std::mutex mu_;
  int consecutive_failures_ = 0;
  UnixMillis open_until_ = 0;  // 0: closed
  int64_t open_ms_ = 0;        // the current open period, doubled after each failed trial
  bool trial_in_flight_ = false;
  int64_t times_opened_ = 0;
  std::string last_failure_;
};

}  // namespace earshot
