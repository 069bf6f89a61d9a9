// The daemon's HTTP side: the page reviewers and callers work in, and the JSON API under it.
// Every request is checked for its Host header; the API wants a bearer token or a session
// cookie (with a CSRF token for changes). With no tokens configured it is the open demo: loopback
// only, everyone admin. Every text from a mention is escaped: a mention is attacker-controlled.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace httplib {
class Server;
}

namespace earshot {

struct Config;
struct PollOutcome;
struct PushSource;

struct WebUser {
  std::string name;
  std::string role;          // viewer reviewer caller admin
  std::string token_sha256;  // 32 raw bytes
};

struct WebOptions {
  std::vector<WebUser> users;              // none: the open demo (loopback, everyone admin)
  std::vector<std::string> allowed_hosts;  // empty: the listen host, localhost, 127.0.0.1, ::1
  int64_t session_ttl_ms = 12LL * 3600 * 1000;
  size_t max_body_bytes = 64 * 1024;
  int login_failures_per_minute = 5;
  // Operations endpoints (daemon/web/ops_routes.cpp): GET /readyz answers 200 while `ready`
  // says so (503 otherwise, or when unset); GET /metrics serves `metrics` (404 when unset), to
  // any valid token, or to anyone with `metrics_public` or no tokens.
  std::function<bool()> ready;
  std::function<std::string()> metrics;
  bool metrics_public = false;
  // The session cookie carries Secure, for a page served through an HTTPS proxy.
  bool secure_cookies = false;
  // Push ingest (daemon/web/ingest_routes.cpp): POST /ingest/<source> finds the live webhook
  // source through `push_source` (404 when unset or it finds none) and reports every accepted
  // push to `on_push` (when set), from the request's thread.
  std::function<std::optional<PushSource>(const std::string& source)> push_source;
  std::function<void(const std::string& source, const PollOutcome& outcome)> on_push;
};

WebOptions WebOptionsFromConfig(const Config& config);

namespace web {
struct WebContext;
}

class WebServer {
 public:
  explicit WebServer(Store& store, WebOptions options = {});
  ~WebServer();

  // Binds host:port (port 0 picks a free one) and serves on a background thread.
  Status Start(const std::string& listen);
  void Stop();
  int port() const { return port_; }
  // The address bound: the open demo binds loopback whatever `listen` asked for.
  const std::string& host() const { return host_; }

 private:
  void Routes();
  std::unique_ptr<web::WebContext> context_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::string host_;
};

}  // namespace earshot
