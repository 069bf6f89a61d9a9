// The parsed form of a rule's condition, before names and types are checked. Positions are byte
// offsets into the condition's text; the rules file maps them to file:line:col.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace earshot {

struct ConditionValue {
  enum class Kind { kString, kNumber, kDuration, kWord };  // kWord: bare, maybe a list name
  Kind kind = Kind::kString;
  std::string text;  // unquoted for strings, as written otherwise
  double number = 0;
  size_t pos = 0;
};

struct ConditionNode {
  enum class Kind { kAnd, kOr, kNot, kCompare, kExists, kMacro };
  Kind kind = Kind::kCompare;
  size_t pos = 0;
  std::unique_ptr<ConditionNode> left, right;  // kAnd, kOr; kNot uses left

  // kCompare and kExists: `field op value` or `field exists`; kMacro: name.
  std::string name;
  std::string argument;  // author.negative_count(7d) -> "7d"
  size_t argument_pos = 0;
  std::string op;  // "==", "in", "contains"...
  size_t op_pos = 0;
  std::vector<ConditionValue> values;  // one, or several for `in (a, b)`
  bool value_is_list = false;          // `in (...)` or `in list_name`
  bool names_list = false;             // `in list_name`, without parentheses
};

}  // namespace earshot
