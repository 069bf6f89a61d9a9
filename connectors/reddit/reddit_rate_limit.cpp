#include "connectors/reddit/reddit_rate_limit.h"

#include <cmath>
#include <cstdlib>
#include <string>

namespace earshot {
namespace {

std::optional<double> Number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  while (end && (*end == ' ' || *end == '\t'))
    ++end;
  if (!end || *end != '\0' || !std::isfinite(v) || v < 0) return std::nullopt;
  return v;
}

}  // namespace

RedditRateLimit ReadRedditRateLimit(const HttpResponse& response) {
  RedditRateLimit limit;
  limit.remaining = Number(response.Header("x-ratelimit-remaining"));
  if (auto reset = Number(response.Header("x-ratelimit-reset")); reset && *reset < 1e7) {
    limit.reset_seconds = static_cast<int64_t>(std::ceil(*reset));
  }
  return limit;
}

}  // namespace earshot
