#include "rules/condition/compiled_condition.h"

#include <algorithm>

namespace earshot {

bool CompiledCondition::Evaluate(const MentionFacts& facts) const {
  switch (op) {
    case Op::kAnd:
      return left->Evaluate(facts) && right->Evaluate(facts);
    case Op::kOr:
      return left->Evaluate(facts) || right->Evaluate(facts);
    case Op::kNot:
      return !left->Evaluate(facts);
    case Op::kExists:
      switch (type) {
        case FieldType::kString:
          return !facts.String(field).empty();
        case FieldType::kNumber:
          return facts.Number(field, window_ms).has_value();
        case FieldType::kSet:
          return !facts.Set(field).empty();
        case FieldType::kLevel:
          return facts.Level(field) > 0;
      }
      return false;
    case Op::kStringEq:
      return facts.String(field) == strings[0];
    case Op::kStringNe:
      return facts.String(field) != strings[0];
    case Op::kStringIn:
      return std::binary_search(strings.begin(), strings.end(), facts.String(field));
    case Op::kContains:
      return facts.String(field).find(strings[0]) != std::string_view::npos;
    case Op::kStartsWith:
      return facts.String(field).starts_with(strings[0]);
    case Op::kIContains:
    case Op::kMatches: {
      std::string_view value = facts.String(field);
      return RE2::PartialMatch(re2::StringPiece(value.data(), value.size()), *regex);
    }
    case Op::kSetContains:
      return facts.Set(field).Contains(strings[0]);
    case Op::kSetIn: {
      for (std::string_view name : facts.Set(field).names())
        if (std::binary_search(strings.begin(), strings.end(), name)) return true;
      return false;
    }
    default:
      break;
  }
  if (type == FieldType::kLevel) {
    int level = facts.Level(field);
    switch (op) {
      case Op::kLevelEq:
        return level == levels[0];
      case Op::kLevelNe:
        return level != levels[0];
      case Op::kLevelLess:
        return level < levels[0];
      case Op::kLevelLessEq:
        return level <= levels[0];
      case Op::kLevelGreater:
        return level > levels[0];
      case Op::kLevelGreaterEq:
        return level >= levels[0];
      case Op::kLevelIn:
        return std::find(levels.begin(), levels.end(), level) != levels.end();
      default:
        return false;
    }
  }
  // A number the mention does not have (no rating, no followers) satisfies no comparison.
  std::optional<double> value = facts.Number(field, window_ms);
  if (!value) return op == Op::kNumberNe;
  switch (op) {
    case Op::kNumberEq:
      return *value == number;
    case Op::kNumberNe:
      return *value != number;
    case Op::kLess:
      return *value < number;
    case Op::kLessEq:
      return *value <= number;
    case Op::kGreater:
      return *value > number;
    case Op::kGreaterEq:
      return *value >= number;
    default:
      return false;
  }
}

}  // namespace earshot
