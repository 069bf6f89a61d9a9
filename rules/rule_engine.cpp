#include "rules/rule_engine.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "rules/condition/compiler.h"
#include "rules/condition/parser.h"
#include "rules/rules_file.h"

namespace earshot {
namespace {

RuleError ErrorIn(const RuleSetSource& source, const SourceText& text, size_t pos,
                  const std::string& entry, RuleErrorCode code, std::string message) {
  RuleError e;
  e.file = text.file;
  auto [line, column] = text.At(pos);
  e.line = line;
  e.column = column;
  e.entry = entry;
  e.code = code;
  e.message = std::move(message);
  auto it = source.file_lines.find(text.file);
  if (it != source.file_lines.end() && line > 0 && static_cast<size_t>(line) <= it->second.size())
    e.source_line = it->second[static_cast<size_t>(line) - 1];
  return e;
}

class SetCompiler {
 public:
  SetCompiler(const RuleSetSource& source, RuleDiagnostics* diagnostics)
      : source_(source), diagnostics_(diagnostics) {
    for (const auto& list : source.lists)
      ExpandList(list.name, 0);
    for (const auto& macro : source.macros)
      macros_by_name_[macro.name] = &macro;
  }

  // Compiles `conditions` for the entry named `entry`; null after reporting an error.
  std::vector<std::shared_ptr<const CompiledCondition>> CompileAll(
      const std::vector<SourceText>& conditions, const std::string& entry) {
    std::vector<std::shared_ptr<const CompiledCondition>> out;
    for (const auto& text : conditions) {
      auto compiled = CompileOne(text, entry);
      if (!compiled) return {};
      out.push_back(std::move(compiled));
    }
    return out;
  }

  std::shared_ptr<const CompiledCondition> Macro(const std::string& name) {
    used_.insert(name);
    auto done = macros_.find(name);
    if (done != macros_.end()) return done->second;
    const MacroDef* def = macros_by_name_.at(name);
    std::string entry = "macro '" + name + "'";
    if (std::find(stack_.begin(), stack_.end(), name) != stack_.end()) {
      std::string cycle;
      for (const auto& n : stack_)
        cycle += n + " -> ";
      diagnostics_->Add(ErrorIn(source_, def->conditions.front(), 0, entry,
                                RuleErrorCode::kMacroCycle,
                                "macros refer to each other in a cycle: " + cycle + name));
      macros_[name] = nullptr;
      return nullptr;
    }
    stack_.push_back(name);
    auto parts = CompileAll(def->conditions, entry);
    stack_.pop_back();
    std::shared_ptr<const CompiledCondition> result = parts.empty() ? nullptr : AllOf(parts);
    macros_[name] = result;
    return result;
  }

  static std::shared_ptr<const CompiledCondition> AllOf(
      const std::vector<std::shared_ptr<const CompiledCondition>>& parts) {
    auto result = parts.front();
    for (size_t i = 1; i < parts.size(); ++i) {
      auto both = std::make_shared<CompiledCondition>();
      both->op = CompiledCondition::Op::kAnd;
      both->left = result;
      both->right = parts[i];
      result = both;
    }
    return result;
  }

  void ReportUnused() {
    for (const auto& macro : source_.macros) {
      if (used_.count(macro.name)) continue;
      RuleError e;
      e.file = macro.file;
      e.line = macro.line;
      e.column = macro.column;
      e.entry = "macro '" + macro.name + "'";
      e.code = RuleErrorCode::kUnusedMacro;
      e.message = "defined but no rule or macro uses it";
      diagnostics_->Add(std::move(e));
    }
    for (const auto& list : source_.lists) {
      if (used_.count(list.name)) continue;
      RuleError e;
      e.file = list.file;
      e.line = list.line;
      e.column = list.column;
      e.entry = "list '" + list.name + "'";
      e.code = RuleErrorCode::kUnusedList;
      e.message = "defined but no condition uses it";
      diagnostics_->Add(std::move(e));
    }
  }

  int64_t max_window_ms() const { return max_window_ms_; }

 private:
  // Lists may name other lists among their items; those are expanded in place.
  void ExpandList(const std::string& name, int depth) {
    if (lists_.count(name) || depth > 16) return;
    const ListDef* def = nullptr;
    for (const auto& l : source_.lists)
      if (l.name == name) def = &l;
    std::vector<std::string> items;
    for (const auto& item : def->items) {
      bool is_list = std::any_of(source_.lists.begin(), source_.lists.end(),
                                 [&](const ListDef& l) { return l.name == item; });
      if (is_list && item != name) {
        ExpandList(item, depth + 1);
        used_.insert(item);
        const auto& inner = lists_[item];
        items.insert(items.end(), inner.begin(), inner.end());
      } else {
        items.push_back(item);
      }
    }
    lists_[name] = std::move(items);
  }

