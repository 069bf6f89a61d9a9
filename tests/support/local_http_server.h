#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace earshot::testing {

// A request as the server received it: recorded when it arrives, its body once read.
struct RecordedRequest {
  std::string method;
  std::string path;  // without the query
  httplib::Params params;
  httplib::Headers headers;  // names as sent; look them up with Header()
  std::string body;

  std::string Header(const std::string& name) const;  // case-insensitive, "" when absent
};

// A real HTTP server on 127.0.0.1 and a free port, for tests that play a platform's API. Register
// handlers on server() before Start(); Start() returns once it accepts connections and the
// destructor stops it. It records every request (so don't replace its pre- or post-routing
// handler).
class LocalHttpServer {
 public:
  LocalHttpServer();
  ~LocalHttpServer() { Stop(); }
  LocalHttpServer(const LocalHttpServer&) = delete;
  LocalHttpServer& operator=(const LocalHttpServer&) = delete;

  httplib::Server& server() { return server_; }
  // Throws std::runtime_error when no loopback port can be bound or the server does not start.
  void Start();
  // Idempotent; wakes handlers parked in HoldUntilStopped first, so slow handlers end at once.
  void Stop();
  int port() const { return port_; }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  // For a handler playing a slow or hung peer: blocks until Stop() or `at_most` has passed.
  // Returns true when woken by Stop().
  bool HoldUntilStopped(std::chrono::milliseconds at_most = std::chrono::seconds(30));

  std::vector<RecordedRequest> requests() const;
  size_t request_count() const;

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<bool> listen_returned_{false};

  mutable std::mutex mu_;
  std::condition_variable stopping_cv_;
  bool stopping_ = false;
  std::vector<RecordedRequest> requests_;
  static thread_local std::pair<const LocalHttpServer*, size_t> in_flight_;
};

}  // namespace earshot::testing
