#include "tests/support/local_http_server.h"

#include <strings.h>

#include <stdexcept>

namespace earshot::testing {

std::string RecordedRequest::Header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (strcasecmp(key.c_str(), name.c_str()) == 0) return value;
  }
  return "";
}

LocalHttpServer::LocalHttpServer() {
  // Without it, a response written in two parts waits ~40 ms for the client's delayed ACK.
  server_.set_tcp_nodelay(true);
  server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response&) {
    std::lock_guard lock(mu_);
    requests_.push_back({req.method, req.path, req.params, req.headers, req.body});
    return httplib::Server::HandlerResponse::Unhandled;
  });
}

void LocalHttpServer::Start() {
  if (thread_.joinable()) throw std::logic_error("LocalHttpServer started twice");
  port_ = server_.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("LocalHttpServer: cannot bind a loopback port");
  thread_ = std::thread([this] {
    server_.listen_after_bind();
    listen_returned_ = true;
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!server_.is_running()) {
    if (listen_returned_ || std::chrono::steady_clock::now() > deadline) {
      Stop();
      throw std::runtime_error("LocalHttpServer: the server did not start listening");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void LocalHttpServer::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  stopping_cv_.notify_all();
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

bool LocalHttpServer::HoldUntilStopped(std::chrono::milliseconds at_most) {
  std::unique_lock lock(mu_);
  return stopping_cv_.wait_for(lock, at_most, [this] { return stopping_; });
}

std::vector<RecordedRequest> LocalHttpServer::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

size_t LocalHttpServer::request_count() const {
  std::lock_guard lock(mu_);
  return requests_.size();
}

}  // namespace earshot::testing
