#include "rules/condition/parser.h"

#include <cctype>
#include <charconv>
#include <optional>

namespace earshot {
namespace {

struct Token {
  enum class Kind { kEnd, kWord, kString, kNumber, kDuration, kOp, kLParen, kRParen, kComma };
  Kind kind = Kind::kEnd;
  std::string text;
  double number = 0;
  size_t pos = 0;
};

bool IsWordStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' ||
         (static_cast<unsigned char>(c) & 0x80);
}
bool IsWordChar(char c) {
  return IsWordStart(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-';
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  // Fills `out` or returns the error at the offending character.
  std::optional<ConditionParseError> Next(Token* out) {
    while (i_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[i_])))
      ++i_;
    *out = Token{};
    out->pos = i_;
    if (i_ >= text_.size()) return std::nullopt;
    char c = text_[i_];
    if (c == '(' || c == ')' || c == ',') {
      out->kind =
          c == '(' ? Token::Kind::kLParen : (c == ')' ? Token::Kind::kRParen : Token::Kind::kComma);
      out->text = std::string(1, c);
      ++i_;
      return std::nullopt;
    }
    if (c == '"' || c == '\'') return String(out);
    if (c == '=' || c == '!' || c == '<' || c == '>') return Operator(out);
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+') return Number(out);
    if (IsWordStart(c)) {
      size_t start = i_;
      while (i_ < text_.size() && IsWordChar(text_[i_]))
        ++i_;
      while (text_[i_ - 1] == '.' || text_[i_ - 1] == '-')
        --i_;  // "a." is "a" then "."
      out->kind = Token::Kind::kWord;
      out->text = std::string(text_.substr(start, i_ - start));
      return std::nullopt;
    }
    return ConditionParseError{i_, RuleErrorCode::kUnexpectedChar,
                               "unexpected character '" + std::string(1, c) + "'"};
  }

 private:
  std::optional<ConditionParseError> String(Token* out) {
    char quote = text_[i_++];
    std::string value;
    while (i_ < text_.size() && text_[i_] != quote) {
      if (text_[i_] == '\\' && i_ + 1 < text_.size()) {
        char n = text_[i_ + 1];
        // Only the quote and the backslash are escapes, so regexes keep their \d and \b.
        if (n == quote || n == '\\') {
          value += n;
          i_ += 2;
          continue;
        }
      }
      value += text_[i_++];
    }
    if (i_ >= text_.size()) {
      return ConditionParseError{out->pos, RuleErrorCode::kUnterminatedString,
                                 "string is not closed"};
    }
    ++i_;
    out->kind = Token::Kind::kString;
    out->text = std::move(value);
    return std::nullopt;
  }

  std::optional<ConditionParseError> Operator(Token* out) {
    std::string_view rest = text_.substr(i_);
    for (std::string_view op : {"==", "!=", "<=", ">=", "<", ">"}) {
      if (rest.substr(0, op.size()) == op) {
        out->kind = Token::Kind::kOp;
        out->text = std::string(op);
        i_ += op.size();
        return std::nullopt;
      }
    }
    if (rest[0] == '=') {
      return ConditionParseError{i_, RuleErrorCode::kUnexpectedChar,
                                 "'=' is not an operator; write '==' to compare"};
    }
    return ConditionParseError{i_, RuleErrorCode::kUnexpectedChar,
                               "unexpected character '" + std::string(1, rest[0]) + "'"};
  }

  std::optional<ConditionParseError> Number(Token* out) {
    size_t start = i_;
    if (text_[i_] == '-' || text_[i_] == '+') ++i_;
    while (i_ < text_.size() &&
           (std::isdigit(static_cast<unsigned char>(text_[i_])) || text_[i_] == '.'))
      ++i_;
    std::string digits(text_.substr(start, i_ - start));
    if (digits.front() == '+') digits.erase(0, 1);
    size_t unit_start = i_;
    while (i_ < text_.size() && std::isalpha(static_cast<unsigned char>(text_[i_])))
      ++i_;
    double value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size()) {
      return ConditionParseError{
          start, RuleErrorCode::kSyntax,
          "'" + std::string(text_.substr(start, i_ - start)) + "' is not a number"};
    }
    out->number = value;
    out->text = std::string(text_.substr(start, i_ - start));
    out->kind = unit_start == i_ ? Token::Kind::kNumber : Token::Kind::kDuration;
    return std::nullopt;
  }

  std::string_view text_;
  size_t i_ = 0;
};

bool IsKeyword(const Token& t, std::string_view word) {
  return t.kind == Token::Kind::kWord && t.text == word;
}

bool IsWordOperator(const std::string& w) {
  return w == "contains" || w == "icontains" || w == "startswith" || w == "matches";
}

bool IsReserved(const std::string& w) {
  return w == "and" || w == "or" || w == "not" || w == "in" || w == "exists" || IsWordOperator(w);
}

class Parser {
 public:
  explicit Parser(std::string_view text) : lexer_(text) {}

  ConditionParseResult Parse() {
    ConditionParseResult result;
    if (!Advance()) return Fail(&result);
    if (current_.kind == Token::Kind::kEnd) {
      error_ = ConditionParseError{0, RuleErrorCode::kSyntax, "the condition is empty"};
      return Fail(&result);
    }
    auto root = Or();
    if (!root) return Fail(&result);
    if (current_.kind != Token::Kind::kEnd) {
      Expected("'and', 'or' or the end of the condition");
      return Fail(&result);
    }
    result.root = std::move(root);
    return result;
  }

 private:
  using NodePtr = std::unique_ptr<ConditionNode>;

  ConditionParseResult Fail(ConditionParseResult* r) {
    r->error = error_;
    r->root.reset();
    return std::move(*r);
  }

