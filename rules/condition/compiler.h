// Checks a parsed condition against the field catalogue and the file's lists and macros, and
// builds the tree that evaluates it. Every problem comes back with its byte position.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/closest_name.h"
#include "rules/condition/ast.h"
#include "rules/condition/compiled_condition.h"
#include "rules/rule_error.h"

namespace earshot {

struct ConditionError {
  size_t pos = 0;
  RuleErrorCode code = RuleErrorCode::kSyntax;
  std::string message;
};

class ConditionCompiler {
 public:
  using MacroLookup =
      std::function<std::shared_ptr<const CompiledCondition>(const std::string& name)>;

  // `lists` maps list names to items (already expanded); `macro` compiles a macro by name and
  // returns null when there is none (or it failed, which is reported where it is defined).
  ConditionCompiler(const std::map<std::string, std::vector<std::string>>* lists, MacroLookup macro,
                    std::function<bool(const std::string&)> macro_exists)
      : lists_(lists), macro_(std::move(macro)), macro_exists_(std::move(macro_exists)) {}

  std::shared_ptr<const CompiledCondition> Compile(const ConditionNode& node);
  // Names of the lists this compiler expanded, for "unused list" warnings.
  void set_used_names(std::set<std::string>* used) { used_ = used; }
  const std::optional<ConditionError>& error() const { return error_; }
  // The longest author-history window any compiled condition asks for.
  int64_t max_window_ms() const { return max_window_ms_; }

 private:
  std::shared_ptr<const CompiledCondition> Fail(size_t pos, RuleErrorCode code,
                                                std::string message);
  std::shared_ptr<const CompiledCondition> CompileTest(const ConditionNode& node);
  bool CollectStrings(const ConditionNode& node, std::vector<std::string>* out);

  const std::map<std::string, std::vector<std::string>>* lists_;
  MacroLookup macro_;
  std::function<bool(const std::string&)> macro_exists_;
  std::optional<ConditionError> error_;
  int64_t max_window_ms_ = 0;
  std::set<std::string>* used_ = nullptr;
};

}  // namespace earshot
