#include <signal.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>

#include "daemon/alerts/alert_dispatcher.h"
#include "daemon/cli/options.h"
#include "daemon/config/config.h"
#include "daemon/daemon_setup.h"
#include "daemon/escalations/escalation_monitor.h"
#include "daemon/logging.h"
#include "daemon/scheduler.h"
#include "daemon/signals.h"
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
  if (vm.count("db")) config.store.path = vm["db"].as<std::string>();
  if (vm.count("log-level")) config.logging.level = vm["log-level"].as<std::string>();
  if (vm.count("log-format")) config.logging.format = vm["log-format"].as<std::string>();
  if (vm.count("listen")) config.server.listen = vm["listen"].as<std::string>();
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
  auto pipeline = BuildPipeline(config);
  if (!pipeline.ok()) {
    spdlog::critical("{}", pipeline.status().ToString());
    return kExitConfig;
  }
  HttpClient http(HttpOptionsFrom(config));
  auto runners = BuildRunners(config, http);
  if (!runners.ok()) {
    spdlog::critical("{}", runners.status().ToString());
    return kExitConfig;
  }
  spdlog::info("earshot {} starting: {} sources, store {}", EARSHOT_VERSION, runners->size(),
               config.store.path);

  Scheduler scheduler(std::move(runners).value(), **store, **pipeline,
                      {.failing_after = config.failing_after});
  DispatcherOptions dispatch_options;
  dispatch_options.link_base = "http://" + config.server.listen;
  AlertDispatcher alerts(**store, http, config.channels, dispatch_options);
  EscalationMonitor escalations(**store, EscalationOptionsFrom(config, dispatch_options.link_base),
                                CallersFrom(config));
  if (once) {
    int failed = scheduler.RunOnce();
    escalations.Tick(NowMillis());
    // Cron-style runs send what they found now: nothing waits for a group to fill.
    DispatchSummary sent = alerts.Tick(/*flush=*/true);
    spdlog::info("done: {} source(s) failed, {} alert message(s) sent", failed, sent.messages);
    return failed ? kExitFailure : kExitOk;
  }

  SignalWatcher signals([&](int sig) {
    if (sig == SIGHUP) {
      spdlog::info("SIGHUP: configuration reload is not supported yet; restart to apply changes");
      return;
    }
    spdlog::info("received {}, finishing the polls in flight",
                 sig == SIGINT ? "SIGINT" : "SIGTERM");
    scheduler.Stop();
  });
  std::unique_ptr<WebServer> web;
  if (config.server.enabled) {
    web = std::make_unique<WebServer>(**store, WebOptionsFromConfig(config));
    if (Status s = web->Start(config.server.listen); !s.ok()) {
      spdlog::critical("web server: {}", s.ToString());
      scheduler.Stop();
      return kExitFailure;
    }
    spdlog::info("web page at http://{}/", config.server.listen);
  }
  std::atomic<bool> stopping{false};
  std::thread alert_loop([&] {
    UnixMillis next_escalation_check = 0;
    while (!stopping) {
      // Escalations look at every open case: twice a minute is soon enough for SLAs in minutes.
      if (NowMillis() >= next_escalation_check) {
        escalations.Tick(NowMillis());
        next_escalation_check = NowMillis() + 30'000;
      }
      alerts.Tick();
      for (int i = 0; i < 10 && !stopping; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  scheduler.Run();
  stopping = true;
  alert_loop.join();
  if (web) web->Stop();
  spdlog::info("stopped");
  return kExitOk;
}

}  // namespace earshot::cli
