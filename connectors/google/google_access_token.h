// OAuth2 access tokens for Google APIs: from a service account's JSON key (a JWT signed with its
// private key, exchanged at its token_uri: RFC 7523), cached until shortly before they expire and
// fetched again when the API refuses them; or a fixed token given in the config.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "connectors/http/http_client.h"
#include "core/status.h"
#include "core/time.h"

namespace earshot {

struct ServiceAccountKey {
  std::string client_email;
  std::string private_key;  // PEM
  std::string token_uri = "https://oauth2.googleapis.com/token";
};

// The fields of a service-account key file ({"type": "service_account", "client_email",
// "private_key", "token_uri", ...}). InvalidArgument naming what is missing; never quotes the key.
Result<ServiceAccountKey> ParseServiceAccountKey(std::string_view json_text);
Result<ServiceAccountKey> ReadServiceAccountKey(const std::string& path);

class GoogleAccessToken {
 public:
  // Tokens for `scope` from the service account.
  GoogleAccessToken(ServiceAccountKey key, std::string scope, int64_t timeout_ms = 30'000);
  // Always `token`: it cannot be refreshed.
  explicit GoogleAccessToken(std::string token);

  // The cached token or a new one. Errors never quote the key, the assertion or a token.
  Result<std::string> Get(const HttpClient& http, const std::atomic<bool>* stop);
  // Forgets the cached token (the API answered 401); false when it cannot be fetched again.
  bool Invalidate();
  // Sends `request` with the token as a bearer; on a 401 fetches a new token and sends once
  // more. `refreshed` (when given) says whether that second try happened. Errors are the
  // client's or Get's, not yet scrubbed of the request's own secrets.
  Result<HttpResponse> SendAuthorized(const HttpClient& http, const HttpRequest& request,
                                      const std::atomic<bool>* stop, bool* refreshed = nullptr);
  int fetches() const { return fetches_; }
  // The secrets to scrub from messages: the private key and the current token.
  const std::string& private_key() const { return key_.private_key; }
  const std::string& token() const { return token_; }

 private:
  ServiceAccountKey key_;
  std::string scope_;
  int64_t timeout_ms_ = 30'000;
  bool fixed_ = false;
  std::string token_;
  UnixMillis expires_at_ = 0;
  int fetches_ = 0;
};

}  // namespace earshot
