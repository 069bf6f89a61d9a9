#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace earshot {

// Delivers SIGINT, SIGTERM and SIGHUP to a callback on its own thread instead of an async
// handler, so the callback may lock and log. Construct it before starting any other thread:
// it blocks those signals for the threads created after it.
class SignalWatcher {
 public:
  explicit SignalWatcher(std::function<void(int signal)> on_signal);
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

 private:
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace earshot
