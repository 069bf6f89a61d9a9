// Signatures a generic webhook's receiver checks to know a request came from earshot.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace earshot {

// Lower-case hex HMAC-SHA256 of `data` under `key` (OpenSSL).
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// "sha256=" + HmacSha256Hex(secret, timestamp + "." + body): the X-Earshot-Signature value.
std::string WebhookSignature(std::string_view secret, int64_t unix_seconds, std::string_view body);

}  // namespace earshot
