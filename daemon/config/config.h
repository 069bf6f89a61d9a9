// The daemon's configuration as loaded from YAML: everything validated, paths resolved relative
// to the config file, secrets already read from the environment or *_file paths.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "connectors/connector.h"
#include "connectors/http/circuit_breaker.h"
#include "daemon/notify/channel.h"

namespace earshot {

// Where something was written, for messages in the form file:line:col.
struct ConfigLocation {
  std::string file;
  int line = 0;  // 1-based; 0 when unknown
  int column = 0;
  std::string ToString() const;
};

struct ConfigError {
  ConfigLocation where;
  std::string message;
  std::string ToString() const;  // "file:line:col: message"
};

struct KeywordConfig {
  std::vector<std::string> include;  // any of these must occur; empty means everything passes
  std::vector<std::string> exclude;  // none of these may occur
};

struct SourceConfig {
  SourceSpec spec;
  int64_t interval_ms = 300'000;
  double jitter = 0.1;  // fraction of the interval, 0..1
  KeywordConfig keywords;
  bool enabled = true;
  bool keep_raw = false;
  double requests_per_minute = 0;  // this source's own cap on HTTP requests; 0: none
  int64_t requests_per_day = 0;    // a daily budget of HTTP requests; 0: none
  BreakerOptions circuit_breaker;  // when the source's requests stop for a while
  ConfigLocation where;
};

struct PatternSetConfig {
  std::string name;
  std::vector<std::string> patterns;  // RE2 syntax, already checked to compile
  bool flag = true;                   // a mention with this label is flagged for review
  ConfigLocation where;
};

struct TopicConfig {
  std::string name;
  std::vector<std::string> patterns;  // RE2, case-insensitive, already checked to compile
  ConfigLocation where;
};

// Who may use the web page and API. The token itself is not kept: only its SHA-256.
struct ApiTokenConfig {
  std::string name;          // shown as the reviewer or caller
  std::string role;          // viewer reviewer caller admin
  std::string token_sha256;  // 32 raw bytes
  ConfigLocation where;
};

struct CallerConfig {
  std::string name;
  std::vector<std::string> languages;
  std::vector<std::string> skills;
  std::string shift;  // "Mon-Fri 08:00-18:00" UTC, checked; empty: always
  ConfigLocation where;
};

struct EscalationConfig {
  std::string channel;  // empty: escalations are logged, not alerted
  int64_t sla_warning_ms = 10 * 60'000;
  bool source_failing = true;
  int64_t source_silent_ms = 0;
  bool negative_spike = false;
  int64_t spike_window_ms = 3600'000;
  int64_t spike_baseline_ms = 7 * 86'400'000LL;
  double spike_factor = 3;
  int64_t spike_min_count = 5;
  int64_t spike_cooldown_ms = 6 * 3600'000;
  ConfigLocation where;
};

struct Config {
  std::string path;  // the file it came from
  struct {
    std::string path = "earshot.db";
  } store;
  struct {
    std::string level = "info";   // trace debug info warn error
    std::string format = "text";  // text | json
  } logging;
  struct {
    bool enabled = true;
    std::string listen = "127.0.0.1:8080";
    std::vector<ApiTokenConfig> tokens;      // none: the open demo, loopback only
    std::vector<std::string> allowed_hosts;  // Host header names; empty: listen host + loopback
    int64_t session_ttl_ms = 12LL * 3600 * 1000;
    bool metrics_public = false;  // GET /metrics without a token even when tokens are set
    bool secure_cookies = false;  // behind an HTTPS proxy: the session cookie is Secure
  } server;
  struct {
    std::string user_agent;  // empty: "earshot/<version>"
    std::string ca_path;
    std::string proxy;
  } http;
  int failing_after = 5;  // consecutive failures after which a source is reported as failing
  std::vector<SourceConfig> sources;
  std::vector<PatternSetConfig> labels;
  std::vector<std::string> rules;       // rules files, in load order; later ones override
  std::vector<ChannelConfig> channels;  // team-chat channels that rules alert by name
  EscalationConfig escalations;
  std::vector<CallerConfig> callers;  // who new cases are assigned to, in turn
  struct {
    std::vector<TopicConfig> topics;              // custom topics beside the built-in ones
    std::map<std::string, std::string> lexicons;  // language -> lexicon file path
  } classifiers;
};

struct ConfigLoadResult {
  std::optional<Config> config;     // set only when errors is empty
  std::vector<ConfigError> errors;  // every problem found, in file order
};

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
std::optional<std::string> SystemEnv(const std::string& name);

ConfigLoadResult LoadConfigFile(const std::string& path, const EnvLookup& env = SystemEnv);
ConfigLoadResult LoadConfigString(const std::string& yaml, const std::string& file_name,
                                  const EnvLookup& env = SystemEnv);

}  // namespace earshot