  std::shared_ptr<const CompiledCondition> CompileOne(const SourceText& text,
                                                      const std::string& entry) {
    ConditionParseResult parsed = ParseCondition(text.text);
    if (parsed.error) {
      diagnostics_->Add(ErrorIn(source_, text, parsed.error->pos, entry, parsed.error->code,
                                parsed.error->message));
      return nullptr;
    }
    ConditionCompiler compiler(
        &lists_, [this](const std::string& name) { return Macro(name); },
        [this](const std::string& name) { return macros_by_name_.count(name) > 0; });
    compiler.set_used_names(&used_);
    auto compiled = compiler.Compile(*parsed.root);
    if (!compiled) {
      const auto& e = *compiler.error();
      diagnostics_->Add(ErrorIn(source_, text, e.pos, entry, e.code, e.message));
      return nullptr;
    }
    max_window_ms_ = std::max(max_window_ms_, compiler.max_window_ms());
    return compiled;
  }

  const RuleSetSource& source_;
  RuleDiagnostics* diagnostics_;
  std::map<std::string, std::vector<std::string>> lists_;
  std::map<std::string, const MacroDef*> macros_by_name_;
  std::map<std::string, std::shared_ptr<const CompiledCondition>> macros_;
  std::vector<std::string> stack_;
  std::set<std::string> used_;
  int64_t max_window_ms_ = 0;
};

}  // namespace

std::string RuleVerdict::FlagReason() const {
  std::string reason;
  for (const auto& m : matches) {
    if (!m.rule->actions.flag) continue;
    if (!reason.empty()) reason += ", ";
    reason += "rule " + m.rule->name;
  }
  return reason;
}

std::unique_ptr<RuleEngine> RuleEngine::Compile(const RuleSetSource& source,
                                                RuleDiagnostics* diagnostics) {
  size_t errors_before = diagnostics->errors.size();
  auto engine = std::unique_ptr<RuleEngine>(new RuleEngine());
  SetCompiler compiler(source, diagnostics);
  for (const auto& def : source.rules) {
    std::string entry = "rule '" + def.name + "'";
    CompiledRule rule;
    rule.name = def.name;
    rule.description = def.description;
    rule.priority = def.priority;
    rule.actions = def.actions;
    rule.file = def.file;
    rule.line = def.line;
    rule.column = def.column;
    rule.conditions = compiler.CompileAll(def.conditions, entry);
    if (auto e = OutputTemplate::Parse(def.output.text, &rule.output)) {
      diagnostics->Add(
          ErrorIn(source, def.output, e->pos, entry, RuleErrorCode::kBadTemplate, e->message));
    }
    if (def.enabled && !rule.conditions.empty()) engine->rules_.push_back(std::move(rule));
  }
  // Macros no rule reached are still checked, so their errors do not wait for first use.
  for (const auto& macro : source.macros) {
    bool seen = false;
    for (const auto& e : diagnostics->errors)
      seen |= e.entry == "macro '" + macro.name + "'";
    if (!seen) {
      RuleDiagnostics scratch;
      SetCompiler(source, &scratch).Macro(macro.name);
      for (auto& e : scratch.errors)
        diagnostics->Add(std::move(e));
    }
  }
  compiler.ReportUnused();
  engine->history_window_ms_ = compiler.max_window_ms();
  if (diagnostics->errors.size() != errors_before) return nullptr;
  return engine;
}

std::unique_ptr<RuleEngine> RuleEngine::FromFiles(const std::vector<std::string>& paths,
                                                  RuleDiagnostics* diagnostics) {
  RuleSetSource source;
  for (const auto& path : paths)
    LoadRulesFile(path, &source, diagnostics);
  if (!diagnostics->ok()) return nullptr;
  return Compile(source, diagnostics);
}

RuleVerdict RuleEngine::Evaluate(const RuleInput& input) const {
  RuleVerdict verdict;
  MentionFacts facts(input);
  for (const auto& rule : rules_) {
    bool matched = true;
    for (const auto& condition : rule.conditions) {
      if (!condition->Evaluate(facts)) {
        matched = false;
        break;
      }
    }
    if (!matched) continue;
    std::string output = rule.output.Render(facts, rule.name, PriorityName(rule.priority));
    const RuleActions& actions = rule.actions;
    verdict.flag |= actions.flag;
    verdict.drop |= actions.drop;
    for (const auto& tag : actions.tags) {
      if (std::find(verdict.tags.begin(), verdict.tags.end(), tag) == verdict.tags.end())
        verdict.tags.push_back(tag);
      facts.AddTag(tag);
    }
    for (const auto& alert : actions.alerts)
      verdict.alerts.push_back({&rule, &alert, output});
    if (actions.open_case) {
      auto priority_of = [](const CompiledRule* r) {
        return r->actions.open_case->priority.value_or(r->priority);
      };
      if (!verdict.case_rule || priority_of(&rule) < priority_of(verdict.case_rule)) {
        verdict.case_rule = &rule;
        verdict.case_output = output;
      }
    }
    verdict.matches.push_back({&rule, std::move(output)});
    // Noise is dropped before any later rule can alert or open a case for it.
    if (actions.drop) break;
  }
  return verdict;
}

}  // namespace earshot
