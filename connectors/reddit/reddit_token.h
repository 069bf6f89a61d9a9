// Reddit's application-only OAuth2 (client credentials): one bearer token per source, fetched
// when first needed, kept until shortly before it expires or until Reddit refuses it.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "connectors/http/http_client.h"
#include "core/status.h"
#include "core/time.h"

namespace earshot {

struct RedditCredentials {
  std::string token_url;  // https://www.reddit.com/api/v1/access_token
  std::string client_id;
  std::string client_secret;
  std::string user_agent;
  int64_t timeout_ms = 30'000;
};

class RedditTokenSource {
 public:
  explicit RedditTokenSource(RedditCredentials credentials);

  // The cached token, or a new one: POST grant_type=client_credentials with HTTP Basic auth.
  // Errors never quote the credentials or the token.
  Result<std::string> Get(const HttpClient& http, const std::atomic<bool>* stop);
  // Forgets the token (Reddit answered 401), so the next Get fetches a new one.
  void Invalidate();
  int fetches() const { return fetches_; }

 private:
  RedditCredentials credentials_;
  std::string token_;
  UnixMillis expires_at_ = 0;
  int fetches_ = 0;
};

std::string Base64(std::string_view data);

}  // namespace earshot
