#include "connectors/http/request_gate.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

namespace earshot {
namespace {

int64_t SteadyMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Status RequestGate::Acquire(const std::atomic<bool>* cancel, int64_t max_wait_ms) {
  const int64_t waited_from = SteadyMillis();
  while (true) {
    int64_t sleep_ms = 0;
    {
      std::lock_guard lock(mu_);
      const int64_t today = NowMillis() / 86'400'000;
      if (today != day_) {
        day_ = today;
        used_today_ = 0;
      }
      if (limits_.per_day > 0 && used_today_ >= limits_.per_day) {
        return Status::Unavailable("the daily budget of " + std::to_string(limits_.per_day) +
                                   " requests is used up; it renews at 00:00 UTC");
      }
      if (limits_.per_minute <= 0) {
        ++used_today_;
        return Status::Ok();
      }
      // The bucket holds up to a minute's worth (at least one), refilled continuously.
      const double capacity = std::max(1.0, limits_.per_minute);
      const int64_t now = SteadyMillis();
      if (tokens_ < 0) {
        tokens_ = capacity;
      } else {
        tokens_ =
            std::min(capacity, tokens_ + (now - refilled_at_ms_) * limits_.per_minute / 60'000.0);
      }
      refilled_at_ms_ = now;
      if (tokens_ >= 1) {
        tokens_ -= 1;
        ++used_today_;
        return Status::Ok();
      }
      sleep_ms = static_cast<int64_t>((1 - tokens_) * 60'000.0 / limits_.per_minute) + 1;
    }
    if (SteadyMillis() - waited_from + sleep_ms > max_wait_ms) {
      return Status::Unavailable("the source's rate limit of " +
                                 std::to_string(static_cast<int64_t>(limits_.per_minute)) +
                                 " requests per minute is reached");
    }
    for (int64_t slept = 0; slept < sleep_ms; slept += 20) {
      if (cancel && cancel->load()) return Status::Aborted("cancelled while rate limited");
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min<int64_t>(20, sleep_ms)));
    }
  }
}

int64_t RequestGate::used_today() const {
  std::lock_guard lock(mu_);
  return used_today_;
}

}  // namespace earshot
