#include "connectors/http/source_traffic.h"

#include <cmath>
#include <cstdlib>

#include "connectors/http/http_client.h"

namespace earshot {
namespace {

thread_local SourceTraffic* current_traffic = nullptr;

std::optional<double> Number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || !std::isfinite(v) || v < 0) return std::nullopt;
  return v;
}

}  // namespace

std::optional<double> RateLimitRemaining(const HttpResponse& response) {
  for (const char* name : {"x-ratelimit-remaining", "x-rate-limit-remaining", "ratelimit-remaining",
                           "x-ratelimit-remaining-requests"}) {
    if (auto v = Number(response.Header(name))) return v;
  }
  return std::nullopt;
}

void SourceTraffic::ObserveRateLimit(const HttpResponse& response) {
  if (auto remaining = RateLimitRemaining(response)) {
    std::lock_guard lock(mu_);
    rate_limit_remaining_ = remaining;
  }
}

std::optional<double> SourceTraffic::rate_limit_remaining() const {
  std::lock_guard lock(mu_);
  return rate_limit_remaining_;
}

ScopedSourceTraffic::ScopedSourceTraffic(SourceTraffic* traffic) : previous_(current_traffic) {
  current_traffic = traffic;
}

ScopedSourceTraffic::~ScopedSourceTraffic() {
  current_traffic = previous_;
}

SourceTraffic* ScopedSourceTraffic::Current() {
  return current_traffic;
}

}  // namespace earshot
