// Turns a condition's text into an AST. The grammar (see README, "Rules"):
//   expr    := and_expr ("or" and_expr)*
//   and_expr:= unary ("and" unary)*
//   unary   := "not" unary | "(" expr ")" | test
//   test    := field [ "(" arg ")" ] ( op value | "in" list | "exists" ) | macro_name
//   op      := == != < <= > >= contains icontains startswith matches
//   list    := "(" value ("," value)* ")" | list_name
//   value   := "string" | 'string' | number | duration (7d, 30m) | bare_word
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "rules/condition/ast.h"
#include "rules/rule_error.h"

namespace earshot {

struct ConditionParseError {
  size_t pos = 0;
  RuleErrorCode code = RuleErrorCode::kSyntax;
  std::string message;
};

struct ConditionParseResult {
  std::unique_ptr<ConditionNode> root;  // null when error is set
  std::optional<ConditionParseError> error;
};

ConditionParseResult ParseCondition(std::string_view text);

}  // namespace earshot
