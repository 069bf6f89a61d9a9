// Reads the YAML configuration, checking every key and value and collecting every problem with
// its file:line:col, so one run of check-config shows everything to fix.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <sstream>

#include "classifiers/patterns/regex_labeller.h"
#include "connectors/webhook/webhook_connector.h"
#include "core/closest_name.h"
#include "core/time.h"
#include "daemon/config/config.h"
#include "daemon/config/env_substitution.h"
#include "daemon/escalations/shift.h"
#include "daemon/notify/notifier.h"

namespace earshot {
namespace {

std::string Suggestion(const std::string& key, const std::vector<std::string>& allowed) {
  std::string best =
      ClosestName(key, std::vector<std::string_view>(allowed.begin(), allowed.end()));
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

bool ValidSourceName(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

bool IsPathSetting(const std::string& name) {
  return name == "path" || (name.size() > 5 && name.compare(name.size() - 5, 5, "_path") == 0);
}

class Loader {
 public:
  Loader(std::string file, const EnvLookup& env) : file_(std::move(file)), env_(env) {
    dir_ = std::filesystem::path(file_).parent_path();
  }

  ConfigLoadResult Load(const std::string& yaml) {
    ConfigLoadResult result;
    YAML::Node root;
    try {
      root = YAML::Load(yaml);
    } catch (const YAML::ParserException& e) {
      AddError(e.mark, e.msg);
      result.errors = std::move(errors_);
      return result;
    }
    Config config;
    config.path = file_;
    if (!root || root.IsNull()) {
      AddError(YAML::Mark(), "the configuration is empty: it needs at least a 'sources' list");
    } else if (!root.IsMap()) {
      AddError(root.Mark(), "the top level must be a map of sections (store, sources, ...)");
    } else {
      ReadRoot(root, &config);
    }
    std::stable_sort(
        errors_.begin(), errors_.end(), [](const ConfigError& a, const ConfigError& b) {
          return std::tie(a.where.line, a.where.column) < std::tie(b.where.line, b.where.column);
        });
    if (errors_.empty()) result.config = std::move(config);
    result.errors = std::move(errors_);
    return result;
  }

 private:
  void AddError(const YAML::Mark& mark, std::string message) {
    ConfigError e;
    e.where.file = file_;
    if (!mark.is_null()) {
      e.where.line = mark.line + 1;
      e.where.column = mark.column + 1;
    }
    e.message = std::move(message);
    errors_.push_back(std::move(e));
  }

  ConfigLocation Where(const YAML::Node& n) const {
    ConfigLocation loc;
    loc.file = file_;
    if (!n.Mark().is_null()) {
      loc.line = n.Mark().line + 1;
      loc.column = n.Mark().column + 1;
    }
    return loc;
  }

  // Reports keys of `map` that are not in `allowed`; returns false when `map` is not a map.
  bool CheckMap(const YAML::Node& map, const std::string& what,
                const std::vector<std::string>& allowed) {
    if (!map.IsMap()) {
      AddError(map.Mark(), what + " must be a map");
      return false;
    }
    for (const auto& kv : map) {
      auto key = kv.first.as<std::string>("");
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        AddError(kv.first.Mark(),
                 "unknown key '" + key + "' in " + what + Suggestion(key, allowed));
      }
    }
    return true;
  }

  std::optional<std::string> Scalar(const YAML::Node& n, const std::string& what) {
    if (!n.IsScalar()) {
      AddError(n.Mark(), what + " must be a single value");
      return std::nullopt;
    }
    auto value = SubstituteEnv(n.Scalar(), env_);
    if (!value.ok()) {
      AddError(n.Mark(), what + ": " + value.status().message());
      return std::nullopt;
    }
    return *value;
  }

  std::optional<bool> Bool(const YAML::Node& n, const std::string& what) {
    auto s = Scalar(n, what);
    if (!s) return std::nullopt;
    if (*s == "true" || *s == "yes" || *s == "on") return true;
    if (*s == "false" || *s == "no" || *s == "off") return false;
    AddError(n.Mark(), what + " must be true or false, not '" + *s + "'");
    return std::nullopt;
  }

  std::optional<int64_t> Int(const YAML::Node& n, const std::string& what, int64_t min,
                             int64_t max) {
    auto s = Scalar(n, what);
    if (!s) return std::nullopt;
    int64_t v = 0;
    auto [ptr, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
    if (ec != std::errc() || ptr != s->data() + s->size()) {
      AddError(n.Mark(), what + " must be a whole number, not '" + *s + "'");
      return std::nullopt;
    }
    if (v < min || v > max) {
      AddError(n.Mark(),
               what + " must be between " + std::to_string(min) + " and " + std::to_string(max));
      return std::nullopt;
    }
    return v;
  }

  std::optional<int64_t> Duration(const YAML::Node& n, const std::string& what) {
    auto s = Scalar(n, what);
    if (!s) return std::nullopt;
    auto ms = ParseDurationMillis(*s);
    if (!ms) {
      AddError(n.Mark(), what + " must be a duration like 30s, 5m, 1h30m, not '" + *s + "'");
    }
    return ms;
  }

  std::optional<std::vector<std::string>> List(const YAML::Node& n, const std::string& what) {
    if (n.IsScalar()) {
      auto s = Scalar(n, what);
      if (!s) return std::nullopt;
      return std::vector<std::string>{*s};
    }
    if (!n.IsSequence()) {
      AddError(n.Mark(), what + " must be a list");
      return std::nullopt;
    }
    std::vector<std::string> out;
    for (const auto& item : n) {
      if (auto s = Scalar(item, what + " entries")) out.push_back(*s);
    }
    return out;
  }

  std::string ResolvePath(const std::string& p) const {
    if (p.empty() || p == "-" || std::filesystem::path(p).is_absolute()) return p;
    return (dir_ / p).lexically_normal().string();
  }

  void ReadRoot(const YAML::Node& root, Config* config) {
    CheckMap(root, "the configuration",
             {"store", "logging", "server", "http", "failing_after", "labels", "classifiers",
              "rules", "channels", "escalations", "callers", "sources"});
    if (auto n = root["store"]; n && CheckMap(n, "store", {"path"}) && n["path"]) {
      if (auto p = Scalar(n["path"], "store.path")) config->store.path = *p;
    }
    config->store.path = ResolvePath(config->store.path);
    if (auto n = root["logging"]; n && CheckMap(n, "logging", {"level", "format"})) {
      if (n["level"]) {
        auto level = Scalar(n["level"], "logging.level");
        static const std::set<std::string> kLevels = {"trace", "debug", "info", "warn", "error"};
        if (level && !kLevels.count(*level)) {
          AddError(n["level"].Mark(), "logging.level must be trace, debug, info, warn or error");
        } else if (level) {
          config->logging.level = *level;
        }
      }
      if (n["format"]) {
        auto format = Scalar(n["format"], "logging.format");
        if (format && *format != "text" && *format != "json") {
          AddError(n["format"].Mark(), "logging.format must be text or json");
        } else if (format) {
          config->logging.format = *format;
        }
      }
    }
    if (auto n = root["server"];
        n && CheckMap(n, "server",
                      {"enabled", "listen", "tokens", "allowed_hosts", "session_ttl",
                       "metrics_public", "secure_cookies"})) {
      if (n["tokens"]) ReadTokens(n["tokens"], config);
      if (n["allowed_hosts"]) {
        for (auto& host : List(n["allowed_hosts"], "server.allowed_hosts")
                              .value_or(std::vector<std::string>{})) {
          std::transform(host.begin(), host.end(), host.begin(), ::tolower);
          config->server.allowed_hosts.push_back(host);
        }
      }
      if (n["session_ttl"]) {
        if (auto ms = Duration(n["session_ttl"], "server.session_ttl")) {
          if (*ms < 60'000) {
            AddError(n["session_ttl"].Mark(), "server.session_ttl must be at least 1m");
          } else {
            config->server.session_ttl_ms = *ms;
          }
        }
      }
      if (n["enabled"])
        config->server.enabled = Bool(n["enabled"], "server.enabled").value_or(true);
      if (n["metrics_public"]) {
        config->server.metrics_public =
            Bool(n["metrics_public"], "server.metrics_public").value_or(false);
      }
      if (n["secure_cookies"]) {
        config->server.secure_cookies =
            Bool(n["secure_cookies"], "server.secure_cookies").value_or(false);
      }
      if (n["listen"]) {
        if (auto listen = Scalar(n["listen"], "server.listen")) {
          static const std::regex kHostPort(R"(^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.\-]+):(\d{1,5})$)");
          std::smatch m;
          if (!std::regex_match(*listen, m, kHostPort) || std::stoi(m[2]) > 65535) {
            AddError(n["listen"].Mark(), "server.listen must be host:port, like 127.0.0.1:8080");
          } else {
            config->server.listen = *listen;
          }
        }
      }
    }
    if (auto n = root["http"]; n && CheckMap(n, "http", {"user_agent", "ca_path", "proxy"})) {
      if (n["user_agent"])
        config->http.user_agent = Scalar(n["user_agent"], "http.user_agent").value_or("");
      if (n["ca_path"])
        config->http.ca_path = ResolvePath(Scalar(n["ca_path"], "http.ca_path").value_or(""));
      if (n["proxy"]) config->http.proxy = Scalar(n["proxy"], "http.proxy").value_or("");
    }
    if (auto n = root["failing_after"]) {
      config->failing_after = static_cast<int>(Int(n, "failing_after", 1, 1000).value_or(5));
    }
    if (auto n = root["labels"]) ReadLabels(n, config);
    if (auto n = root["classifiers"]) ReadClassifiers(n, config);
    if (auto n = root["rules"]) ReadRuleFiles(n, config);
    if (auto n = root["channels"]) ReadChannels(n, config);
    if (auto n = root["escalations"]) ReadEscalations(n, config);
    if (auto n = root["callers"]) ReadCallers(n, config);
    if (auto n = root["sources"]) {
      ReadSources(n, config);
    } else {
      AddError(root.Mark(), "no 'sources': nothing would be watched");
    }
  }

  // server.tokens: [{name, role, token | token_file}]; only each token's SHA-256 is kept.
  void ReadTokens(const YAML::Node& tokens, Config* config) {
    if (!tokens.IsSequence()) {
      AddError(tokens.Mark(), "server.tokens must be a list of {name, role, token_file}");
      return;
    }
    static const std::set<std::string> kRoles = {"viewer", "reviewer", "caller", "admin"};
    std::set<std::string> names, hashes;
    for (const auto& item : tokens) {
      const std::string what = "server.tokens entry";
      if (!CheckMap(item, what, {"name", "role", "token", "token_file"})) continue;
      ApiTokenConfig entry;
      entry.where = Where(item);
      if (!item["name"]) {
        AddError(item.Mark(), what + " needs a 'name'");
        continue;
      }
      entry.name = Scalar(item["name"], what + " name").value_or("");
      if (entry.name.empty() || entry.name.size() > 64 ||
          !std::all_of(entry.name.begin(), entry.name.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ||
                   c == '.' || c == '@';
          })) {
        AddError(item["name"].Mark(),
                 what + " name must be 1-64 letters, digits, '_', '-', '.' or '@'");
        continue;
      }
      if (!names.insert(entry.name).second) {
        AddError(item["name"].Mark(), "server.tokens: the name '" + entry.name + "' is used twice");
        continue;
      }
      const std::string named = "server.tokens '" + entry.name + "'";
      auto role = item["role"] ? Scalar(item["role"], named + " role") : std::nullopt;
      if (!role || !kRoles.count(*role)) {
        AddError(item["role"] ? item["role"].Mark() : item.Mark(),
                 named + " needs a role: viewer, reviewer, caller or admin");
        continue;
      }
      entry.role = *role;
      if (item["token"] && item["token_file"]) {
        AddError(item["token_file"].Mark(), named + " has both token and token_file: keep one");
        continue;
      }
      if (!item["token"] && !item["token_file"]) {
        AddError(item.Mark(), named + " needs a token_file (or token)");
        continue;
      }
      const YAML::Node token_node = item["token"] ? item["token"] : item["token_file"];
      std::optional<std::string> read = item["token"]
                                            ? Scalar(token_node, named + " token")
                                            : ReadSecretText(token_node, named + " token");
      if (!read) continue;
      std::string secret = std::move(*read);
      if (secret.size() < 16) {
        AddError(token_node.Mark(),
                 named + " token must be at least 16 characters; `openssl rand -hex 32` makes one");
        OPENSSL_cleanse(secret.data(), secret.size());
        continue;
      }
      entry.token_sha256.resize(32);
      unsigned int len = 0;
      EVP_Digest(secret.data(), secret.size(),
                 reinterpret_cast<unsigned char*>(entry.token_sha256.data()), &len, EVP_sha256(),
                 nullptr);
      OPENSSL_cleanse(secret.data(), secret.size());
      if (!hashes.insert(entry.token_sha256).second) {
        AddError(item.Mark(), named + " has the same token as another entry");
        continue;
      }
      config->server.tokens.push_back(std::move(entry));
    }
  }

  void ReadLabels(const YAML::Node& labels, Config* config) {
    if (!labels.IsMap()) {
      AddError(labels.Mark(), "labels must be a map of named pattern sets");
      return;
    }
    for (const auto& kv : labels) {
      PatternSetConfig set;
      set.name = kv.first.as<std::string>("");
      set.where = Where(kv.first);
      const std::string what = "label set '" + set.name + "'";
      if (!CheckMap(kv.second, what, {"patterns", "flag"})) continue;
      if (kv.second["flag"]) set.flag = Bool(kv.second["flag"], what + " flag").value_or(true);
      const YAML::Node patterns = kv.second["patterns"];
      if (!patterns || !patterns.IsSequence() || patterns.size() == 0) {
        AddError(kv.first.Mark(), what + " needs a non-empty 'patterns' list");
        continue;
      }
      for (const auto& p : patterns) {
        auto pattern = Scalar(p, what + " pattern");
        if (!pattern) continue;
        if (Status s = RegexLabeller::CheckPattern(*pattern); !s.ok()) {
          AddError(p.Mark(), "bad pattern in " + what + ": " + s.message());
          continue;
        }
        set.patterns.push_back(*pattern);
      }
      config->labels.push_back(std::move(set));
    }
  }

  // Only that the files exist: their contents are compiled (and reported on) with the pipeline.
  void ReadRuleFiles(const YAML::Node& node, Config* config) {
    auto files = List(node, "rules");
    if (!files) return;
    std::vector<YAML::Node> nodes;
    if (node.IsSequence()) {
      for (const auto& item : node)
        nodes.push_back(item);
    } else {
      nodes.push_back(node);
    }
    for (size_t i = 0; i < files->size(); ++i) {
      const std::string resolved = ResolvePath((*files)[i]);
      if (!std::ifstream(resolved)) {
        AddError(nodes[std::min(i, nodes.size() - 1)].Mark(),
                 "cannot read the rules file " + (*files)[i]);
        continue;
      }
      config->rules.push_back(resolved);
    }
  }

  void ReadEscalations(const YAML::Node& node, Config* config) {
    if (!CheckMap(node, "escalations",
                  {"channel", "sla_warning", "source_failing", "source_silent", "negative_spike"}))
      return;
    EscalationConfig& e = config->escalations;
    e.where = Where(node);
    if (node["channel"]) {
      e.channel = Scalar(node["channel"], "escalations.channel").value_or("");
      bool known = std::any_of(config->channels.begin(), config->channels.end(),
                               [&](const ChannelConfig& c) { return c.name == e.channel; });
      if (!known && config->channels.size() > 0) {
        AddError(node["channel"].Mark(),
                 "escalations.channel '" + e.channel + "' is not one of the channels");
      } else if (!known) {
        AddError(node["channel"].Mark(),
                 "escalations.channel '" + e.channel + "' needs a matching entry under 'channels'");
      }
    }
    if (node["sla_warning"])
      e.sla_warning_ms = Duration(node["sla_warning"], "escalations.sla_warning").value_or(0);
    if (node["source_silent"])
      e.source_silent_ms = Duration(node["source_silent"], "escalations.source_silent").value_or(0);
    if (node["source_failing"])
      e.source_failing = Bool(node["source_failing"], "escalations.source_failing").value_or(true);
    if (auto spike = node["negative_spike"]) {
      const std::string what = "escalations.negative_spike";
      if (!CheckMap(spike, what,
                    {"window", "baseline", "factor", "min_count", "cooldown", "enabled"}))
        return;
      e.negative_spike = true;
      if (spike["enabled"])
        e.negative_spike = Bool(spike["enabled"], what + ".enabled").value_or(true);
      if (spike["window"])
        e.spike_window_ms = Duration(spike["window"], what + ".window").value_or(e.spike_window_ms);
      if (spike["baseline"])
        e.spike_baseline_ms =
            Duration(spike["baseline"], what + ".baseline").value_or(e.spike_baseline_ms);
      if (spike["cooldown"])
        e.spike_cooldown_ms =
            Duration(spike["cooldown"], what + ".cooldown").value_or(e.spike_cooldown_ms);
      if (spike["min_count"])
        e.spike_min_count = Int(spike["min_count"], what + ".min_count", 1, 1'000'000).value_or(5);
      if (spike["factor"]) {
        auto f = Scalar(spike["factor"], what + ".factor");
        char* end = nullptr;
        double v = f ? std::strtod(f->c_str(), &end) : 0;
        if (!f || end == f->c_str() || *end != '\0' || v < 1) {
          AddError(spike["factor"].Mark(), what + ".factor must be a number of 1 or more");
        } else {
          e.spike_factor = v;
        }
      }
      if (e.spike_baseline_ms <= e.spike_window_ms)
        AddError(spike.Mark(), what + ".baseline must be longer than its window");
    }
  }

  void ReadCallers(const YAML::Node& node, Config* config) {
    if (!node.IsSequence()) {
      AddError(node.Mark(), "callers must be a list");
      return;
    }
    for (const auto& item : node) {
      if (!CheckMap(item, "a caller", {"name", "languages", "skills", "shift"})) continue;
      CallerConfig caller;
      caller.where = Where(item);
      if (!item["name"]) {
        AddError(item.Mark(), "a caller needs a name");
        continue;
      }
      caller.name = Scalar(item["name"], "caller name").value_or("");
      if (item["languages"])
        caller.languages =
            List(item["languages"], "caller languages").value_or(std::vector<std::string>{});
      if (item["skills"])
        caller.skills = List(item["skills"], "caller skills").value_or(std::vector<std::string>{});
      if (item["shift"]) {
        caller.shift = Scalar(item["shift"], "caller shift").value_or("");
        if (!Shift::Parse(caller.shift)) {
          AddError(item["shift"].Mark(),
                   "shift must look like 'Mon-Fri 08:00-18:00' (days, then UTC hours)");
          continue;
        }
      }
      config->callers.push_back(std::move(caller));
    }
  }

  // Each channel's settings; url, token, secret and password may come from *_file paths.
  void ReadChannels(const YAML::Node& node, Config* config) {
    if (!node.IsMap()) {
      AddError(node.Mark(), "channels must map channel names to their settings");
      return;
    }
    static const std::vector<std::string> kSecrets = {"url", "token", "secret", "password"};
    std::vector<std::string> allowed = {"kind", "chat_id", "from", "to", "username"};
    for (const auto& s : kSecrets) {
      allowed.push_back(s);
      allowed.push_back(s + "_file");
    }
    for (const auto& kv : node) {
      ChannelConfig channel;
      channel.name = kv.first.as<std::string>("");
      const std::string what = "channel '" + channel.name + "'";
      if (!CheckMap(kv.second, what, allowed)) continue;
      const YAML::Node& c = kv.second;
      auto text = [&](const std::string& key, std::string* out) {
        if (c[key]) *out = Scalar(c[key], what + " " + key).value_or("");
        if (!c[key + "_file"]) return;
        if (c[key]) {
          AddError(c[key + "_file"].Mark(), what + " has both " + key + " and " + key + "_file");
          return;
        }
        auto path = Scalar(c[key + "_file"], what + " " + key + "_file");
        if (!path) return;
        std::ifstream in(ResolvePath(*path), std::ios::binary);
        if (!in) {
          AddError(c[key + "_file"].Mark(), what + " " + key + "_file: cannot read " + *path);
          return;
        }
        std::ostringstream content;
        content << in.rdbuf();
        std::string value = content.str();
        while (!value.empty() && (value.back() == '\n' || value.back() == '\r'))
          value.pop_back();
        *out = value;
      };
      text("kind", &channel.kind);
      text("url", &channel.url);
      text("token", &channel.token);
      text("chat_id", &channel.chat_id);
      text("secret", &channel.secret);
      text("from", &channel.from);
      text("to", &channel.to);
      text("username", &channel.username);
      text("password", &channel.password);
      if (Status s = ValidateChannel(channel); !s.ok()) {
        AddError(kv.first.Mark(), s.message());
        continue;
      }
      config->channels.push_back(std::move(channel));
    }
  }

  void ReadClassifiers(const YAML::Node& node, Config* config) {
    if (!CheckMap(node, "classifiers", {"topics", "lexicons"})) return;
    if (auto topics = node["topics"]) {
      if (!topics.IsMap()) {
        AddError(topics.Mark(), "classifiers.topics must map topic names to pattern lists");
      } else {
        for (const auto& kv : topics) {
          TopicConfig topic;
          topic.name = kv.first.as<std::string>("");
          topic.where = Where(kv.first);
          const std::string what = "topic '" + topic.name + "'";
          auto patterns = List(kv.second, what);
          if (!patterns || patterns->empty()) {
            if (patterns) AddError(kv.first.Mark(), what + " needs at least one pattern");
            continue;
          }
          // Each pattern is checked where it is written: a list item or the single value.
          std::vector<YAML::Node> nodes;
          if (kv.second.IsSequence()) {
            for (const auto& item : kv.second)
              nodes.push_back(item);
          } else {
            nodes.push_back(kv.second);
          }
          for (size_t i = 0; i < nodes.size() && i < patterns->size(); ++i) {
            if (Status s = RegexLabeller::CheckPattern((*patterns)[i]); !s.ok()) {
              AddError(nodes[i].Mark(), "bad pattern in " + what + ": " + s.message());
            }
          }
          topic.patterns = std::move(*patterns);
          config->classifiers.topics.push_back(std::move(topic));
        }
      }
    }
    if (auto lexicons = node["lexicons"]) {
      if (!lexicons.IsMap()) {
        AddError(lexicons.Mark(), "classifiers.lexicons must map languages to lexicon files");
      } else {
        for (const auto& kv : lexicons) {
          const std::string lang = kv.first.as<std::string>("");
          if (lang != "en" && lang != "ru" && lang != "pl" && lang != "de") {
            AddError(kv.first.Mark(), "lexicons are for en, ru, pl or de, not '" + lang + "'");
            continue;
          }
          auto path = Scalar(kv.second, "lexicon for " + lang);
          if (!path) continue;
          const std::string resolved = ResolvePath(*path);
          if (!std::ifstream(resolved)) {
            AddError(kv.second.Mark(), "cannot read the lexicon " + *path);
            continue;
          }
          config->classifiers.lexicons[lang] = resolved;
        }
      }
    }
  }

  void ReadSources(const YAML::Node& sources, Config* config) {
    if (!sources.IsSequence()) {
      AddError(sources.Mark(), "sources must be a list");
      return;
    }
    std::set<std::string> names;
    for (const auto& node : sources) {
      if (!node.IsMap()) {
        AddError(node.Mark(), "each source must be a map with at least name and kind");
        continue;
      }
      SourceConfig source;
      source.where = Where(node);
      if (!node["name"]) {
        AddError(node.Mark(), "a source needs a 'name'");
      } else if (auto name = Scalar(node["name"], "name")) {
        if (!ValidSourceName(*name)) {
          AddError(node["name"].Mark(),
                   "source name '" + *name + "' may use only letters, digits, '_', '-' and '.'");
        } else if (!names.insert(*name).second) {
          AddError(node["name"].Mark(), "a source named '" + *name + "' is defined twice");
        }
        source.spec.name = *name;
      }
      const ConnectorDescriptor* descriptor = nullptr;
      if (!node["kind"]) {
        AddError(node.Mark(), "source '" + source.spec.name + "' needs a 'kind'");
      } else if (auto kind = Scalar(node["kind"], "kind")) {
        descriptor = FindConnector(*kind);
        if (!descriptor) {
          std::vector<std::string> kinds;
          for (const auto& d : ConnectorRegistry())
            kinds.push_back(d.kind);
          std::string known;
          for (const auto& k : kinds)
            known += (known.empty() ? "" : ", ") + k;
          AddError(node["kind"].Mark(), "unknown source kind '" + *kind + "'" +
                                            Suggestion(*kind, kinds) + "; known: " + known);
        }
        source.spec.kind = *kind;
      }
      ReadSourceCommon(node, &source);
      if (descriptor) ReadSourceSettings(node, *descriptor, &source);
      config->sources.push_back(std::move(source));
    }
  }

  void ReadSourceCommon(const YAML::Node& node, SourceConfig* source) {
    const std::string what = "source '" + source->spec.name + "'";
    if (auto n = node["interval"]) {
      if (auto ms = Duration(n, what + " interval")) {
        if (*ms < 1000) {
          AddError(n.Mark(), what + " interval must be at least 1s");
        } else {
          source->interval_ms = *ms;
        }
      }
    }
    if (auto n = node["jitter"]) {
      if (auto s = Scalar(n, what + " jitter")) {
        std::string text = *s;
        double scale = 1.0;
        if (!text.empty() && text.back() == '%') {
          text.pop_back();
          scale = 0.01;
        }
        char* end = nullptr;
        double v = std::strtod(text.c_str(), &end);
        if (text.empty() || *end != '\0' || v * scale < 0 || v * scale > 1) {
          AddError(n.Mark(),
                   what + " jitter must be a fraction from 0 to 1 or a percentage like 10%");
        } else {
          source->jitter = v * scale;
        }
      }
    }
    if (auto n = node["enabled"]) source->enabled = Bool(n, what + " enabled").value_or(true);
    if (auto n = node["keep_raw"]) source->keep_raw = Bool(n, what + " keep_raw").value_or(false);
    if (auto n = node["requests_per_minute"]) {
      auto text = Scalar(n, what + " requests_per_minute");
      char* end = nullptr;
      double v = text ? std::strtod(text->c_str(), &end) : 0;
      if (!text || end == text->c_str() || *end != '\0' || v <= 0 || v > 100'000) {
        AddError(n.Mark(), what + " requests_per_minute must be a number above 0");
      } else {
        source->requests_per_minute = v;
      }
    }
    if (auto n = node["requests_per_day"]) {
      source->requests_per_day = Int(n, what + " requests_per_day", 1, 100'000'000).value_or(0);
    }
    if (auto n = node["circuit_breaker"]) ReadCircuitBreaker(n, what, &source->circuit_breaker);
    if (auto n = node["lang"]) {
      if (auto lang = Scalar(n, what + " lang")) {
        if (lang->size() != 2 || !std::all_of(lang->begin(), lang->end(), ::islower)) {
          AddError(n.Mark(), what + " lang must be a two-letter code like en, ru, pl, de");
        } else {
          source->spec.lang = *lang;
        }
      }
    }
    if (auto n = node["keywords"]) {
      if (CheckMap(n, what + " keywords", {"include", "exclude"})) {
        if (n["include"])
          source->keywords.include =
              List(n["include"], what + " keywords.include").value_or(std::vector<std::string>{});
        if (n["exclude"])
          source->keywords.exclude =
              List(n["exclude"], what + " keywords.exclude").value_or(std::vector<std::string>{});
      }
    }
  }

  void ReadCircuitBreaker(const YAML::Node& n, const std::string& what, BreakerOptions* breaker) {
    const std::string where = what + " circuit_breaker";
    if (!CheckMap(n, where, {"failures", "open", "max_open"})) return;
    if (n["failures"])
      breaker->failures_to_open =
          Int(n["failures"], where + ".failures", 0, 1000).value_or(breaker->failures_to_open);
    if (n["open"])
      breaker->open_ms = Duration(n["open"], where + ".open").value_or(breaker->open_ms);
    if (n["max_open"]) {
      breaker->max_open_ms =
          Duration(n["max_open"], where + ".max_open").value_or(breaker->max_open_ms);
      if (breaker->max_open_ms < breaker->open_ms) {
        AddError(n["max_open"].Mark(), where + ".max_open must not be shorter than open");
      }
    } else {
      breaker->max_open_ms = std::max(breaker->max_open_ms, breaker->open_ms);
    }
  }

  void ReadSourceSettings(const YAML::Node& node, const ConnectorDescriptor& d,
                          SourceConfig* source) {
    const std::string what = "source '" + source->spec.name + "'";
    std::vector<std::string> allowed = {"name",
                                        "kind",
                                        "interval",
                                        "jitter",
                                        "enabled",
                                        "lang",
                                        "keep_raw",
                                        "keywords",
                                        "requests_per_minute",
                                        "requests_per_day",
                                        "circuit_breaker"};
    for (const auto& spec : d.settings) {
      allowed.push_back(spec.name);
      if (spec.type == SettingType::kSecret) allowed.push_back(spec.name + "_file");
    }
    CheckMap(node, what + " (kind " + d.kind + ")", allowed);
    Settings& settings = source->spec.settings;
    for (const auto& spec : d.settings) {
      const std::string key_what = what + " " + spec.name;
      YAML::Node value = node[spec.name];
      if (spec.type == SettingType::kSecret && node[spec.name + "_file"]) {
        if (value) {
          AddError(node[spec.name + "_file"].Mark(),
                   what + " has both " + spec.name + " and " + spec.name + "_file: keep one");
          continue;
        }
        ReadSecretFile(node[spec.name + "_file"], spec.name, key_what, &settings);
        continue;
      }
      if (!value) {
        if (spec.required) {
          AddError(node.Mark(), what + " (kind " + d.kind + ") needs '" + spec.name + "'" +
                                    (spec.help.empty() ? "" : ": " + spec.help));
        } else if (!spec.default_value.empty()) {
          settings.Set(spec.name, spec.default_value);
        }
        continue;
      }
      ReadSetting(value, spec, key_what, &settings);
    }
    if (IsPushKind(d.kind)) CheckWebhookSettings(node, *source);
  }

  // A webhook source authenticates its senders by signature unless told not to.
  void CheckWebhookSettings(const YAML::Node& node, const SourceConfig& source) {
    const Settings& settings = source.spec.settings;
    const std::string what = "source '" + source.spec.name + "' (kind webhook)";
    if (settings.Get("secret").empty() && !settings.GetBool("allow_unsigned", false)) {
      AddError(node.Mark(), what +
                                " needs a secret (or secret_file), or allow_unsigned: true to take "
                                "unsigned pushes");
    }
    const int64_t max_body = settings.GetInt("max_body_bytes", kWebhookDefaultMaxBodyBytes);
    if (max_body < 1 || max_body > kWebhookMaxBodyBytesCap) {
      AddError(
          node["max_body_bytes"] ? node["max_body_bytes"].Mark() : node.Mark(),
          what + " max_body_bytes must be from 1 to " + std::to_string(kWebhookMaxBodyBytesCap));
    }
  }

  void ReadSecretFile(const YAML::Node& node, const std::string& name, const std::string& what,
                      Settings* settings) {
    if (auto secret = ReadSecretText(node, what)) settings->Set(name, std::move(*secret));
  }

  // The contents of the file a *_file setting names, without its trailing newline.
  std::optional<std::string> ReadSecretText(const YAML::Node& node, const std::string& what) {
    auto path = Scalar(node, what + "_file");
    if (!path) return std::nullopt;
    std::ifstream in(ResolvePath(*path), std::ios::binary);
    if (!in) {
      AddError(node.Mark(), what + "_file: cannot read " + *path);
      return std::nullopt;
    }
    std::string secret((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r'))
      secret.pop_back();
    return secret;
  }

  void ReadSetting(const YAML::Node& value, const SettingSpec& spec, const std::string& what,
                   Settings* settings) {
    switch (spec.type) {
      case SettingType::kString:
      case SettingType::kSecret:
        if (auto s = Scalar(value, what)) {
          settings->Set(spec.name, IsPathSetting(spec.name) ? ResolvePath(*s) : *s);
        }
        break;
      case SettingType::kInt:
        if (auto v = Int(value, what, 0, INT64_MAX)) settings->Set(spec.name, std::to_string(*v));
        break;
      case SettingType::kBool:
        if (auto v = Bool(value, what)) settings->Set(spec.name, *v ? "true" : "false");
        break;
      case SettingType::kDuration:
        if (Duration(value, what)) settings->Set(spec.name, value.Scalar());
        break;
      case SettingType::kStringList:
        if (auto v = List(value, what)) settings->SetList(spec.name, *v);
        break;
      case SettingType::kStringMap: {
        if (!value.IsMap()) {
          AddError(value.Mark(), what + " must be a map");
          break;
        }
        std::map<std::string, std::string> map;
        for (const auto& kv : value) {
          if (auto s = Scalar(kv.second, what + " " + kv.first.as<std::string>(""))) {
            map[kv.first.as<std::string>("")] = *s;
          }
        }
        settings->SetMap(spec.name, std::move(map));
        break;
      }
    }
  }

  std::string file_;
  std::filesystem::path dir_;
  const EnvLookup& env_;
  std::vector<ConfigError> errors_;
};

}  // namespace

std::string ConfigLocation::ToString() const {
  if (line == 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string ConfigError::ToString() const {
  return where.ToString() + ": " + message;
}

std::optional<std::string> SystemEnv(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (!v) return std::nullopt;
  return std::string(v);
}

ConfigLoadResult LoadConfigString(const std::string& yaml, const std::string& file_name,
                                  const EnvLookup& env) {
  return Loader(file_name, env).Load(yaml);
}

ConfigLoadResult LoadConfigFile(const std::string& path, const EnvLookup& env) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ConfigLoadResult result;
    result.errors.push_back({{path, 0, 0}, "cannot read the configuration file"});
    return result;
  }
  std::ostringstream body;
  body << in.rdbuf();
  return LoadConfigString(body.str(), path, env);
}

}  // namespace earshot
