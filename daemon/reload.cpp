#include "daemon/reload.h"

#include <spdlog/spdlog.h>

#include <set>

#include "daemon/daemon_setup.h"
#include "daemon/systemd_notify.h"

namespace earshot {
namespace {

// BuildPipeline joins its errors with newlines; an error's source line and caret follow it
// indented. One entry per error, with its own lines.
std::vector<std::string> SplitErrors(const std::string& message) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= message.size()) {
    size_t end = message.find('\n', pos);
    if (end == std::string::npos) end = message.size();
    std::string line = message.substr(pos, end - pos);
    if (!line.empty()) {
      if (line[0] == ' ' && !out.empty()) {
        out.back() += "\n" + line;
      } else {
        out.push_back(line);
      }
    }
    pos = end + 1;
  }
  return out;
}

bool SameChannel(const ChannelConfig& a, const ChannelConfig& b) {
  return a.name == b.name && a.kind == b.kind && a.url == b.url && a.token == b.token &&
         a.chat_id == b.chat_id && a.secret == b.secret && a.from == b.from && a.to == b.to &&
         a.username == b.username && a.password == b.password;
}

bool SameTokens(const std::vector<ApiTokenConfig>& a, const std::vector<ApiTokenConfig>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].role != b[i].role ||
        a[i].token_sha256 != b[i].token_sha256) {
      return false;
    }
  }
  return true;
}

}  // namespace

LiveSetResult BuildLiveSet(const Config& config, HttpClient& http,
                           metrics::DaemonMetrics* metrics) {
  LiveSetResult result;
  auto pipeline = BuildPipeline(config);
  if (!pipeline.ok()) {
    result.errors = SplitErrors(pipeline.status().message());
    if (result.errors.empty()) result.errors.push_back(pipeline.status().ToString());
  }
  LiveSet set;
  for (const auto& source : config.sources) {
    if (!source.enabled) continue;
    auto runner = SourceRunner::Create(source, http);
    if (!runner.ok()) {
      result.errors.push_back(source.where.ToString() + ": " + runner.status().message());
      continue;
    }
    set.runners.push_back(std::move(runner).value());
  }
  if (!result.errors.empty()) return result;
  if (metrics) (*pipeline)->set_timers(&metrics->classify_seconds(), &metrics->rules_seconds());
  set.pipeline = std::shared_ptr<const Pipeline>(std::move(pipeline).value());
  result.set = std::move(set);
  return result;
}

std::vector<std::string> RestartOnlyChanges(const Config& running, const Config& next) {
  std::vector<std::string> changed;
  if (running.store.path != next.store.path) changed.push_back("store.path");
  if (running.server.enabled != next.server.enabled) changed.push_back("server.enabled");
  if (running.server.listen != next.server.listen) changed.push_back("server.listen");
  if (!SameTokens(running.server.tokens, next.server.tokens)) changed.push_back("server.tokens");
  if (running.server.allowed_hosts != next.server.allowed_hosts)
    changed.push_back("server.allowed_hosts");
  if (running.server.session_ttl_ms != next.server.session_ttl_ms)
    changed.push_back("server.session_ttl");
  if (running.server.metrics_public != next.server.metrics_public)
    changed.push_back("server.metrics_public");
  if (running.server.secure_cookies != next.server.secure_cookies)
    changed.push_back("server.secure_cookies");
  if (running.http.user_agent != next.http.user_agent) changed.push_back("http.user_agent");
  if (running.http.ca_path != next.http.ca_path) changed.push_back("http.ca_path");
  if (running.http.proxy != next.http.proxy) changed.push_back("http.proxy");
  if (running.logging.format != next.logging.format) changed.push_back("logging.format");
  return changed;
}

void KeepRestartOnly(const Config& running, Config* next) {
  next->store = running.store;
  next->server = running.server;
  next->http = running.http;
  next->logging.format = running.logging.format;
}

bool SameChannels(const std::vector<ChannelConfig>& a, const std::vector<ChannelConfig>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!SameChannel(a[i], b[i])) return false;
  return true;
}

void ConfigOverrides::Apply(Config* config) const {
  if (db) config->store.path = *db;
  if (log_level) config->logging.level = *log_level;
  if (log_format) config->logging.format = *log_format;
  if (listen) config->server.listen = *listen;
}

Reloader::Reloader(Config running, ConfigOverrides overrides, HttpClient& http,
                   Scheduler& scheduler, metrics::DaemonMetrics* metrics, Hooks hooks)
    : running_(std::move(running)),
      overrides_(std::move(overrides)),
      http_(http),
      scheduler_(scheduler),
      metrics_(metrics),
      hooks_(std::move(hooks)) {}

bool Reloader::Reload() {
  auto notify = [&](const std::string& state) {
    if (hooks_.notify) hooks_.notify(state);
  };
  notify("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(MonotonicMicros()) +
         "\nSTATUS=reloading the configuration");
  spdlog::info("SIGHUP: reloading the configuration from {}", running_.path);
  auto refuse = [&](size_t errors) {
    spdlog::error("reload refused: {} error(s); the running configuration stays in force", errors);
    if (metrics_) metrics_->RecordReload(false);
    notify("READY=1\nSTATUS=reload refused: the running configuration stays in force");
    return false;
  };

  ConfigLoadResult loaded = LoadConfigFile(running_.path);
  if (!loaded.config) {
    for (const auto& e : loaded.errors)
      spdlog::error("reload: {}", e.ToString());
    return refuse(loaded.errors.size());
  }
  Config next = std::move(*loaded.config);
  overrides_.Apply(&next);
  LiveSetResult built = BuildLiveSet(next, http_, metrics_);
  if (!built.set) {
    for (const auto& e : built.errors)
      spdlog::error("reload: {}", e);
    return refuse(built.errors.size());
  }
  if (auto lvl = spdlog::level::from_str(next.logging.level);
      lvl == spdlog::level::off && next.logging.level != "off") {
    spdlog::error("reload: unknown log level '{}'", next.logging.level);
    return refuse(1);
  }

  for (const auto& key : RestartOnlyChanges(running_, next))
    spdlog::warn("reload: {} changed: that needs a restart; the running value stays", key);
  KeepRestartOnly(running_, &next);

  // Channels first, so an alert queued by the new rules finds its channel.
  const bool channels_changed = !SameChannels(running_.channels, next.channels);
  if (channels_changed && hooks_.channels_changed) hooks_.channels_changed(next);
  ReloadSummary summary =
      scheduler_.Reload(std::move(built.set->runners), built.set->pipeline, next.failing_after);
  if (hooks_.applied) hooks_.applied(next);
  if (next.logging.level != running_.logging.level)
    spdlog::set_level(spdlog::level::from_str(next.logging.level));
  if (metrics_) {
    metrics_->RecordReload(true);
    metrics_->SetSourcesScheduled(static_cast<int>(scheduler_.source_count()));
    for (const auto& old : running_.sources) {
      bool still = false;
      for (const auto& s : next.sources)
        still |= s.spec.name == old.spec.name && s.enabled;
      if (!still) metrics_->ForgetSource(old.spec.name);
    }
  }
  spdlog::info(
      "reload done: {} rule(s); sources: {} added, {} removed, {} changed, {} unchanged; "
      "channels {}",
      built.set->pipeline->rule_count(), summary.added, summary.removed, summary.changed,
      summary.kept, channels_changed ? "changed" : "unchanged");
  running_ = std::move(next);
  notify("READY=1\nSTATUS=watching " + std::to_string(scheduler_.source_count()) + " source(s)");
  return true;
}

}  // namespace earshot
