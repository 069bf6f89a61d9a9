#include "tests/support/local_http_server.h"

#include <chrono>
#include <stdexcept>

namespace earshot::testing {

void LocalHttpServer::Start() {
  port_ = server_.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("cannot bind a loopback port");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  while (!server_.is_running())
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

void LocalHttpServer::Stop() {
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace earshot::testing