  bool Advance() {
    if (auto e = lexer_.Next(&current_)) {
      error_ = *e;
      return false;
    }
    return true;
  }

  std::nullptr_t Expected(const std::string& what) {
    std::string got =
        current_.kind == Token::Kind::kEnd ? "the end of the condition" : "'" + current_.text + "'";
    error_ = ConditionParseError{current_.pos, RuleErrorCode::kSyntax,
                                 "expected " + what + ", found " + got};
    return nullptr;
  }

  NodePtr Binary(ConditionNode::Kind kind, NodePtr left, NodePtr right, size_t pos) {
    auto node = std::make_unique<ConditionNode>();
    node->kind = kind;
    node->pos = pos;
    node->left = std::move(left);
    node->right = std::move(right);
    return node;
  }

  NodePtr Or() {
    auto left = And();
    while (left && IsKeyword(current_, "or")) {
      size_t pos = current_.pos;
      if (!Advance()) return nullptr;
      auto right = And();
      if (!right) return nullptr;
      left = Binary(ConditionNode::Kind::kOr, std::move(left), std::move(right), pos);
    }
    return left;
  }

  NodePtr And() {
    auto left = Unary();
    while (left && IsKeyword(current_, "and")) {
      size_t pos = current_.pos;
      if (!Advance()) return nullptr;
      auto right = Unary();
      if (!right) return nullptr;
      left = Binary(ConditionNode::Kind::kAnd, std::move(left), std::move(right), pos);
    }
    return left;
  }

  NodePtr Unary() {
    if (IsKeyword(current_, "not")) {
      size_t pos = current_.pos;
      if (!Advance()) return nullptr;
      auto operand = Unary();
      if (!operand) return nullptr;
      return Binary(ConditionNode::Kind::kNot, std::move(operand), nullptr, pos);
    }
    if (current_.kind == Token::Kind::kLParen) {
      if (!Advance()) return nullptr;
      auto inner = Or();
      if (!inner) return nullptr;
      if (current_.kind != Token::Kind::kRParen) return Expected("')'");
      if (!Advance()) return nullptr;
      return inner;
    }
    return Test();
  }

  NodePtr Test() {
    if (current_.kind != Token::Kind::kWord || IsReserved(current_.text)) {
      return Expected("a field, a macro, 'not' or '('");
    }
    auto node = std::make_unique<ConditionNode>();
    node->name = current_.text;
    node->pos = current_.pos;
    if (!Advance()) return nullptr;
    if (current_.kind == Token::Kind::kLParen) {
      if (!Advance()) return nullptr;
      if (current_.kind == Token::Kind::kRParen) return Expected("an argument");
      node->argument = current_.text;
      node->argument_pos = current_.pos;
      if (!Advance()) return nullptr;
      if (current_.kind != Token::Kind::kRParen) return Expected("')'");
      if (!Advance()) return nullptr;
    }
    if (IsKeyword(current_, "exists")) {
      node->kind = ConditionNode::Kind::kExists;
      node->op = "exists";
      node->op_pos = current_.pos;
      if (!Advance()) return nullptr;
      return node;
    }
    bool word_op = current_.kind == Token::Kind::kWord &&
                   (IsWordOperator(current_.text) || current_.text == "in");
    if (current_.kind != Token::Kind::kOp && !word_op) {
      if (!node->argument.empty()) return Expected("an operator");
      node->kind = ConditionNode::Kind::kMacro;  // a bare name: resolved when compiled
      return node;
    }
    node->kind = ConditionNode::Kind::kCompare;
    node->op = current_.text;
    node->op_pos = current_.pos;
    if (!Advance()) return nullptr;
    if (node->op == "in") return List(std::move(node));
    auto value = Value();
    if (!value) return nullptr;
    node->values.push_back(std::move(*value));
    return node;
  }

  NodePtr List(NodePtr node) {
    node->value_is_list = true;
    if (current_.kind == Token::Kind::kWord && !IsReserved(current_.text)) {
      node->values.push_back({ConditionValue::Kind::kWord, current_.text, 0, current_.pos});
      node->names_list = true;
      if (!Advance()) return nullptr;
      return node;
    }
    if (current_.kind != Token::Kind::kLParen) return Expected("'(' or a list name after 'in'");
    if (!Advance()) return nullptr;
    while (true) {
      auto value = Value();
      if (!value) return nullptr;
      node->values.push_back(std::move(*value));
      if (current_.kind == Token::Kind::kRParen) break;
      if (current_.kind != Token::Kind::kComma) return Expected("',' or ')'");
      if (!Advance()) return nullptr;
    }
    if (!Advance()) return nullptr;
    return node;
  }

  std::optional<ConditionValue> Value() {
    ConditionValue v;
    v.pos = current_.pos;
    v.text = current_.text;
    v.number = current_.number;
    switch (current_.kind) {
      case Token::Kind::kString:
        v.kind = ConditionValue::Kind::kString;
        break;
      case Token::Kind::kNumber:
        v.kind = ConditionValue::Kind::kNumber;
        break;
      case Token::Kind::kDuration:
        v.kind = ConditionValue::Kind::kDuration;
        break;
      case Token::Kind::kWord:
        if (IsReserved(current_.text)) {
          Expected("a value");
          return std::nullopt;
        }
        v.kind = ConditionValue::Kind::kWord;
        break;
      default:
        Expected("a value");
        return std::nullopt;
    }
    if (!Advance()) return std::nullopt;
    return v;
  }

  Lexer lexer_;
  Token current_;
  ConditionParseError error_;
};

}  // namespace

ConditionParseResult ParseCondition(std::string_view text) {
  return Parser(text).Parse();
}

}  // namespace earshot
