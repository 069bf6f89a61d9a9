// systemd's notification protocol without libsystemd: one datagram per message to the AF_UNIX
// socket named by $NOTIFY_SOCKET (a path, or an abstract name written with a leading '@').
// READY=1 once the daemon serves, RELOADING=1 / READY=1 around a reload, STOPPING=1 on the way
// out, WATCHDOG=1 at half of $WATCHDOG_USEC. Without $NOTIFY_SOCKET every call does nothing.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace earshot {

class SystemdNotifier {
 public:
  // Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID (the watchdog is ours only when
  // WATCHDOG_PID is unset or our pid).
  static SystemdNotifier FromEnvironment();
  SystemdNotifier() = default;
  SystemdNotifier(std::string socket, std::optional<std::chrono::microseconds> watchdog)
      : socket_(std::move(socket)), watchdog_(watchdog) {}

  bool enabled() const { return !socket_.empty(); }
  const std::string& socket() const { return socket_; }
  // How often to send WATCHDOG=1: half the interval systemd expects; nullopt: no watchdog.
  std::optional<std::chrono::microseconds> watchdog_ping_interval() const;

  // Sends `state` ("READY=1", "STATUS=...", several joined by newlines). Ok when disabled.
  Status Notify(std::string_view state) const;

 private:
  std::string socket_;
  std::optional<std::chrono::microseconds> watchdog_;
};

// CLOCK_MONOTONIC in microseconds, for "RELOADING=1\nMONOTONIC_USEC=...".
uint64_t MonotonicMicros();

}  // namespace earshot
