// The team's rules, compiled once: conditions checked against the field catalogue, lists and
// macros resolved, templates checked. Evaluating a mention walks the rules in file order; a rule
// that drops the mention ends the walk.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "rules/condition/compiled_condition.h"
#include "rules/fields.h"
#include "rules/output_template.h"
#include "rules/rule_error.h"
#include "rules/rule_set.h"

namespace earshot {

struct CompiledRule {
  std::string name;
  std::string description;
  Priority priority = Priority::kMedium;
  std::vector<std::shared_ptr<const CompiledCondition>> conditions;  // all must hold
  OutputTemplate output;
  RuleActions actions;
  std::string file;
  int line = 0;
  int column = 0;
};

struct RuleMatch {
  const CompiledRule* rule = nullptr;
  std::string output;
};

// What the matching rules ask for, merged: the strongest case wins, every alert is kept.
struct RuleVerdict {
  std::vector<RuleMatch> matches;
  bool flag = false;
  bool drop = false;
  std::vector<std::string> tags;
  struct Alert {
    const CompiledRule* rule;
    const AlertAction* action;
    std::string output;
  };
  std::vector<Alert> alerts;
  const CompiledRule* case_rule = nullptr;  // the highest-priority rule that opens a case
  std::string case_output;

  std::string FlagReason() const;  // "rule churn_threat, rule legal_threat"
};

class RuleEngine {
 public:
  // Compiles what loaded; problems go to `diagnostics`. Returns null if any error was found.
  static std::unique_ptr<RuleEngine> Compile(const RuleSetSource& source,
                                             RuleDiagnostics* diagnostics);
  // Loads and compiles the files, in order.
  static std::unique_ptr<RuleEngine> FromFiles(const std::vector<std::string>& paths,
                                               RuleDiagnostics* diagnostics);

  RuleVerdict Evaluate(const RuleInput& input) const;

  const std::vector<CompiledRule>& rules() const { return rules_; }
  // How far back the author history must reach for author.* counts; 0 when no rule asks.
  int64_t history_window_ms() const { return history_window_ms_; }

 private:
  std::vector<CompiledRule> rules_;
  int64_t history_window_ms_ = 0;
};

}  // namespace earshot
