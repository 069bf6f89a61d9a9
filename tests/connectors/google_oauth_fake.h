// Test helpers for the Google connectors: an RSA key made at test time, a service-account key
// file, and a token endpoint that checks the JWT's signature and claims before issuing tokens.
#pragma once

#include <httplib.h>

#include <mutex>
#include <string>
#include <vector>

#include "tests/support/local_http_server.h"
#include "tests/support/temp_dir.h"

namespace earshot::testing {

struct RsaKeyPem {
  std::string private_pem;  // PKCS#8
  std::string public_pem;   // SubjectPublicKeyInfo
};

// A 2048-bit RSA key, generated once per test run.
const RsaKeyPem& TestRsaKey();

// Writes a service-account key file ({"type": "service_account", ...}) and returns its path.
std::string WriteServiceAccountFile(const TempDir& dir, const std::string& token_uri,
                                    const std::string& client_email =
                                        "earshot@voltwave-care."
                                        "iam.gserviceaccount.com");

// POST <path> on `host`: verifies the RS256 assertion against TestRsaKey(), its iss, scope and
// aud, and answers {"access_token": "ya29.test-N", "expires_in": ...}; anything else gets 400
// {"error": "invalid_grant", ...}.
class FakeGoogleTokenEndpoint {
 public:
  FakeGoogleTokenEndpoint(LocalHttpServer& host, std::string path, std::string scope);
  void ExpiresIn(int seconds);
  // Tokens issued so far, in order.
  std::vector<std::string> issued() const;
  // Whether `authorization` ("Bearer ...") carries the latest token issued.
  bool IsCurrent(const std::string& authorization) const;
  // Makes every token issued so far unacceptable (IsCurrent false).
  void RevokeAll();
  std::string last_error() const;

 private:
  mutable std::mutex mu_;
  std::string scope_;
  std::string audience_;
  int expires_in_ = 3599;
  std::vector<std::string> issued_;
  size_t revoked_ = 0;
  std::string last_error_;
};

}  // namespace earshot::testing
