#pragma once

#include <httplib.h>

#include <string>
#include <thread>

namespace earshot::testing {

// A real HTTP server on 127.0.0.1 and a free port, for tests that play a platform's API.
// Register handlers on server() before Start().
class LocalHttpServer {
 public:
  LocalHttpServer() = default;
  ~LocalHttpServer() { Stop(); }
  LocalHttpServer(const LocalHttpServer&) = delete;
  LocalHttpServer& operator=(const LocalHttpServer&) = delete;

  httplib::Server& server() { return server_; }
  void Start();
  void Stop();
  int port() const { return port_; }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace earshot::testing
