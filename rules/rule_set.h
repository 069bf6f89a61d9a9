// A rules file as written, after YAML and merging but before conditions are compiled: lists,
// macros and rules, each remembering where it was defined so errors can point there.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace earshot {

enum class Priority { kCritical = 1, kHigh = 2, kMedium = 3, kLow = 4 };
const char* PriorityName(Priority p);
// For levels stored as numbers (1 critical .. 4 low); anything else reads as medium.
const char* PriorityName(int level);
std::optional<Priority> ParsePriority(std::string_view name);
// How soon a caller must make first contact when a case's rule does not say: critical 30m,
// high 2h, medium 8h, low 24h.
int64_t DefaultSlaMillis(Priority p);

// Text from a rules file with the file position of each of its bytes (and one past the end).
struct SourceText {
  std::string text;
  std::string file;
  std::vector<std::pair<int, int>> positions;  // (line, column), 1-based, per byte
  std::pair<int, int> At(size_t offset) const;
};

struct AlertAction {
  std::string channel;
  std::vector<std::string> group_by = {"rule"};  // rule, source, platform, author, priority
  int64_t group_wait_ms = 30'000;
  int64_t group_interval_ms = 5 * 60'000;
  int64_t repeat_interval_ms = 4 * 3600'000;
  int64_t digest_ms = 0;  // > 0: one summary per period instead of grouped alerts
};

struct CaseAction {
  std::string queue = "default";
  std::optional<Priority> priority;  // unset: the rule's
  int64_t sla_ms = 0;                // 0: by priority
  std::vector<std::string> skills;   // callers need these (besides the mention's language)
};

struct RuleActions {
  bool flag = false;
  bool drop = false;
  std::vector<std::string> tags;
  std::vector<AlertAction> alerts;
  std::optional<CaseAction> open_case;
};

struct ListDef {
  std::string name;
  std::vector<std::string> items;
  std::string file;
  int line = 0, column = 0;
};

struct MacroDef {
  std::string name;
  std::vector<SourceText> conditions;  // more than one after `append: true`: all must hold
  std::string file;
  int line = 0, column = 0;
};

struct RuleDef {
  std::string name;
  std::string description;
  std::vector<SourceText> conditions;  // more than one after `append: true`: all must hold
  Priority priority = Priority::kMedium;
  SourceText output;
  RuleActions actions;
  bool enabled = true;
  std::string file;
  int line = 0, column = 0;
};

struct RuleSetSource {
  std::vector<ListDef> lists;  // in definition order, merged by name
  std::vector<MacroDef> macros;
  std::vector<RuleDef> rules;
  std::map<std::string, std::vector<std::string>> file_lines;  // for carets under errors
};

}  // namespace earshot
