#include "tests/support/local_http_server.h"

#include <strings.h>

#include <stdexcept>

namespace earshot::testing {

// The request this worker thread is handling: which server recorded it, at which index.
thread_local std::pair<const LocalHttpServer*, size_t> LocalHttpServer::in_flight_{nullptr, 0};

std::string RecordedRequest::Header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (strcasecmp(key.c_str(), name.c_str()) == 0) return value;
  }
  return "";
}

LocalHttpServer::LocalHttpServer() {
  // Without it, a response written in two parts waits ~40 ms for the client's delayed ACK.
  server_.set_tcp_nodelay(true);
  // A request is recorded as it arrives, before its body is read (so a handler that never
  // returns is still seen), and its body is filled in once httplib has read it: the
  // post-routing hook runs on the same thread after the handler, before the response is
  // written, so the client never sees an answer before the recording is complete.
  server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response&) {
    std::lock_guard lock(mu_);
    requests_.push_back({req.method, req.path, req.params, req.headers, req.body});
    in_flight_ = {this, requests_.size() - 1};
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server_.set_post_routing_handler([this](const httplib::Request& req, httplib::Response&) {
    std::lock_guard lock(mu_);
    if (in_flight_.first == this && in_flight_.second < requests_.size()) {
      requests_[in_flight_.second].body = req.body;
    }
    in_flight_ = {nullptr, 0};
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
