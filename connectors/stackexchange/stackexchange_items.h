// A page of the Stack Exchange API 2.x (here /search/excerpts) as mentions: the common wrapper
// {"items": [...], "has_more": ..., "quota_max": ..., "quota_remaining": ..., "backoff": ...}
// or an error wrapper {"error_id": 502, "error_name": "throttle_violation", "error_message": ...}.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/mention.h"
#include "core/status.h"

namespace earshot {

struct StackExchangePage {
  std::vector<Mention> mentions;      // questions and answers, in the body's order
  std::vector<int64_t> created;       // each mention's creation_date (Unix seconds), parallel
  std::vector<std::string> warnings;  // items skipped, and why
  size_t items = 0;                   // items in the body, skipped ones included
  bool has_more = false;
  std::optional<int64_t> quota_remaining;
  std::optional<int64_t> quota_max;
  std::optional<int64_t> backoff;  // seconds to wait before the next request to this method
};

struct StackExchangeError {
  int64_t id = 0;    // error_id, e.g. 502
  std::string name;  // error_name, e.g. "throttle_violation"
  std::string message;
  std::string ToString() const;  // "throttle_violation (502): too many requests..."
};

// `site_host` ("stackoverflow.com") makes the items' URLs: https://<host>/q/<id>, /a/<id>.
// Fails (ParseError) on a body that is not JSON or has no "items" array (an error wrapper says
// so). HTML in titles, excerpts and bodies becomes plain valid UTF-8 text.
Result<StackExchangePage> ParseStackExchangePage(std::string_view body, const std::string& source,
                                                 const std::string& site_host);

// The error wrapper's fields, or nullopt when the body is not one.
std::optional<StackExchangeError> ParseStackExchangeError(std::string_view body);

// Seconds from "... more requests available in 82 seconds", or nullopt.
std::optional<int64_t> StackExchangeThrottleSeconds(std::string_view message);

// The web host of an API site parameter: "stackoverflow" -> "stackoverflow.com", "superuser" ->
// "superuser.com", "mathoverflow" -> "mathoverflow.net", "meta.stackoverflow" ->
// "meta.stackoverflow.com", "unix" -> "unix.stackexchange.com"; a name with a dot is taken as a
// host ("unix.stackexchange.com").
std::string StackExchangeSiteHost(const std::string& site);

}  // namespace earshot
