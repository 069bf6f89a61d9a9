// Reads rules files (YAML) into a RuleSetSource. Several files load into one set in order; a
// later definition of the same name replaces the earlier one, or with `append: true` adds list
// items or a further condition that must also hold.
#pragma once

#include <string>

#include "rules/rule_error.h"
#include "rules/rule_set.h"

namespace earshot {

void LoadRulesText(const std::string& yaml, const std::string& file_name, RuleSetSource* into,
                   RuleDiagnostics* diagnostics);
void LoadRulesFile(const std::string& path, RuleSetSource* into, RuleDiagnostics* diagnostics);

}  // namespace earshot
