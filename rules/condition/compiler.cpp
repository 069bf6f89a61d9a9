#include "rules/condition/compiler.h"

#include <algorithm>

#include "core/time.h"

namespace earshot {
namespace {

using Op = CompiledCondition::Op;

std::string OperatorsFor(FieldType type) {
  switch (type) {
    case FieldType::kString:
      return "==, !=, in, contains, icontains, startswith, matches, exists";
    case FieldType::kNumber:
      return "==, !=, <, <=, >, >=, exists";
    case FieldType::kSet:
      return "contains, in, exists";
    case FieldType::kLevel:
      return "==, !=, <, <=, >, >=, in, exists";
  }
  return "";
}

}  // namespace

std::shared_ptr<const CompiledCondition> ConditionCompiler::Fail(size_t pos, RuleErrorCode code,
                                                                 std::string message) {
  if (!error_) error_ = ConditionError{pos, code, std::move(message)};
  return nullptr;
}

std::shared_ptr<const CompiledCondition> ConditionCompiler::Compile(const ConditionNode& node) {
  switch (node.kind) {
    case ConditionNode::Kind::kAnd:
    case ConditionNode::Kind::kOr: {
      auto left = Compile(*node.left);
      if (!left) return nullptr;
      auto right = Compile(*node.right);
      if (!right) return nullptr;
      auto out = std::make_shared<CompiledCondition>();
      out->op = node.kind == ConditionNode::Kind::kAnd ? Op::kAnd : Op::kOr;
      out->left = std::move(left);
      out->right = std::move(right);
      return out;
    }
    case ConditionNode::Kind::kNot: {
      auto operand = Compile(*node.left);
      if (!operand) return nullptr;
      auto out = std::make_shared<CompiledCondition>();
      out->op = Op::kNot;
      out->left = std::move(operand);
      return out;
    }
    case ConditionNode::Kind::kMacro: {
      if (macro_exists_(node.name)) {
        auto compiled = macro_(node.name);
        if (!compiled) {
          return Fail(node.pos, RuleErrorCode::kUnknownName,
                      "macro '" + node.name + "' has errors of its own (see above)");
        }
        return compiled;
      }
      if (const FieldSpec* field = FindField(node.name)) {
        return Fail(node.pos + node.name.size(), RuleErrorCode::kSyntax,
                    "field '" + node.name + "' needs an operator: " + OperatorsFor(field->type));
      }
      if (lists_->count(node.name)) {
        return Fail(node.pos, RuleErrorCode::kSyntax,
                    "'" + node.name + "' is a list; use it as `field in " + node.name + "`");
      }
      std::string hint = ClosestName(node.name, FieldNames());
      return Fail(node.pos, RuleErrorCode::kUnknownName,
                  "no macro or field named '" + node.name + "'" +
                      (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
    }
    case ConditionNode::Kind::kCompare:
    case ConditionNode::Kind::kExists:
      return CompileTest(node);
  }
  return nullptr;
}

bool ConditionCompiler::CollectStrings(const ConditionNode& node, std::vector<std::string>* out) {
  for (const auto& v : node.values) {
    if (v.kind == ConditionValue::Kind::kWord && lists_->count(v.text)) {
      if (used_) used_->insert(v.text);
      const auto& items = lists_->at(v.text);
      out->insert(out->end(), items.begin(), items.end());
      continue;
    }
    if (node.names_list) {
      // `in word` without parentheses must name a list; a lone word is a typo waiting to happen.
      std::vector<std::string_view> names;
      for (const auto& [name, items] : *lists_)
        names.push_back(name);
      std::string hint = ClosestName(v.text, names);
      Fail(v.pos, RuleErrorCode::kUnknownName,
           "no list named '" + v.text + "'" +
               (hint.empty() ? "; write `in (" + v.text + ")` for a single value"
                             : " (did you mean '" + hint + "'?)"));
      return false;
    }
    out->push_back(v.text);
  }
  return true;
}

std::shared_ptr<const CompiledCondition> ConditionCompiler::CompileTest(const ConditionNode& node) {
  const FieldSpec* field = FindField(node.name);
  if (!field) {
    std::string hint = ClosestName(node.name, FieldNames());
    return Fail(node.pos, RuleErrorCode::kUnknownField,
                "unknown field '" + node.name + "'" +
                    (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
  }
  auto out = std::make_shared<CompiledCondition>();
  out->field = field->id;
  out->type = field->type;
  if (field->takes_window) {
    if (node.argument.empty()) {
      return Fail(node.pos + node.name.size(), RuleErrorCode::kSyntax,
                  "'" + node.name + "' needs a window, e.g. " + node.name + "(7d)");
    }
    auto window = ParseDurationMillis(node.argument);
    if (!window || *window <= 0) {
      return Fail(node.argument_pos, RuleErrorCode::kBadDuration,
                  "'" + node.argument + "' is not a duration (use e.g. 30m, 24h, 7d)");
    }
    out->window_ms = *window;
    max_window_ms_ = std::max(max_window_ms_, *window);
  } else if (!node.argument.empty()) {
    return Fail(node.argument_pos, RuleErrorCode::kSyntax,
                "field '" + node.name + "' takes no argument");
  }
  if (node.kind == ConditionNode::Kind::kExists) {
    out->op = Op::kExists;
    return out;
  }

  auto mismatch = [&]() {
    return Fail(node.op_pos, RuleErrorCode::kTypeMismatch,
                "operator '" + node.op + "' does not apply to " + node.name + " (a " +
                    FieldTypeName(field->type) + "); use " + OperatorsFor(field->type));
  };
  const std::string& op = node.op;
  const ConditionValue& first = node.values.front();

  switch (field->type) {
    case FieldType::kString: {
      if (op == "in") {
        out->op = Op::kStringIn;
        if (!CollectStrings(node, &out->strings)) return nullptr;
        std::sort(out->strings.begin(), out->strings.end());
        return out;
      }
      if (first.kind != ConditionValue::Kind::kString &&
          first.kind != ConditionValue::Kind::kWord) {
        return Fail(first.pos, RuleErrorCode::kTypeMismatch,
                    node.name + " is text; compare it with a quoted string");
      }
      out->strings.push_back(first.text);
      if (op == "==")
        out->op = Op::kStringEq;
      else if (op == "!=")
        out->op = Op::kStringNe;
      else if (op == "contains")
        out->op = Op::kContains;
      else if (op == "startswith")
        out->op = Op::kStartsWith;
      else if (op == "icontains" || op == "matches") {
        RE2::Options options;
        options.set_log_errors(false);
        bool icontains = op == "icontains";
        if (icontains) options.set_case_sensitive(false);
        auto re =
            std::make_unique<RE2>(icontains ? RE2::QuoteMeta(first.text) : first.text, options);
        if (!re->ok()) {
          return Fail(first.pos, RuleErrorCode::kBadRegex,
                      "bad regular expression: " + re->error());
        }
        out->op = icontains ? Op::kIContains : Op::kMatches;
        out->regex = std::move(re);
      } else {
        return mismatch();
      }
      return out;
    }
    case FieldType::kNumber: {
      if (first.kind != ConditionValue::Kind::kNumber &&
          first.kind != ConditionValue::Kind::kDuration) {
        return Fail(first.pos, RuleErrorCode::kTypeMismatch,
                    node.name + " is a number; compare it with a number");
      }
      if (first.kind == ConditionValue::Kind::kDuration) {
        auto ms = ParseDurationMillis(first.text);
        if (field->id != FieldId::kAge) {
          return Fail(first.pos, RuleErrorCode::kTypeMismatch,
                      "only age compares with a duration; " + node.name + " is a count");
        }
        if (!ms) {
          return Fail(first.pos, RuleErrorCode::kBadDuration,
                      "'" + first.text + "' is not a duration (use e.g. 30m, 24h, 7d)");
        }
        out->number = static_cast<double>(*ms);
      } else {
        out->number = first.number;
      }
      if (op == "==")
        out->op = Op::kNumberEq;
      else if (op == "!=")
        out->op = Op::kNumberNe;
      else if (op == "<")
        out->op = Op::kLess;
      else if (op == "<=")
        out->op = Op::kLessEq;
      else if (op == ">")
        out->op = Op::kGreater;
      else if (op == ">=")
        out->op = Op::kGreaterEq;
      else
        return mismatch();
      return out;
    }
    case FieldType::kLevel: {
      std::vector<std::string> words;
      if (!CollectStrings(node, &words)) return nullptr;
      for (size_t i = 0; i < words.size(); ++i) {
        int level = UrgencyLevel(words[i]);
        if (level < 0) {
          size_t pos = i < node.values.size() ? node.values[i].pos : first.pos;
          return Fail(
              pos, RuleErrorCode::kTypeMismatch,
              "'" + words[i] + "' is not an urgency; use none, low, medium, high or critical");
        }
        out->levels.push_back(level);
      }
      if (op == "in")
        out->op = Op::kLevelIn;
      else if (op == "==")
        out->op = Op::kLevelEq;
      else if (op == "!=")
        out->op = Op::kLevelNe;
      else if (op == "<")
        out->op = Op::kLevelLess;
      else if (op == "<=")
        out->op = Op::kLevelLessEq;
      else if (op == ">")
        out->op = Op::kLevelGreater;
      else if (op == ">=")
        out->op = Op::kLevelGreaterEq;
      else
        return mismatch();
      return out;
    }
    case FieldType::kSet: {
      if (op == "in") {
        out->op = Op::kSetIn;
        if (!CollectStrings(node, &out->strings)) return nullptr;
        std::sort(out->strings.begin(), out->strings.end());
        return out;
      }
      if (op != "contains") return mismatch();
      if (first.kind != ConditionValue::Kind::kString &&
          first.kind != ConditionValue::Kind::kWord) {
        return Fail(first.pos, RuleErrorCode::kTypeMismatch, node.name + " holds names");
      }
      out->op = Op::kSetContains;
      out->strings.push_back(first.text);
      return out;
    }
  }
  return nullptr;
}

}  // namespace earshot
