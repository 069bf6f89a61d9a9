#include "connectors/http/circuit_breaker.h"

#include <algorithm>

namespace earshot {

const char* CircuitStateName(CircuitState state) {
  switch (state) {
    case CircuitState::kClosed:
      return "closed";
    case CircuitState::kHalfOpen:
      return "half-open";
    case CircuitState::kOpen:
      return "open";
  }
  return "closed";
}

Status CircuitBreaker::Allow(UnixMillis now) {
  std::lock_guard lock(mu_);
  if (open_until_ == 0) return Status::Ok();
  if (now >= open_until_ && !trial_in_flight_) {
    trial_in_flight_ = true;
    return Status::Ok();
  }
  const int64_t wait_s = std::max<int64_t>(1, (open_until_ - now + 999) / 1000);
  std::string message = "circuit open after " + std::to_string(consecutive_failures_) +
                        " failed requests in a row (last: " + last_failure_ + "): ";
  message += trial_in_flight_ ? "a trial request is in flight"
                              : "next trial in " + std::to_string(wait_s) + " s";
  return Status::Unavailable(std::move(message));
}

void CircuitBreaker::RecordSuccess() {
  std::lock_guard lock(mu_);
  consecutive_failures_ = 0;
  open_until_ = 0;
  open_ms_ = 0;
  trial_in_flight_ = false;
  last_failure_.clear();
}

void CircuitBreaker::RecordFailure(const std::string& why, UnixMillis now) {
  std::lock_guard lock(mu_);
  ++consecutive_failures_;
  last_failure_ = why;
  const bool was_trial = trial_in_flight_;
  trial_in_flight_ = false;
  if (options_.failures_to_open <= 0) return;
  if (was_trial) {
    open_ms_ = std::min(options_.max_open_ms, open_ms_ * 2);
  } else if (open_until_ == 0 && consecutive_failures_ >= options_.failures_to_open) {
    open_ms_ = std::min(options_.open_ms, options_.max_open_ms);
  } else {
    return;  // still closed, or a request sent before it opened
  }
  open_until_ = now + std::max<int64_t>(1, open_ms_);
  ++times_opened_;
}

void CircuitBreaker::RecordAbandoned() {
  std::lock_guard lock(mu_);
  trial_in_flight_ = false;
}

CircuitState CircuitBreaker::state(UnixMillis now) const {
  std::lock_guard lock(mu_);
  if (open_until_ == 0) return CircuitState::kClosed;
  return now >= open_until_ || trial_in_flight_ ? CircuitState::kHalfOpen : CircuitState::kOpen;
}

UnixMillis CircuitBreaker::open_until() const {
  std::lock_guard lock(mu_);
  return open_until_;
}

int64_t CircuitBreaker::times_opened() const {
  std::lock_guard lock(mu_);
  return times_opened_;
}

}  // namespace earshot
