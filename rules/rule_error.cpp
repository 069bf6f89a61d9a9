#include "rules/rule_error.h"

namespace earshot {

const char* RuleErrorCodeName(RuleErrorCode code) {
  switch (code) {
    case RuleErrorCode::kYamlSyntax:
      return "E100";
    case RuleErrorCode::kBadEntry:
      return "E101";
    case RuleErrorCode::kUnexpectedChar:
      return "E200";
    case RuleErrorCode::kUnterminatedString:
      return "E201";
    case RuleErrorCode::kSyntax:
      return "E202";
    case RuleErrorCode::kUnknownField:
      return "E300";
    case RuleErrorCode::kTypeMismatch:
      return "E301";
    case RuleErrorCode::kBadRegex:
      return "E302";
    case RuleErrorCode::kUnknownName:
      return "E303";
    case RuleErrorCode::kMacroCycle:
      return "E304";
    case RuleErrorCode::kBadDuration:
      return "E305";
    case RuleErrorCode::kBadAction:
      return "E400";
    case RuleErrorCode::kBadTemplate:
      return "E401";
    case RuleErrorCode::kUnusedMacro:
      return "W500";
    case RuleErrorCode::kUnusedList:
      return "W501";
  }
  return "E000";
}

bool IsWarning(RuleErrorCode code) {
  return code == RuleErrorCode::kUnusedMacro || code == RuleErrorCode::kUnusedList;
}

std::string RuleError::ToString() const {
  std::string out = file.empty() ? "<rules>" : file;
  if (line > 0) out += ":" + std::to_string(line) + ":" + std::to_string(column);
  out += IsWarning(code) ? ": warning " : ": error ";
  out += RuleErrorCodeName(code);
  out += ": ";
  if (!entry.empty()) out += entry + ": ";
  out += message;
  if (!source_line.empty() && column > 0) {
    out += "\n  " + source_line + "\n  ";
    // The caret lines up under multi-byte characters too: count characters, not bytes.
    int chars = 0;
    for (size_t i = 0; i < source_line.size() && static_cast<int>(i) < column - 1; ++i) {
      if ((static_cast<unsigned char>(source_line[i]) & 0xC0) != 0x80) ++chars;
    }
    out += std::string(static_cast<size_t>(chars), ' ') + "^";
  }
  return out;
}

}  // namespace earshot
