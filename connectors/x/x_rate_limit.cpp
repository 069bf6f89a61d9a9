#include "connectors/x/x_rate_limit.h"

#include <charconv>
#include <string>

namespace earshot {
namespace {

std::optional<int64_t> Number(const std::string& s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

}  // namespace

XRateLimit ReadXRateLimit(const HttpResponse& response) {
  XRateLimit limit;
  limit.remaining = Number(response.Header("x-rate-limit-remaining"));
  if (auto reset = Number(response.Header("x-rate-limit-reset"));
      reset && *reset < 1'000'000'000'000) {
    limit.reset_at = *reset * 1000;
  }
  return limit;
}

}  // namespace earshot
