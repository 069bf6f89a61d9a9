// What happens to every mention between the connector and the store: classifiers add labels
// with evidence, the flag policy and the team's rules decide who should look at it, and what
// the rules ask for (tags, alerts, a case) travels with the mention to the store.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "classifiers/classifier.h"
#include "daemon/metrics/registry.h"
#include "rules/flag_policy.h"
#include "rules/rule_engine.h"
#include "store/store.h"

namespace earshot {

class Pipeline {
 public:
  Pipeline(std::vector<std::unique_ptr<Classifier>> classifiers, FlagPolicy policy,
           std::unique_ptr<RuleEngine> rules = nullptr)
      : classifiers_(std::move(classifiers)),
        policy_(std::move(policy)),
        rules_(std::move(rules)) {}

  // Thread-safe: classifiers, policy and rules are immutable. nullopt when a rule drops the
  // mention as noise. `history` may be null (then author counts see only this mention).
  std::optional<AnnotatedMention> Process(Mention mention, const AuthorActivity* history,
                                          UnixMillis now) const;
  AnnotatedMention Process(Mention mention) const {
    return *Process(std::move(mention), nullptr, NowMillis());
  }

  // How far back rules look into an author's history; 0 when none do.
  int64_t history_window_ms() const { return rules_ ? rules_->history_window_ms() : 0; }
  size_t rule_count() const { return rules_ ? rules_->rules().size() : 0; }

  // Where to record how long labelling and rule evaluation take per mention (either may be
  // null). Set before the pipeline is shared between threads.
  void set_timers(metrics::Histogram* classify, metrics::Histogram* rules) {
    classify_seconds_ = classify;
    rules_seconds_ = rules;
  }

 private:
  std::vector<std::unique_ptr<Classifier>> classifiers_;
  FlagPolicy policy_;
  std::unique_ptr<RuleEngine> rules_;
  metrics::Histogram* classify_seconds_ = nullptr;
  metrics::Histogram* rules_seconds_ = nullptr;
};

// The group an alert joins: the values of the alert's group_by keys, e.g. "rule=churn|source=x".
std::string AlertGroupKey(const AlertAction& action, const CompiledRule& rule,
                          const AnnotatedMention& annotated);

}  // namespace earshot
