// Everything one source's requests share across its polls: its own request rate and daily
// budget, its circuit breaker, and what the platform last said of its rate limit. The daemon
// installs a source's traffic on the thread that polls it (ScopedSourceTraffic); HttpClient
// consults it around every request, so no connector has to know about any of it.
#pragma once

#include <optional>
#include <string>

#include "connectors/http/circuit_breaker.h"
#include "connectors/http/request_gate.h"

namespace earshot {

struct HttpResponse;

// Requests left in the platform's window, from the first of the usual headers present
// (x-ratelimit-remaining, x-rate-limit-remaining, ratelimit-remaining,
// x-ratelimit-remaining-requests), or nothing.
std::optional<double> RateLimitRemaining(const HttpResponse& response);

class SourceTraffic {
 public:
  explicit SourceTraffic(RequestLimits limits = {}, BreakerOptions breaker = {})
      : gate_(limits), breaker_(breaker) {}

  RequestGate& gate() { return gate_; }
  CircuitBreaker& breaker() { return breaker_; }
  const CircuitBreaker& breaker() const { return breaker_; }

  void ObserveRateLimit(const HttpResponse& response);
  std::optional<double> rate_limit_remaining() const;

 private:
  RequestGate gate_;
  CircuitBreaker breaker_;
  mutable std::mutex mu_;
  std::optional<double> rate_limit_remaining_;
};

// Installs `traffic` for requests sent from this thread while in scope; null clears it.
class ScopedSourceTraffic {
 public:
  explicit ScopedSourceTraffic(SourceTraffic* traffic);
  ~ScopedSourceTraffic();
  ScopedSourceTraffic(const ScopedSourceTraffic&) = delete;
  ScopedSourceTraffic& operator=(const ScopedSourceTraffic&) = delete;

  static SourceTraffic* Current();

 private:
  SourceTraffic* previous_;
};

}  // namespace earshot
