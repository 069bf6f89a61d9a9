// JSON Web Tokens signed with RS256 (RSASSA-PKCS1-v1_5 with SHA-256) through OpenSSL's EVP API,
// for Google's service-account OAuth flow (RFC 7523).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace earshot {

// Base64url without padding (RFC 7515 section 2).
std::string Base64Url(std::string_view data);

// "<header>.<claims>.<signature>" with header {"alg":"RS256","typ":"JWT"} and the claims given as
// a JSON object text, signed with the PEM private key (PKCS#8 or PKCS#1). InvalidArgument when
// the key cannot be read; the message never quotes the key.
Result<std::string> SignJwtRs256(std::string_view claims_json, std::string_view private_key_pem);

// Checks an RS256 JWT against a PEM public key (for tests and diagnostics).
bool VerifyJwtRs256(std::string_view jwt, std::string_view public_key_pem);

}  // namespace earshot
