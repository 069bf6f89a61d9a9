#include "connectors/http/http_errors.h"

#include <charconv>
#include <string>

#include "connectors/http/redact.h"

namespace earshot {

std::optional<int64_t> RetryAfterSeconds(std::string_view value, UnixMillis now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
    value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
    value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  int64_t seconds = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc() && end == value.data() + value.size()) {
    if (seconds < 0) return std::nullopt;
    return seconds;
  }
  if (ec == std::errc::result_out_of_range) return std::nullopt;
  auto when = ParseRfc822(value);
  if (!when) return std::nullopt;
  const int64_t wait_ms = *when - now;
  return wait_ms <= 0 ? 0 : (wait_ms + 999) / 1000;
}

Status HttpStatusError(const HttpResponse& response, std::string_view url, UnixMillis now) {
  std::string message = "HTTP " + std::to_string(response.status) + " from " + RedactUrl(url);
  if (response.status == 429 || response.status == 503) {
    if (auto wait = RetryAfterSeconds(response.Header("retry-after"), now)) {
      message += ", retry after " + std::to_string(*wait) + " s";
    }
    return Status::Unavailable(std::move(message));
  }
  return Status::HttpError(std::move(message));
}

}  // namespace earshot
