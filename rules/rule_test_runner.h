// Unit tests for rules, written by the team beside their rules: a few mentions (with labels, or
// labelled by the real classifiers), and what should fire for the last one. Nothing unsaid may
// fire: an empty expectation means no rule matches.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/label.h"
#include "core/mention.h"
#include "rules/rule_error.h"

namespace earshot {

// Labels a mention that the test gives no labels for; the CLI passes the real classifiers.
using LabelFunction = std::function<std::vector<Label>(const Mention&)>;

struct RuleTestOutcome {
  std::string name;
  std::string where;  // file:line
  bool passed = false;
  std::vector<std::string> differences;  // "flagged: expected true, got false"
};

struct RuleTestReport {
  std::vector<RuleError> load_errors;  // the test file or its rules did not load
  std::vector<RuleTestOutcome> outcomes;
  int failed() const;
};

RuleTestReport RunRuleTestFile(const std::string& path, const LabelFunction& label);

}  // namespace earshot
