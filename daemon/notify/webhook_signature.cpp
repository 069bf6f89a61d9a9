#include "daemon/notify/webhook_signature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace earshot {

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // An empty key is valid HMAC; OpenSSL wants a non-null pointer for it.
  static const unsigned char kEmpty = 0;
  const void* key_bytes = key.empty() ? &kEmpty : static_cast<const void*>(key.data());
  const auto* data_bytes = reinterpret_cast<const unsigned char*>(data.empty() ? "" : data.data());
  if (!HMAC(EVP_sha256(), key_bytes, static_cast<int>(key.size()), data_bytes, data.size(), digest,
            &length)) {
    return "";
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xF];
  }
  return hex;
}

std::string WebhookSignature(std::string_view secret, int64_t unix_seconds, std::string_view body) {
  std::string signed_text = std::to_string(unix_seconds);
  signed_text += '.';
  signed_text += body;
  return "sha256=" + HmacSha256Hex(secret, signed_text);
}

}  // namespace earshot
