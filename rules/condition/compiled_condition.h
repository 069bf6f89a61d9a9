// A condition after names, types and regexes were checked: a tree that only reads facts.
#pragma once

#include <re2/re2.h>

#include <memory>
#include <string>
#include <vector>

#include "rules/fields.h"

namespace earshot {

struct CompiledCondition {
  enum class Op {
    kAnd,
    kOr,
    kNot,
    kExists,
    kStringEq,
    kStringNe,
    kStringIn,
    kContains,
    kIContains,
    kStartsWith,
    kMatches,
    kNumberEq,
    kNumberNe,
    kLess,
    kLessEq,
    kGreater,
    kGreaterEq,
    kLevelEq,
    kLevelNe,
    kLevelLess,
    kLevelLessEq,
    kLevelGreater,
    kLevelGreaterEq,
    kLevelIn,
    kSetContains,
    kSetIn,
  };
  Op op = Op::kAnd;
  FieldId field = FieldId::kText;
  FieldType type = FieldType::kString;
  int64_t window_ms = 0;
  std::vector<std::string> strings;  // sorted for kStringIn
  std::vector<int> levels;
  double number = 0;
  std::unique_ptr<RE2> regex;  // kMatches, kIContains
  // Children are shared: a macro is compiled once and every rule that names it points to it.
  std::shared_ptr<const CompiledCondition> left, right;

  bool Evaluate(const MentionFacts& facts) const;
};

}  // namespace earshot
