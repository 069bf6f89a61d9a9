// What a SIGHUP changes in a running daemon. The configuration and its rules files are read
// again and everything is built before anything is swapped: the pipeline (classifiers, rules),
// one runner per source and the alert channels. Only when all of it is valid does the new set
// replace the old as a whole; otherwise the old set keeps running and every error is logged as
// file:line:col. Settings bound at start (the store, the listen address, tokens, HTTP options,
// the log format) are reported as needing a restart and left as they are.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/http/http_client.h"
#include "daemon/config/config.h"
#include "daemon/metrics/daemon_metrics.h"
#include "daemon/pipeline.h"
#include "daemon/scheduler.h"
#include "daemon/source_runner.h"

namespace earshot {

// The parts of a configuration that a reload rebuilds.
struct LiveSet {
  std::shared_ptr<const Pipeline> pipeline;
  std::vector<std::unique_ptr<SourceRunner>> runners;
};

// The set, or every problem found ("file:line:col: message", rules errors with their line and
// caret). Timings go to `metrics` when given.
struct LiveSetResult {
  std::optional<LiveSet> set;
  std::vector<std::string> errors;
};
LiveSetResult BuildLiveSet(const Config& config, HttpClient& http, metrics::DaemonMetrics* metrics);

// Names of the settings that differ between the two and need a restart to change.
std::vector<std::string> RestartOnlyChanges(const Config& running, const Config& next);
// Copies the settings that need a restart from `running` into `next`.
void KeepRestartOnly(const Config& running, Config* next);
bool SameChannels(const std::vector<ChannelConfig>& a, const std::vector<ChannelConfig>& b);

// The command line's overrides of the configuration, applied again to every reload.
struct ConfigOverrides {
  std::optional<std::string> db, log_level, log_format, listen;
  void Apply(Config* config) const;
};

class Reloader {
 public:
  struct Hooks {
    // Called with the new configuration when its channels differ, before the swap.
    std::function<void(const Config&)> channels_changed;
    // Called with the new configuration once it is swapped in (escalations, callers).
    std::function<void(const Config&)> applied;
    // "RELOADING=1..." before, "READY=1" after: for systemd.
    std::function<void(const std::string&)> notify;
  };
  Reloader(Config running, ConfigOverrides overrides, HttpClient& http, Scheduler& scheduler,
           metrics::DaemonMetrics* metrics, Hooks hooks);

  // Reads the configuration file again and swaps in the new set when it is all valid. Returns
  // whether it did.
  bool Reload();
  const Config& running() const { return running_; }

 private:
  Config running_;
  ConfigOverrides overrides_;
  HttpClient& http_;
  Scheduler& scheduler_;
  metrics::DaemonMetrics* metrics_;
  Hooks hooks_;
};

}  // namespace earshot
