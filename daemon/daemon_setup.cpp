#include "daemon/daemon_setup.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "classifiers/patterns/regex_labeller.h"
#include "classifiers/triage_classifier.h"

namespace earshot {

Result<std::unique_ptr<Pipeline>> BuildPipeline(const Config& config) {
  std::vector<std::unique_ptr<Classifier>> classifiers;
  std::set<std::string> flagging;
  TriageOptions options;
  for (const auto& topic : config.classifiers.topics) {
    options.custom_topics.push_back({topic.name, topic.patterns});
  }
  for (const auto& [lang, path] : config.classifiers.lexicons) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    options.extra_lexicons[lang] = text.str();
  }
  auto triage = TriageClassifier::Create(options);
  if (!triage.ok()) return triage.status();
  classifiers.push_back(std::move(triage).value());
  if (!config.labels.empty()) {
    std::vector<PatternSet> sets;
    for (const auto& l : config.labels) {
      sets.push_back({l.name, l.patterns});
      if (l.flag) flagging.insert(l.name);
    }
    auto labeller = RegexLabeller::Create(sets);
    if (!labeller.ok()) return labeller.status();
    classifiers.push_back(std::move(labeller).value());
  }
  std::unique_ptr<RuleEngine> rules;
  if (!config.rules.empty()) {
    RuleDiagnostics diagnostics;
    rules = RuleEngine::FromFiles(config.rules, &diagnostics);
    for (const auto& w : diagnostics.warnings)
      spdlog::warn("{}", w.ToString());
    // An alert to a channel nobody configured would be lost: say so where the rule is.
    if (rules) {
      for (const auto& rule : rules->rules()) {
        for (const auto& alert : rule.actions.alerts) {
          bool known = std::any_of(config.channels.begin(), config.channels.end(),
                                   [&](const ChannelConfig& c) { return c.name == alert.channel; });
          if (known) continue;
          RuleError e;
          e.file = rule.file;
          e.line = rule.line;
          e.column = rule.column;
          e.entry = "rule '" + rule.name + "'";
          e.code = RuleErrorCode::kBadAction;
          e.message =
              "alert channel '" + alert.channel + "' is not in the configuration's channels";
          diagnostics.errors.push_back(std::move(e));
        }
      }
      if (!diagnostics.ok()) rules.reset();
    }
    if (!rules) {
      std::string message;
      for (const auto& e : diagnostics.errors)
        message += (message.empty() ? "" : "\n") + e.ToString();
      return Status::InvalidArgument(message);
    }
  }
  return std::make_unique<Pipeline>(std::move(classifiers), FlagPolicy(std::move(flagging)),
                                    std::move(rules));
}

Result<std::vector<std::unique_ptr<SourceRunner>>> BuildRunners(const Config& config,
                                                                HttpClient& http) {
  std::vector<std::unique_ptr<SourceRunner>> runners;
  for (const auto& source : config.sources) {
    if (!source.enabled) continue;
    auto runner = SourceRunner::Create(source, http);
    if (!runner.ok()) return runner.status();
    runners.push_back(std::move(runner).value());
  }
  return runners;
}

HttpClientOptions HttpOptionsFrom(const Config& config) {
  HttpClientOptions options;
  options.user_agent = config.http.user_agent;
  options.ca_path = config.http.ca_path;
  options.proxy = config.http.proxy;
  return options;
}

EscalationOptions EscalationOptionsFrom(const Config& config, const std::string& link_base) {
  const EscalationConfig& e = config.escalations;
  EscalationOptions o;
  o.channel = e.channel;
  o.sla_warning_ms = e.sla_warning_ms;
  o.source_failing = e.source_failing;
  o.failing_after = config.failing_after;
  o.source_silent_ms = e.source_silent_ms;
  o.negative_spike = e.negative_spike;
  o.spike_window_ms = e.spike_window_ms;
  o.spike_baseline_ms = e.spike_baseline_ms;
  o.spike_factor = e.spike_factor;
  o.spike_min_count = e.spike_min_count;
  o.spike_cooldown_ms = e.spike_cooldown_ms;
  o.link_base = link_base;
  return o;
}

std::vector<CallerSpec> CallersFrom(const Config& config) {
  std::vector<CallerSpec> callers;
  for (const auto& c : config.callers) {
    CallerSpec spec;
    spec.name = c.name;
    spec.languages = c.languages;
    spec.skills = c.skills;
    if (!c.shift.empty()) spec.shift = Shift::Parse(c.shift).value_or(Shift::Always());
    callers.push_back(std::move(spec));
  }
  return callers;
}

}  // namespace earshot
