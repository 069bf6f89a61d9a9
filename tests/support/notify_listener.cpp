#include "tests/support/notify_listener.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstring>
#include <stdexcept>

namespace earshot::testing {

NotifyListener::NotifyListener(const std::string& name) {
  sockaddr_un addr{};
  if (name.empty() || name.size() > sizeof(addr.sun_path)) {
    throw std::invalid_argument("bad socket name");
  }
  fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error("socket failed");
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, name.data(), name.size());
  socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
  if (name[0] == '@') addr.sun_path[0] = '\0';
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), length) != 0) {
    ::close(fd_);
    throw std::runtime_error("bind " + name + ": " + std::strerror(errno));
  }
  timeval timeout{0, 100'000};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
}

NotifyListener::~NotifyListener() {
  ::close(fd_);
}

std::string NotifyListener::Receive(int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  do {
    char buf[4096];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n > 0) {
      received_.emplace_back(buf, static_cast<size_t>(n));
      return received_.back();
    }
  } while (std::chrono::steady_clock::now() < deadline);
  return "";
}

std::string NotifyListener::WaitFor(const std::string& needle, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    std::string message = Receive(static_cast<int>(std::max<int64_t>(1, left)));
    if (message.find(needle) != std::string::npos) return message;
  }
  return "";
}

std::string UniqueAbstractName(const std::string& tag) {
  static int counter = 0;
  return "@earshot-test-" + std::to_string(getpid()) + "-" + tag + "-" + std::to_string(++counter);
}

}  // namespace earshot::testing
