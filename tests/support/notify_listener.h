// The receiving end of systemd's notification protocol for tests: a datagram socket bound to a
// path or an abstract name (written with a leading '@').
#pragma once

#include <string>
#include <vector>

namespace earshot::testing {

class NotifyListener {
 public:
  explicit NotifyListener(const std::string& name);
  ~NotifyListener();
  NotifyListener(const NotifyListener&) = delete;
  NotifyListener& operator=(const NotifyListener&) = delete;

  // The next message, or "" after `timeout_ms`.
  std::string Receive(int timeout_ms);
  // Receives until a message containing `needle` arrives (returned) or `timeout_ms` passes ("").
  // Every message received is kept in received().
  std::string WaitFor(const std::string& needle, int timeout_ms);
  const std::vector<std::string>& received() const { return received_; }

 private:
  int fd_ = -1;
  std::vector<std::string> received_;
};

// A fresh abstract socket name, "@earshot-test-<pid>-<tag>-<n>".
std::string UniqueAbstractName(const std::string& tag);

}  // namespace earshot::testing
