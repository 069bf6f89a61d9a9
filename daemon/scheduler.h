// Polls every source on its own thread and its own schedule, so a slow or failing source never
// delays the others. Failing sources back off exponentially with jitter and are reported once
// they have failed `failing_after` times in a row.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "daemon/pipeline.h"
#include "daemon/source_runner.h"
#include "store/store.h"

namespace earshot {

struct SchedulerOptions {
  int failing_after = 5;
  int64_t max_backoff_ms = 3'600'000;
};

// Delay before the next poll: the interval with +-jitter after a success, exponential backoff
// after `failures` consecutive failures. `unit_random` is uniform in [0, 1).
int64_t NextPollDelayMillis(int64_t interval_ms, double jitter, int failures,
                            int64_t max_backoff_ms, double unit_random);

class Scheduler {
 public:
  Scheduler(std::vector<std::unique_ptr<SourceRunner>> runners, Store& store,
            const Pipeline& pipeline, SchedulerOptions options);

  // Polls every enabled source once, concurrently, and returns how many failed.
  int RunOnce();
  // Polls on schedule until Stop(); the poll in flight on each source finishes first.
  void Run();
  void Stop();
  const std::atomic<bool>& stopping() const { return stop_; }

 private:
  void RunSource(SourceRunner& runner);
  PollOutcome PollAndLog(SourceRunner& runner, int* consecutive_failures);

  std::vector<std::unique_ptr<SourceRunner>> runners_;
  Store& store_;
  const Pipeline& pipeline_;
  SchedulerOptions options_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::condition_variable wake_;
};

}  // namespace earshot
