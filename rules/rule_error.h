// A problem in a rules file, told the way a compiler would: where, in which rule, a stable code,
// and the offending line with a caret under the spot.
#pragma once

#include <string>
#include <vector>

namespace earshot {

// Stable codes, documented in the README's rules section; tools may match on them.
enum class RuleErrorCode {
  kYamlSyntax,          // E100
  kBadEntry,            // E101: not a list, macro or rule; unknown or missing key
  kUnexpectedChar,      // E200
  kUnterminatedString,  // E201
  kSyntax,              // E202: a token where another was expected
  kUnknownField,        // E300
  kTypeMismatch,        // E301: operator or value does not fit the field
  kBadRegex,            // E302
  kUnknownName,         // E303: no macro or list of that name
  kMacroCycle,          // E304
  kBadDuration,         // E305
  kBadAction,           // E400
  kBadTemplate,         // E401
  kUnusedMacro,         // W500 (a warning)
  kUnusedList,          // W501 (a warning)
};

const char* RuleErrorCodeName(RuleErrorCode code);  // "E202"
bool IsWarning(RuleErrorCode code);

struct RuleError {
  std::string file;
  int line = 0;  // 1-based; 0 when unknown
  int column = 0;
  std::string entry;  // the rule, macro or list it belongs to; may be empty
  RuleErrorCode code = RuleErrorCode::kSyntax;
  std::string message;
  std::string source_line;  // the file's line, for the caret; may be empty

  // "file:line:col: error E202: rule 'x': message\n  <line>\n  ^"
  std::string ToString() const;
};

struct RuleDiagnostics {
  std::vector<RuleError> errors;
  std::vector<RuleError> warnings;
  bool ok() const { return errors.empty(); }
  void Add(RuleError e) { (IsWarning(e.code) ? warnings : errors).push_back(std::move(e)); }
};

}  // namespace earshot
