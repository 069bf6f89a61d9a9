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
  // Retry quickly at first (a blip), then back off up to the cap, with full jitter (anywhere
  // from the floor to the exponential bound) so sources and daemons failing together spread
  // their retries instead of coming back in lockstep.
  const int64_t base = std::min<int64_t>(interval_ms, 30'000);
  const int shift = std::min(failures - 1, 20);
  const int64_t cap = std::max(max_backoff_ms, interval_ms);
  const int64_t bound = std::min(cap, base << shift);
  const int64_t floor = std::min<int64_t>(bound, 1'000);
  return floor + static_cast<int64_t>(unit_random * static_cast<double>(bound - floor));
}

Scheduler::Scheduler(std::vector<std::unique_ptr<SourceRunner>> runners, Store& store,
                     std::shared_ptr<const Pipeline> pipeline, SchedulerOptions options)
    : store_(store),
      options_(std::move(options)),
      failing_after_(options_.failing_after),
      pipeline_(std::move(pipeline)) {
  for (auto& runner : runners) {
    auto worker = std::make_unique<Worker>();
    worker->runner = std::move(runner);
    workers_.push_back(std::move(worker));
  }
}

Scheduler::~Scheduler() {
  Stop();
  std::vector<std::unique_ptr<Worker>> workers;
  {
    std::lock_guard lock(mu_);
    workers.swap(workers_);
  }
  for (auto& w : workers)
    if (w->thread.joinable()) w->thread.join();
}

size_t Scheduler::source_count() const {
  std::lock_guard lock(mu_);
  return workers_.size();
}

std::shared_ptr<const Pipeline> Scheduler::pipeline() const {
  std::lock_guard lock(mu_);
  return pipeline_;
}

std::optional<PushSource> Scheduler::FindPushSource(const std::string& name) const {
  std::lock_guard lock(mu_);
  if (stop_) return std::nullopt;
  for (const auto& worker : workers_) {
    if (worker->runner->name() == name && worker->runner->push()) {
      return PushSource{worker->runner, pipeline_};
    }
  }
  return std::nullopt;
}

std::shared_ptr<const Pipeline> Scheduler::NextPoll(const Worker& worker) {
  std::lock_guard lock(mu_);
  if (worker.stop) return nullptr;
  return pipeline_;
}

PollOutcome Scheduler::PollAndLog(Worker& worker, const Pipeline& pipeline,
                                  int* consecutive_failures) {
  SourceRunner& runner = *worker.runner;
  PollOutcome o = runner.PollOnce(store_, pipeline, worker.stop);
  const int failing_after = failing_after_;
  if (o.status.ok()) {
    if (*consecutive_failures >= failing_after) {
      spdlog::info("source {} recovered after {} failures", runner.name(), *consecutive_failures);
    }
    *consecutive_failures = 0;
    spdlog::info(
        "poll source={} new={} flagged={} cases={} alerts={} fetched={} filtered={} dropped={} "
        "edited={} deleted={} http={}{} duration={:.3f}s",
        runner.name(), o.inserted, o.flagged, o.cases_opened, o.alerts_queued, o.fetched,
        o.filtered, o.dropped, o.edited, o.deleted, o.http_status,
        o.not_modified ? " (not modified)" : "", o.seconds);
  } else if (o.status.code() == Status::Code::kAborted && worker.stop) {
    spdlog::info("poll source={} stopped by {}", runner.name(), stop_ ? "shutdown" : "reload");
    return o;
  } else {
    ++*consecutive_failures;
    spdlog::warn("poll source={} failed ({} in a row) duration={:.3f}s: {}", runner.name(),
                 *consecutive_failures, o.seconds, o.status.ToString());
    if (*consecutive_failures == failing_after) {
      spdlog::error("source {} is failing: {} consecutive failures, last: {}", runner.name(),
                    *consecutive_failures, o.status.message());
    }
  }
  if (options_.on_poll) options_.on_poll(runner.name(), o);
  return o;
}

int Scheduler::RunOnce() {
  std::atomic<int> failures{0};
  std::vector<Worker*> workers;
  std::shared_ptr<const Pipeline> pipeline;
  {
    std::lock_guard lock(mu_);
    for (auto& worker : workers_)
      if (!worker->runner->push()) workers.push_back(worker.get());
    pipeline = pipeline_;
  }
  std::vector<std::thread> threads;
  for (Worker* worker : workers) {
    threads.emplace_back([&, w = worker] {
      int consecutive = 0;
      PollOutcome o;
      do {
        o = PollAndLog(*w, *pipeline, &consecutive);
      } while (o.status.ok() && o.has_more && !w->stop);
      if (!o.status.ok()) ++failures;
    });
  }
  for (auto& t : threads)
    t.join();
  return failures;
}

void Scheduler::RunSource(Worker& worker) {
  SourceRunner& runner = *worker.runner;
  std::mt19937_64 rng(std::random_device{}());
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  int consecutive = 0;
  auto state = store_.LoadSourceState(runner.name());
  if (state.ok()) consecutive = state->consecutive_failures;
  while (true) {
    PollOutcome o;
    {
      std::shared_ptr<const Pipeline> pipeline = NextPoll(worker);
      if (!pipeline) break;
      o = PollAndLog(worker, *pipeline, &consecutive);
    }
    if (worker.stop) break;
    if (o.status.ok() && o.has_more) continue;
    const auto& cfg = runner.config();
    int64_t delay = NextPollDelayMillis(cfg.interval_ms, cfg.jitter, consecutive,
                                        options_.max_backoff_ms, unit(rng));
    // A poll before the circuit's trial time would fail at once; wait for the trial instead.
    if (const UnixMillis trial = runner.circuit_open_until(); trial > 0) {
      delay = std::max(delay, trial - NowMillis());
    }
    if (consecutive > 0)
      spdlog::info("source {} retries in {:.1f}s", runner.name(), delay / 1000.0);
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, std::chrono::milliseconds(delay), [&] { return worker.stop.load(); });
  }
}

