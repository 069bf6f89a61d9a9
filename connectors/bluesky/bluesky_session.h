// An AT Protocol session for the bluesky source: com.atproto.server.createSession with a handle
// (or DID, or e-mail) and an app password, then com.atproto.server.refreshSession when the
// access token expires. Tokens live in memory only.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "connectors/http/http_client.h"
#include "core/status.h"

namespace earshot {

struct BlueskyCredentials {
  std::string auth_url;  // the PDS or entryway, e.g. https://bsky.social
  std::string identifier;
  std::string app_password;
  std::string user_agent;
  int64_t timeout_ms = 30'000;
};

class BlueskySession {
 public:
  explicit BlueskySession(BlueskyCredentials credentials);

  // The current access token, creating a session first when there is none.
  Result<std::string> AccessToken(const HttpClient& http, const std::atomic<bool>* stop);
  // The access token was refused: refreshes the session, or creates a new one when the refresh
  // token is refused too. Returns the new access token.
  Result<std::string> Renew(const HttpClient& http, const std::atomic<bool>* stop);

  // Message text with the password and both tokens replaced by "REDACTED".
  std::string Scrub(std::string text) const;
  Status Scrub(const Status& status) const;

  int creates() const { return creates_; }
  int refreshes() const { return refreshes_; }

 private:
  Status Create(const HttpClient& http, const std::atomic<bool>* stop);
  Status Refresh(const HttpClient& http, const std::atomic<bool>* stop);
  // Sends a session request and keeps the tokens of a 200 answer.
  Status Exchange(HttpRequest request, const HttpClient& http, const std::atomic<bool>* stop);

  BlueskyCredentials credentials_;
  std::string access_jwt_;
  std::string refresh_jwt_;
  std::string old_access_jwt_;  // still scrubbed after a refresh
  std::string old_refresh_jwt_;
  int creates_ = 0;
  int refreshes_ = 0;
};

}  // namespace earshot
