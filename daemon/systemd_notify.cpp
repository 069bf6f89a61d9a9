#include "daemon/systemd_notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace earshot {
namespace {

std::optional<uint64_t> ParseUnsigned(const char* text) {
  if (!text || !*text) return std::nullopt;
  uint64_t value = 0;
  const char* end = text + std::strlen(text);
  auto [ptr, ec] = std::from_chars(text, end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

}  // namespace

SystemdNotifier SystemdNotifier::FromEnvironment() {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  std::optional<std::chrono::microseconds> watchdog;
  if (auto usec = ParseUnsigned(std::getenv("WATCHDOG_USEC")); usec && *usec > 0) {
    auto pid = ParseUnsigned(std::getenv("WATCHDOG_PID"));
    if (!pid || *pid == static_cast<uint64_t>(getpid())) {
      watchdog = std::chrono::microseconds(static_cast<int64_t>(*usec));
    }
  }
  return SystemdNotifier(socket ? socket : "", watchdog);
}

std::optional<std::chrono::microseconds> SystemdNotifier::watchdog_ping_interval() const {
  if (!watchdog_ || !enabled()) return std::nullopt;
  return std::max(std::chrono::microseconds(1000), *watchdog_ / 2);
}

Status SystemdNotifier::Notify(std::string_view state) const {
  if (socket_.empty()) return Status::Ok();
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if ((socket_[0] != '/' && socket_[0] != '@') || socket_.size() < 2 ||
      socket_.size() > sizeof(addr.sun_path)) {
    return Status::InvalidArgument("NOTIFY_SOCKET '" + socket_ +
                                   "' is neither a path nor an abstract socket name");
  }
  std::memcpy(addr.sun_path, socket_.data(), socket_.size());
  socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_.size());
  if (socket_[0] == '@') {
    addr.sun_path[0] = '\0';  // abstract: no terminating NUL, the length says where it ends
  } else if (socket_.size() < sizeof(addr.sun_path)) {
    ++length;  // a path: include its NUL
  }
  int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::IoError(std::string("notify socket: ") + std::strerror(errno));
  ssize_t sent = ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL,
                          reinterpret_cast<const sockaddr*>(&addr), length);
  const int error = errno;
  close(fd);
  if (sent < 0) {
    return Status::IoError("notify " + socket_ + ": " + std::strerror(error));
  }
  return Status::Ok();
}

uint64_t MonotonicMicros() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000 + static_cast<uint64_t>(ts.tv_nsec) / 1000;
}

}  // namespace earshot
