// The daemon's HTTP side: a read-only review page and JSON API over the store. Binds loopback
// by default; every text from a mention is escaped, because a mention is attacker-controlled.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "core/status.h"
#include "store/store.h"

namespace httplib {
class Server;
}

namespace earshot {

class WebServer {
 public:
  explicit WebServer(Store& store);
  ~WebServer();

  // Binds host:port (port 0 picks a free one) and serves on a background thread.
  Status Start(const std::string& listen);
  void Stop();
  int port() const { return port_; }

 private:
  void Routes();
  Store& store_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace earshot
