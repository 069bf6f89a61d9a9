#include "daemon/scheduler.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <thread>

namespace earshot {

int64_t NextPollDelayMillis(int64_t interval_ms, double jitter, int failures,
                            int64_t max_backoff_ms, double unit_random) {
  if (failures <= 0) {
    double factor = 1.0 + jitter * (2.0 * unit_random - 1.0);
    return std::max<int64_t>(1, static_cast<int64_t>(static_cast<double>(interval_ms) * factor));
  }
  // Retry quickly at first (a blip), then back off up to the cap; half fixed, half random, so
  // many daemons failing together do not retry in lockstep.
  const int64_t base = std::min<int64_t>(interval_ms, 30'000);
  const int shift = std::min(failures - 1, 20);
  const int64_t cap = std::max(max_backoff_ms, interval_ms);
  const int64_t delay = std::min(cap, base << shift);
  return delay / 2 + static_cast<int64_t>(unit_random * static_cast<double>(delay / 2));
}

Scheduler::Scheduler(std::vector<std::unique_ptr<SourceRunner>> runners, Store& store,
                     const Pipeline& pipeline, SchedulerOptions options)
    : runners_(std::move(runners)), store_(store), pipeline_(pipeline), options_(options) {}

PollOutcome Scheduler::PollAndLog(SourceRunner& runner, int* consecutive_failures) {
  PollOutcome o = runner.PollOnce(store_, pipeline_, stop_);
  if (o.status.ok()) {
    if (*consecutive_failures >= options_.failing_after) {
      spdlog::info("source {} recovered after {} failures", runner.name(), *consecutive_failures);
    }
    *consecutive_failures = 0;
    spdlog::info(
        "poll source={} new={} flagged={} cases={} alerts={} fetched={} filtered={} dropped={} "
        "http={}{} duration={:.3f}s",
        runner.name(), o.inserted, o.flagged, o.cases_opened, o.alerts_queued, o.fetched,
        o.filtered, o.dropped, o.http_status, o.not_modified ? " (not modified)" : "", o.seconds);
  } else if (o.status.code() == Status::Code::kAborted && stop_) {
    spdlog::info("poll source={} stopped by shutdown", runner.name());
  } else {
    ++*consecutive_failures;
    spdlog::warn("poll source={} failed ({} in a row) duration={:.3f}s: {}", runner.name(),
                 *consecutive_failures, o.seconds, o.status.ToString());
    if (*consecutive_failures == options_.failing_after) {
      spdlog::error("source {} is failing: {} consecutive failures, last: {}", runner.name(),
                    *consecutive_failures, o.status.message());
    }
  }
  return o;
}

int Scheduler::RunOnce() {
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (auto& runner : runners_) {
    threads.emplace_back([&, r = runner.get()] {
      int consecutive = 0;
      PollOutcome o;
      do {
        o = PollAndLog(*r, &consecutive);
      } while (o.status.ok() && o.has_more && !stop_);
      if (!o.status.ok()) ++failures;
    });
  }
  for (auto& t : threads)
    t.join();
  return failures;
}

void Scheduler::RunSource(SourceRunner& runner) {
  std::mt19937_64 rng(std::random_device{}());
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  int consecutive = 0;
  auto state = store_.LoadSourceState(runner.name());
  if (state.ok()) consecutive = state->consecutive_failures;
  while (!stop_) {
    PollOutcome o = PollAndLog(runner, &consecutive);
    if (stop_) break;
    if (o.status.ok() && o.has_more) continue;
    const auto& cfg = runner.config();
    int64_t delay = NextPollDelayMillis(cfg.interval_ms, cfg.jitter, consecutive,
                                        options_.max_backoff_ms, unit(rng));
    if (consecutive > 0)
      spdlog::info("source {} retries in {:.1f}s", runner.name(), delay / 1000.0);
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, std::chrono::milliseconds(delay), [&] { return stop_.load(); });
  }
}

void Scheduler::Run() {
  std::vector<std::thread> threads;
  for (auto& runner : runners_) {
    threads.emplace_back([this, r = runner.get()] { RunSource(*r); });
  }
  for (auto& t : threads)
    t.join();
}

void Scheduler::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
}

}  // namespace earshot