void Scheduler::StartLocked(Worker& worker) {
  if (worker.runner->push()) return;  // fed by requests, never polled
  worker.thread = std::thread([this, w = &worker] { RunSource(*w); });
}

void Scheduler::Start() {
  std::lock_guard lock(mu_);
  if (started_ || stop_) return;
  for (auto& worker : workers_)
    StartLocked(*worker);
  started_ = true;
}

void Scheduler::Wait() {
  std::vector<std::unique_ptr<Worker>> workers;
  {
    std::unique_lock lock(mu_);
    stopped_.wait(lock, [&] { return stop_.load(); });
    workers.swap(workers_);
  }
  for (auto& w : workers)
    if (w->thread.joinable()) w->thread.join();
}

void Scheduler::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    for (auto& w : workers_)
      w->stop = true;
  }
  wake_.notify_all();
  stopped_.notify_all();
}

ReloadSummary Scheduler::Reload(std::vector<std::unique_ptr<SourceRunner>> runners,
                                std::shared_ptr<const Pipeline> pipeline, int failing_after) {
  ReloadSummary summary;
  std::vector<std::unique_ptr<Worker>> retired;
  std::vector<std::unique_ptr<SourceRunner>> fresh;
  {
    std::lock_guard lock(mu_);
    if (stop_) return summary;
    pipeline_ = std::move(pipeline);
    failing_after_ = failing_after;
    std::vector<std::unique_ptr<Worker>> kept;
    for (auto& worker : workers_) {
      auto same = std::find_if(runners.begin(), runners.end(), [&](const auto& r) {
        return r && r->name() == worker->runner->name();
      });
      if (same != runners.end() && SameSource((*same)->config(), worker->runner->config())) {
        same->reset();  // the running one stays, with its schedule and connection state
        ++summary.kept;
        kept.push_back(std::move(worker));
        continue;
      }
      if (same != runners.end()) {
        ++summary.changed;
      } else {
        ++summary.removed;
      }
      worker->stop = true;
      retired.push_back(std::move(worker));
    }
    workers_ = std::move(kept);
    for (auto& r : runners) {
      if (!r) continue;
      const bool replaces = std::any_of(retired.begin(), retired.end(), [&](const auto& w) {
        return w->runner->name() == r->name();
      });
      if (!replaces) ++summary.added;
      fresh.push_back(std::move(r));
    }
  }
  wake_.notify_all();
  // A changed source's new runner starts only once the old one has stopped, so the two never
  // poll the same cursor at once.
  for (auto& w : retired)
    if (w->thread.joinable()) w->thread.join();
  std::lock_guard lock(mu_);
  if (stop_) return summary;
  for (auto& r : fresh) {
    auto worker = std::make_unique<Worker>();
    worker->runner = std::move(r);
    if (started_) StartLocked(*worker);
    workers_.push_back(std::move(worker));
  }
  return summary;
}

}  // namespace earshot
