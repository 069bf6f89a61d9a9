#include <signal.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include "daemon/alerts/alert_dispatcher.h"
#include "daemon/cli/options.h"
#include "daemon/config/config.h"
#include "daemon/daemon_setup.h"
#include "daemon/escalations/escalation_monitor.h"
#include "daemon/logging.h"
#include "daemon/metrics/daemon_metrics.h"
#include "daemon/reload.h"
#include "daemon/scheduler.h"
#include "daemon/signals.h"
#include "daemon/systemd_notify.h"
#include "daemon/web/web_server.h"
#include "store/sqlite_store.h"

namespace earshot::cli {

int RunDaemon(const Args& args) {
  po::options_description options("options");
  options.add_options()("config,c", po::value<std::string>()->required(),
                        "configuration file (YAML)")(
      "once", po::bool_switch(), "poll every source once, process everything, and exit")(
      "db", po::value<std::string>(), "SQLite database file (overrides store.path)")(
      "log-level", po::value<std::string>(), "trace, debug, info, warn or error")(
      "log-format", po::value<std::string>(), "text or json")(
      "listen", po::value<std::string>(), "web server address host:port (overrides server.listen)");
  po::variables_map vm;
  if (auto exit = ParseOptions("run",
                               "--config FILE [--once] [--db PATH] [--log-level L] "
                               "[--log-format text|json] [--listen HOST:PORT]",
                               options, {}, args, &vm)) {
    return *exit;
  }

  ConfigLoadResult loaded = LoadConfigFile(vm["config"].as<std::string>());
  if (!loaded.config) {
    for (const auto& error : loaded.errors)
      std::cerr << error.ToString() << "\n";
    return kExitConfig;
  }
  Config config = std::move(*loaded.config);
  ConfigOverrides overrides;
  if (vm.count("db")) overrides.db = vm["db"].as<std::string>();
  if (vm.count("log-level")) overrides.log_level = vm["log-level"].as<std::string>();
  if (vm.count("log-format")) overrides.log_format = vm["log-format"].as<std::string>();
  if (vm.count("listen")) overrides.listen = vm["listen"].as<std::string>();
  overrides.Apply(&config);
  const bool once = vm["once"].as<bool>();

  if (Status s = SetupLogging(config.logging.level, config.logging.format); !s.ok()) {
    std::cerr << "earshot run: " << s.message() << "\n";
    return kExitUsage;
  }

  auto store = OpenSqliteStore(config.store.path);
  if (!store.ok()) {
    spdlog::critical("cannot open the store {}: {}", config.store.path, store.status().message());
    return kExitFailure;
  }
  metrics::DaemonMetrics metrics(store->get());
  HttpClient http(HttpOptionsFrom(config));
  LiveSetResult live = BuildLiveSet(config, http, &metrics);
  if (!live.set) {
    for (const auto& error : live.errors)
      spdlog::critical("{}", error);
    return kExitConfig;
  }
  spdlog::info("earshot {} starting: {} sources, store {}", EARSHOT_VERSION,
               live.set->runners.size(), config.store.path);

  SchedulerOptions scheduler_options;
  scheduler_options.failing_after = config.failing_after;
  scheduler_options.on_poll = [&metrics](const std::string& source, const PollOutcome& o) {
    metrics.RecordPoll(source, o);
  };
  Scheduler scheduler(std::move(live.set->runners), **store, live.set->pipeline,
                      std::move(scheduler_options));
  DispatcherOptions dispatch_options;
  dispatch_options.link_base = "http://" + config.server.listen;
  // The alert loop's dispatcher; a reload that changes the channels swaps in a new one.
  std::mutex alerts_mu;
  auto alerts = std::make_shared<AlertDispatcher>(**store, http, config.channels, dispatch_options);
  auto tick_alerts = [&](bool flush) {
    std::shared_ptr<AlertDispatcher> dispatcher;
    {
      std::lock_guard lock(alerts_mu);
      dispatcher = alerts;
    }
    DispatchSummary sent = dispatcher->Tick(flush);
    metrics.RecordDelivery(sent.delivered_rows, sent.retried_rows + sent.failed_rows,
                           sent.failed_rows);
    return sent;
  };
  // Escalations and assignment; a reload swaps in the new callers and thresholds.
  auto escalations = std::make_shared<EscalationMonitor>(
      **store, EscalationOptionsFrom(config, dispatch_options.link_base), CallersFrom(config));
  auto tick_escalations = [&] {
    std::shared_ptr<EscalationMonitor> monitor;
    {
      std::lock_guard lock(alerts_mu);
      monitor = escalations;
    }
    monitor->Tick(NowMillis());
  };
  if (once) {
    int failed = scheduler.RunOnce();
    tick_escalations();
    // Cron-style runs send what they found now: nothing waits for a group to fill.
    DispatchSummary sent = tick_alerts(/*flush=*/true);
    spdlog::info("done: {} source(s) failed, {} alert message(s) sent", failed, sent.messages);
    return failed ? kExitFailure : kExitOk;
  }

  const SystemdNotifier notifier = SystemdNotifier::FromEnvironment();
  auto notify = [&notifier](const std::string& state) {
    if (Status s = notifier.Notify(state); !s.ok()) spdlog::warn("systemd: {}", s.message());
  };
  // The signal thread only records what was asked; this thread reloads and pings the watchdog.
  std::mutex events_mu;
  std::condition_variable events;
  bool stop_requested = false;
  bool reload_requested = false;
  SignalWatcher signals([&](int sig) {
    std::lock_guard lock(events_mu);
    if (sig == SIGHUP) {
      reload_requested = true;
    } else {
      spdlog::info("received {}, finishing the polls in flight",
                   sig == SIGINT ? "SIGINT" : "SIGTERM");
      stop_requested = true;
      scheduler.Stop();
    }
    events.notify_all();
  });
  std::unique_ptr<WebServer> web;
  if (config.server.enabled) {
    WebOptions web_options = WebOptionsFromConfig(config);
    Store& ready_store = **store;
    web_options.ready = [&scheduler, &ready_store] {
      return scheduler.scheduled() && ready_store.OutboxDepth().ok();
    };
    web_options.metrics = [&metrics] { return metrics.Render(); };
    // Webhook sources: the scheduler's live set, so a reload's additions and removals apply to
    // the next request.
    web_options.push_source = [&scheduler](const std::string& name) {
      return scheduler.FindPushSource(name);
    };
    web_options.on_push = [&metrics](const std::string& source, const PollOutcome& o) {
      metrics.RecordPoll(source, o);
    };
    web = std::make_unique<WebServer>(**store, std::move(web_options));
    if (Status s = web->Start(config.server.listen); !s.ok()) {
      spdlog::critical("web server: {}", s.ToString());
      scheduler.Stop();
      return kExitFailure;
    }
    const std::string& host = web->host();
    const std::string base = "http://" +
                             (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
                             std::to_string(web->port());
    spdlog::info("web page at {}/", base);
    // Links in alerts point at the port really bound (it may have been 0 in the config).
    if (base != dispatch_options.link_base) {
      dispatch_options.link_base = base;
      auto dispatcher =
          std::make_shared<AlertDispatcher>(**store, http, config.channels, dispatch_options);
      auto monitor = std::make_shared<EscalationMonitor>(
          **store, EscalationOptionsFrom(config, base), CallersFrom(config));
      std::lock_guard lock(alerts_mu);
      alerts = std::move(dispatcher);
      escalations = std::move(monitor);
    }
  }
  std::atomic<bool> stopping{false};
  std::thread alert_loop([&] {
    UnixMillis next_escalation_check = 0;
    while (!stopping) {
      // Escalations look at every open case: twice a minute is soon enough for SLAs in minutes.
      if (NowMillis() >= next_escalation_check) {
        tick_escalations();
        next_escalation_check = NowMillis() + 30'000;
      }
      tick_alerts(false);
      for (int i = 0; i < 10 && !stopping; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  Reloader::Hooks hooks;
  hooks.channels_changed = [&](const Config& next) {
    auto dispatcher =
        std::make_shared<AlertDispatcher>(**store, http, next.channels, dispatch_options);
    std::lock_guard lock(alerts_mu);
    alerts = std::move(dispatcher);
  };
  hooks.applied = [&](const Config& next) {
    auto monitor = std::make_shared<EscalationMonitor>(
        **store, EscalationOptionsFrom(next, dispatch_options.link_base), CallersFrom(next));
    std::lock_guard lock(alerts_mu);
    escalations = std::move(monitor);
  };
  hooks.notify = notify;
  Reloader reloader(config, overrides, http, scheduler, &metrics, std::move(hooks));

  scheduler.Start();
  metrics.SetSourcesScheduled(static_cast<int>(scheduler.source_count()));
  notify("READY=1\nSTATUS=watching " + std::to_string(scheduler.source_count()) + " source(s)");
  const auto ping = notifier.watchdog_ping_interval();
  auto next_ping = std::chrono::steady_clock::now();
  std::unique_lock lock(events_mu);
  while (!stop_requested) {
    const auto now = std::chrono::steady_clock::now();
    if (reload_requested) {
      reload_requested = false;
      lock.unlock();
      reloader.Reload();
      lock.lock();
    } else if (ping && now >= next_ping) {
      lock.unlock();
      notify("WATCHDOG=1");
      lock.lock();
      next_ping = now + *ping;
    } else {
      events.wait_until(lock, ping ? next_ping : now + std::chrono::hours(1),
                        [&] { return stop_requested || reload_requested; });
    }
  }
  lock.unlock();
  notify("STOPPING=1\nSTATUS=finishing the polls in flight");
  scheduler.Wait();
  stopping = true;
  alert_loop.join();
  if (web) web->Stop();
  spdlog::info("stopped");
  return kExitOk;
}

}  // namespace earshot::cli
