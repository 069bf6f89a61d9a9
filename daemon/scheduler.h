// Polls every source on its own thread and its own schedule, so a slow or failing source never
// delays the others. Failing sources back off exponentially with jitter and are reported once
// they have failed `failing_after` times in a row.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "daemon/pipeline.h"
#include "daemon/source_runner.h"
#include "store/store.h"

namespace earshot {

struct SchedulerOptions {
  int failing_after = 5;
  int64_t max_backoff_ms = 3'600'000;
  // Called after every poll that finished, ok or failed (not one stopped by shutdown or by a
  // reload), from the source's thread.
  std::function<void(const std::string& source, const PollOutcome& outcome)> on_poll;
};

// Delay before the next poll: the interval with +-jitter after a success, exponential backoff
// after `failures` consecutive failures. `unit_random` is uniform in [0, 1).
int64_t NextPollDelayMillis(int64_t interval_ms, double jitter, int failures,
                            int64_t max_backoff_ms, double unit_random);

// A push source as the web server reaches it: its runner and the pipeline in force. Both stay
// alive while held, even when a reload retires them meanwhile.
struct PushSource {
  std::shared_ptr<SourceRunner> runner;
  std::shared_ptr<const Pipeline> pipeline;
};

struct ReloadSummary {
  int added = 0;
  int removed = 0;
  int changed = 0;  // restarted with new settings
  int kept = 0;     // unchanged: still on their schedule
};

class Scheduler {
 public:
  Scheduler(std::vector<std::unique_ptr<SourceRunner>> runners, Store& store,
            std::shared_ptr<const Pipeline> pipeline, SchedulerOptions options);
  ~Scheduler();

  // Polls every enabled source once, concurrently, and returns how many failed. Push sources
  // (kind webhook) have nothing to poll and are skipped here and in Start().
  int RunOnce();
  // Starts one thread per source, polling on schedule until Stop().
  void Start();
  // After Start(): returns once Stop() was called and every source's thread has finished.
  void Wait();
  void Run() {
    Start();
    Wait();
  }
  // The poll in flight on each source stops soon; Wait() joins them.
  void Stop();

  // Swaps in a new set of sources and a new pipeline. Every poll that starts from now on uses
  // the new pipeline; polls in flight finish on the old one. Sources that are new start;
  // removed ones stop (a poll in flight is abandoned before its commit or finishes it: the
  // cursor only advances with its mentions, so nothing is lost); changed ones restart with
  // their new settings once the old runner has stopped; unchanged ones keep their runner and
  // schedule. Ignored after Stop().
  ReloadSummary Reload(std::vector<std::unique_ptr<SourceRunner>> runners,
                       std::shared_ptr<const Pipeline> pipeline, int failing_after);

  // Started and not stopping: every source is on its schedule.
  bool scheduled() const { return started_ && !stop_; }
  size_t source_count() const;
  std::shared_ptr<const Pipeline> pipeline() const;
  const std::atomic<bool>& stopping() const { return stop_; }
  // The live push source of that name with the current pipeline; nothing when there is none
  // (unknown, not a push source, removed by a reload) or the scheduler is stopping.
  std::optional<PushSource> FindPushSource(const std::string& name) const;

 private:
  struct Worker {
    std::shared_ptr<SourceRunner> runner;  // shared with pushes in flight
    std::atomic<bool> stop{false};         // shutdown, or this source was removed or changed
    std::thread thread;
  };
  void StartLocked(Worker& worker);
  void RunSource(Worker& worker);
  // The pipeline for the next poll, or null when the worker is to stop.
  std::shared_ptr<const Pipeline> NextPoll(const Worker& worker);
  PollOutcome PollAndLog(Worker& worker, const Pipeline& pipeline, int* consecutive_failures);

  Store& store_;
  SchedulerOptions options_;
  std::atomic<int> failing_after_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> started_{false};
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable stopped_;
  std::vector<std::unique_ptr<Worker>> workers_;  // guarded by mu_
  std::shared_ptr<const Pipeline> pipeline_;      // guarded by mu_
};

}  // namespace earshot
