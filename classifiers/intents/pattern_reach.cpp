#include "classifiers/intents/pattern_reach.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <optional>

namespace earshot {
namespace {

constexpr size_t kMaxExact = 16;    // strings a node may stand for, as in FilteredRE2
constexpr size_t kMaxLiteral = 64;  // bytes of one such string

// Widths add up to at most this; a window that wide reaches the end of the text.
constexpr size_t kUnbounded = std::numeric_limits<size_t>::max() / 4;

size_t Add(size_t a, size_t b) {
  return std::min(a + b, kUnbounded);
}

size_t Times(size_t width, size_t n) {
  return n != 0 && width > kUnbounded / n ? kUnbounded : width * n;
}

bool WordByte(unsigned char b) {
  return b >= 0x80 || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ||
         b == '_';
}

// The most bytes a character of a text can take when it matches `cp` ignoring case. RE2 takes
// "k" for the Kelvin sign and "s" for the long s; no other ASCII character has a non-ASCII twin
// (tested). Beyond ASCII, assume the most UTF-8 allows.
size_t Width(char32_t cp) {
  if (cp >= 0x80) return 4;
  if (cp == 'k' || cp == 'K') return 3;
  if (cp == 's' || cp == 'S') return 2;
  return 1;
}

// What is known of a piece of a pattern: the most bytes it matches, and what it must contain.
struct Node {
  size_t width = 0;         // kUnbounded: any
  bool runs = false;        // also matches word runs of any length, on top of `width`
  bool word_class = false;  // matches word characters only: \pL \w \d, "a"
  bool exact_known = false;
  std::vector<std::string> exact;  // with exact_known: every string it can match
  // Each match contains one of these; `before` and `after` are bytes of the match before the
  // literal's start and after its end.
  std::vector<ReachAnchor> anchors;
};

size_t LiteralWidth(std::string_view s) {
  size_t width = 0;
  for (unsigned char b : s) {
    if (b < 0x80) {
      width += Width(b);
    } else if ((b & 0xC0) != 0x80) {
      width += 4;
    }
  }
  return width;
}

// The anchors a node offers: its strings when they are all it matches, else what it contains.
std::vector<ReachAnchor> AnchorsOf(const Node& n) {
  if (n.exact_known &&
      std::none_of(n.exact.begin(), n.exact.end(), [](const auto& s) { return s.empty(); })) {
    std::vector<ReachAnchor> out;
    for (const auto& s : n.exact)
      out.push_back({s});
    return out;
  }
  return n.anchors;
}

// Longer literals occur less often by chance, so they give fewer windows.
size_t Score(const std::vector<ReachAnchor>& anchors) {
  size_t shortest = kMaxLiteral + 1;
  for (const auto& a : anchors)
    shortest = std::min(shortest, a.literal.size());
  return anchors.empty() ? 0 : shortest;
}

void Union(std::vector<std::string>* into, const std::vector<std::string>& more) {
  for (const auto& s : more) {
    if (std::find(into->begin(), into->end(), s) == into->end()) into->push_back(s);
  }
}

// A recursive descent over the RE2 syntax the pattern tables use; anything else fails.
class Parser {
 public:
  explicit Parser(std::string_view pattern) : p_(pattern) {}

  bool Parse(Node* out) { return Alternation(out) && pos_ == p_.size(); }

 private:
  bool More() const { return pos_ < p_.size(); }
  char Peek() const { return p_[pos_]; }

  bool Alternation(Node* out) {
    std::vector<Node> branches(1);
    if (!Concat(&branches.back())) return false;
    while (More() && Peek() == '|') {
      ++pos_;
      branches.emplace_back();
      if (!Concat(&branches.back())) return false;
    }
    if (branches.size() == 1) {
      *out = std::move(branches[0]);
      return true;
    }
    out->exact_known = true;
    out->word_class = true;
    for (const Node& b : branches) {
      out->width = std::max(out->width, b.width);
      out->word_class &= b.word_class;
      out->runs |= b.runs;
      out->exact_known &= b.exact_known;
      if (out->exact_known) Union(&out->exact, b.exact);
    }
    if (out->exact.size() > kMaxExact) out->exact_known = false;
    if (!out->exact_known) out->exact.clear();
    for (const Node& b : branches) {
      auto anchors = AnchorsOf(b);
      if (anchors.empty()) {
        out->anchors.clear();
        break;
      }
      out->anchors.insert(out->anchors.end(), anchors.begin(), anchors.end());
    }
    return true;
  }

  bool Concat(Node* out) {
    std::vector<Node> items;
    while (More() && Peek() != '|' && Peek() != ')') {
      items.emplace_back();
      if (!Atom(&items.back()) || !Repeat(&items.back())) return false;
    }
    // Runs of items with known strings join into longer strings while there are few.
    std::vector<Node> parts;
    for (Node& item : items) {
      Node* last = parts.empty() ? nullptr : &parts.back();
      if (last && last->exact_known && item.exact_known &&
          last->exact.size() * item.exact.size() <= kMaxExact) {
        std::vector<std::string> joined;
        bool fits = true;
        for (const auto& a : last->exact) {
          for (const auto& b : item.exact) {
            fits &= a.size() + b.size() <= kMaxLiteral;
            joined.push_back(a + b);
          }
        }
        if (fits) {
          last->exact.clear();
          Union(&last->exact, joined);
          last->width = Add(last->width, item.width);
          last->word_class &= item.word_class;
          continue;
        }
      }
      parts.push_back(std::move(item));
    }
    out->exact_known = true;
    out->exact = {""};
    out->word_class = !parts.empty();
    for (const Node& part : parts) {
      out->width = Add(out->width, part.width);
      out->runs |= part.runs;
      out->word_class &= part.word_class;
    }
    if (parts.size() == 1) {
      out->exact_known = parts[0].exact_known;
      out->exact = parts[0].exact;
    } else if (!parts.empty()) {
      out->exact_known = false;
      out->exact.clear();
    }
    // The part whose anchors are best, with the widths of the others around it.
    size_t width_before = 0;
    bool runs_before = false;
    for (const Node& part : parts) {
      auto anchors = AnchorsOf(part);
      if (Score(anchors) > Score(out->anchors)) {
        size_t width_after = 0;
        bool runs_after = false;
        for (const Node* p = &part + 1; p != parts.data() + parts.size(); ++p) {
          width_after = Add(width_after, p->width);
          runs_after |= p->runs;
        }
        for (auto& a : anchors) {
          a.before = Add(a.before, width_before);
          a.before_runs |= runs_before;
          a.after = Add(a.after, width_after);
          a.after_runs |= runs_after;
        }
        out->anchors = std::move(anchors);
      }
      width_before = Add(width_before, part.width);
      runs_before |= part.runs;
    }
    return true;
  }

  // Applies the quantifier after an atom, if any.
  bool Repeat(Node* n) {
    if (!More()) return true;
    const char op = Peek();
    size_t min = 0, max = 0;
    bool unbounded = false;
    if (op == '*' || op == '+') {
      min = op == '+';
      unbounded = true;
      ++pos_;
    } else if (op == '?') {
      max = 1;
      ++pos_;
    } else if (op == '{') {
      if (!Bounds(&min, &max, &unbounded)) return false;
    } else {
      return true;
    }
    if (More() && Peek() == '?') ++pos_;  // lazy: the same matches
    if (More() && (Peek() == '*' || Peek() == '+' || Peek() == '?' || Peek() == '{')) return false;
    if (!unbounded && min == 1 && max == 1) return true;
    const size_t once = n->width;
    if (unbounded && n->word_class) {
      // Runs of word characters are what windows stretch over; other repeats reach any far.
      n->width = 0;
      n->runs = true;
    } else {
      n->width = unbounded ? kUnbounded : Times(once, max);
    }
    n->word_class = false;
    if (!unbounded && min == 0 && max == 1 && n->exact_known) {
      Union(&n->exact, {""});
    } else {
      n->exact_known = false;
      n->exact.clear();
    }
    if (min == 0) {
      n->anchors.clear();
      return true;
    }
    // The first repetition holds the anchor; the others follow it.
    for (auto& a : n->anchors) {
      a.after = Add(a.after, unbounded ? n->width : Times(once, max - 1));
      a.after_runs |= n->runs;
    }
    return true;
  }

  // "{n}", "{n,}" or "{n,m}".
  bool Bounds(size_t* min, size_t* max, bool* unbounded) {
    ++pos_;
    auto number = [&](size_t* v) {
      const size_t start = pos_;
      *v = 0;
      while (More() && Peek() >= '0' && Peek() <= '9' && pos_ - start < 4)
        *v = *v * 10 + static_cast<size_t>(p_[pos_++] - '0');
      return pos_ > start;
    };
    if (!number(min)) return false;
    *max = *min;
    if (More() && Peek() == ',') {
      ++pos_;
      if (More() && Peek() == '}') {
        *unbounded = true;
      } else if (!number(max) || *max < *min) {
        return false;
      }
    }
    if (!More() || Peek() != '}') return false;
    ++pos_;
    return true;
  }

  bool Atom(Node* n) {
    const char c = Peek();
    ++pos_;
    switch (c) {
      case '(':
        if (More() && Peek() == '?') {
          if (p_.substr(pos_, 2) != "?:") return false;  // flags and names: unknown here
          pos_ += 2;
        }
        if (!Alternation(n) || !More() || Peek() != ')') return false;
        ++pos_;
        return true;
      case '[':
        return Class(n);
      case '\\':
        return Escape(n);
      case '.':
        n->width = 4;
        return true;
      case '^':
      case '$':
        Zero(n);
        return true;
      case '*':
      case '+':
      case '?':
      case '{':
      case '}':
      case ']':
        return false;
      default:
        --pos_;
        return Literal(n);
    }
  }

  static void Zero(Node* n) {
    n->exact_known = true;
    n->exact = {""};
  }

  bool Literal(Node* n) {
    std::string bytes;
    char32_t cp = 0;
    if (!Codepoint(&cp, &bytes)) return false;
    n->width = Width(cp);
    // Its twins ignoring case are word characters too: ASCII letters have only non-ASCII ones.
    n->word_class = cp >= 0x80 || std::isalnum(static_cast<int>(cp)) || cp == '_';
    n->exact_known = true;
    n->exact = {bytes};
    return true;
  }

  // One UTF-8 character at pos_.
  bool Codepoint(char32_t* cp, std::string* bytes) {
    const auto b = static_cast<unsigned char>(Peek());
    const size_t n = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0;
    if (n == 0 || pos_ + n > p_.size()) return false;
    *cp = n == 1 ? b : b & (0x7F >> n);
    for (size_t k = 1; k < n; ++k) {
      const auto next = static_cast<unsigned char>(p_[pos_ + k]);
      if ((next & 0xC0) != 0x80) return false;
      *cp = *cp << 6 | (next & 0x3F);
    }
    bytes->assign(p_.substr(pos_, n));
    pos_ += n;
    return true;
  }

  // After a backslash, outside a class.
  bool Escape(Node* n) {
    if (!More()) return false;
    const char c = Peek();
    ++pos_;
    switch (c) {
      case 'b':
      case 'B':
      case 'A':
      case 'z':
        Zero(n);
        return true;
      case 'd':
      case 'w':
        n->width = c == 'd' ? 1 : 3;  // \w ignoring case also takes the long s and Kelvin sign
        n->word_class = true;
        return true;
      case 's':
        n->width = 1;
        return true;
      case 'D':
      case 'S':
      case 'W':
        n->width = 4;
        return true;
      case 'p':
      case 'P':
        if (!More() || Peek() != 'L') return false;
        ++pos_;
        n->width = 4;
        n->word_class = c == 'p';
        return true;
      default:
        // Escaped punctuation stands for itself.
        if (static_cast<unsigned char>(c) >= 0x80 || std::isalnum(static_cast<unsigned char>(c)))
          return false;
        n->width = 1;
        n->exact_known = true;
        n->exact = {std::string(1, c)};
        return true;
    }
  }

  // After '['. A few plain characters are known strings; the rest is only a width.
  bool Class(Node* n) {
    const bool negated = More() && Peek() == '^';
    if (negated) ++pos_;
    bool plain = !negated;
    std::vector<std::string> chars;
    for (bool first = true; More() && (first || Peek() != ']'); first = false) {
      if (Peek() == '[') return false;  // [:alpha:] and the like
      size_t width = 0;
      std::string bytes;
      char32_t cp = 0;
      if (Peek() == '\\') {
        ++pos_;
        if (!More()) return false;
        const char e = Peek();
        ++pos_;
        if (e == 'd' || e == 's') {
          width = 1;
        } else if (e == 'w') {
          width = 3;
        } else if (e == 'D' || e == 'S' || e == 'W') {
          width = 4;
        } else if (e == 'p' || e == 'P') {
          if (!More() || Peek() != 'L') return false;
          ++pos_;
          width = 4;
        } else if (static_cast<unsigned char>(e) < 0x80 &&
                   !std::isalnum(static_cast<unsigned char>(e))) {
          cp = static_cast<unsigned char>(e);
          bytes.assign(1, e);
        } else {
          return false;
        }
      } else if (!Codepoint(&cp, &bytes)) {
        return false;
      }
      if (bytes.empty()) {
        plain = false;
      } else if (More() && Peek() == '-' && pos_ + 1 < p_.size() && p_[pos_ + 1] != ']') {
        ++pos_;
        char32_t hi = 0;
        std::string hi_bytes;
        if (Peek() == '\\' || !Codepoint(&hi, &hi_bytes) || hi < cp) return false;
        plain = false;
        width = hi < 0x80 ? 3 : 4;  // a range may take letters and their twins
      } else {
        width = Width(cp);
        chars.push_back(bytes);
      }
      n->width = std::max(n->width, width);
    }
    if (!More()) return false;
    ++pos_;  // ']'
    if (negated) n->width = 4;
    if (plain && chars.size() <= kMaxExact) {
      n->exact_known = true;
      Union(&n->exact, chars);
    }
    return true;
  }

  std::string_view p_;
  size_t pos_ = 0;
};

}  // namespace

std::vector<ReachAnchor> AnalyseReach(std::string_view pattern) {
  Node root;
  if (!Parser(pattern).Parse(&root)) return {};
  std::vector<ReachAnchor> out;
  for (auto& a : AnchorsOf(root)) {
    if (a.literal.empty()) return {};
    a.before = Add(a.before, LiteralWidth(a.literal));
    // One anchor per literal, with the widest reach of its uses.
    auto same = std::find_if(out.begin(), out.end(),
                             [&](const ReachAnchor& o) { return o.literal == a.literal; });
    if (same == out.end()) {
      out.push_back(std::move(a));
      continue;
    }
    same->before = std::max(same->before, a.before);
    same->before_runs |= a.before_runs;
    same->after = std::max(same->after, a.after);
    same->after_runs |= a.after_runs;
  }
  return out;
}

namespace {

// The end of the token of RE2 syntax at `i`: an escape, a class or one character; npos for a
// class not closed, or one within a class ("[[:alpha:]]").
size_t TokenEnd(std::string_view s, size_t i) {
  if (s[i] == '\\') {
    if (i + 1 >= s.size()) return std::string_view::npos;
    if ((s[i + 1] == 'p' || s[i + 1] == 'P') && i + 2 < s.size() && s[i + 2] != '{') return i + 3;
    return i + 2;
  }
  if (s[i] != '[') return i + 1;
  size_t k = i + 1;
  if (k < s.size() && s[k] == '^') ++k;
  if (k < s.size() && s[k] == ']') ++k;
  for (; k < s.size() && s[k] != ']'; ++k) {
    if (s[k] == '[') return std::string_view::npos;
    if (s[k] == '\\') ++k;
  }
  return k < s.size() ? k + 1 : std::string_view::npos;
}

// `s` cut into tokens; empty when it does not tokenize.
std::vector<std::string_view> Tokens(std::string_view s) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < s.size();) {
    const size_t end = TokenEnd(s, i);
    if (end == std::string_view::npos || end > s.size()) return {};
    out.push_back(s.substr(i, end - i));
    i = end;
  }
  return out;
}

bool Assertion(std::string_view token) {
  return token == "^" || token == "$" || token == "\\b" || token == "\\B" || token == "\\A" ||
         token == "\\z";
}

// The alternatives of `tokens` at depth 0; empty when its groups do not balance.
std::vector<std::vector<std::string_view>> Alternatives(
    const std::vector<std::string_view>& tokens) {
  std::vector<std::vector<std::string_view>> out(1);
  int depth = 0;
  for (std::string_view t : tokens) {
    if (t == "(") ++depth;
    if (t == ")" && --depth < 0) return {};
    if (t == "|" && depth == 0) {
      out.emplace_back();
      continue;
    }
    out.back().push_back(t);
  }
  if (depth != 0) return {};
  return out;
}

// Whether the group opened by tokens[0] closes at the last token.
bool OneGroup(const std::vector<std::string_view>& tokens) {
  if (tokens.empty() || tokens.front() != "(") return false;
  int depth = 0;
  for (size_t k = 0; k < tokens.size(); ++k) {
    if (tokens[k] == "(") ++depth;
    if (tokens[k] == ")" && --depth == 0) return k + 1 == tokens.size();
  }
  return false;
}

bool AsciiWordByte(unsigned char b) {
  return b < 0x80 && WordByte(b);
}

std::string Join(const std::vector<std::string_view>& tokens) {
  std::string out;
  for (std::string_view t : tokens)
    out.append(t);
  return out;
}

// Adds the literals of one alternative: exact strings, then perhaps a run of letters (\pL*) or
// of word characters (\w*).
bool AddAlternative(std::vector<std::string_view> tokens, bool boundary_after,
                    LiteralShape* shape) {
  const bool tail = !shape->rest.empty() || shape->space_or_end_after;
  if (tail && !tokens.empty() && tokens.back() == "*") return false;
  bool letters = false, words = false;
  if (tokens.size() >= 2 && tokens.back() == "*") {
    letters = tokens[tokens.size() - 2] == "\\pL";
    words = tokens[tokens.size() - 2] == "\\w";
    if (letters || words) tokens.resize(tokens.size() - 2);
  }
  // \pL* stops anywhere, so \b after it may or may not find its place.
  if (letters && boundary_after) return false;
  if (tokens.empty() || std::any_of(tokens.begin(), tokens.end(), Assertion)) return false;
  const std::string core = Join(tokens);
  Node n;
  if (!Parser(core).Parse(&n) || !n.exact_known) return false;
  for (const std::string& text : n.exact) {
    if (text.empty()) return false;
    // After a word character, the run \w* takes ends where \b holds.
    if (words && boundary_after && !AsciiWordByte(static_cast<unsigned char>(text.back())))
      return false;
    const bool after = boundary_after && !words;
    auto same = std::find_if(shape->literals.begin(), shape->literals.end(),
                             [&](const LiteralShape::Literal& l) { return l.text == text; });
    if (same == shape->literals.end()) {
      shape->literals.push_back({text, after});
    } else {
      same->boundary_after &= after;
    }
  }
  return true;
}

}  // namespace

std::optional<LiteralShape> AnalyseShape(std::string_view pattern) {
  static constexpr std::string_view kWordBoundary = "\\b";
  static constexpr std::string_view kNonLetter = "(?:^|\\PL)";
  static constexpr std::string_view kTextStart = "^\\s*";
  LiteralShape shape;
  if (pattern.starts_with(kWordBoundary)) {
    shape.before = LiteralShape::Before::kWordBoundary;
    pattern.remove_prefix(kWordBoundary.size());
  } else if (pattern.starts_with(kNonLetter)) {
    shape.before = LiteralShape::Before::kNonLetter;
    pattern.remove_prefix(kNonLetter.size());
  } else if (pattern.starts_with(kTextStart)) {
    shape.before = LiteralShape::Before::kTextStart;
    pattern.remove_prefix(kTextStart.size());
  } else {
    shape.before = LiteralShape::Before::kAnywhere;
  }
  auto tokens = Tokens(pattern);
  const size_t n = tokens.size();
  if (n >= 3 && tokens[n - 1] == "$" && tokens[n - 2] == "*" && tokens[n - 3].starts_with("[")) {
    shape.rest = tokens[n - 3];
    tokens.resize(n - 3);
  } else if (n >= 5 && tokens[n - 5] == "(" && tokens[n - 4] == "\\s" && tokens[n - 3] == "|" &&
             tokens[n - 2] == "$" && tokens[n - 1] == ")") {
    shape.space_or_end_after = true;
    tokens.resize(n - 5);
  }
  const bool boundary_after = !tokens.empty() && tokens.back() == kWordBoundary;
  if (boundary_after) tokens.pop_back();
  // One group, or else no alternation: "\ba|b\b" is not "\b(a|b)\b".
  const bool grouped = OneGroup(tokens);
  if (grouped) {
    tokens.erase(tokens.begin());
    tokens.pop_back();
    if (tokens.size() >= 2 && tokens[0] == "?" && tokens[1] == ":") {
      tokens.erase(tokens.begin(), tokens.begin() + 2);
    } else if (!tokens.empty() && tokens[0] == "?") {
      return std::nullopt;
    }
  }
  const auto alternatives = Alternatives(tokens);
  if (alternatives.empty() || (!grouped && alternatives.size() > 1)) return std::nullopt;
  for (const auto& alternative : alternatives) {
    if (!AddAlternative(alternative, boundary_after, &shape)) return std::nullopt;
  }
  return shape;
}

size_t ReachBack(std::string_view text, size_t end, size_t budget, bool runs) {
  if (budget >= end) return 0;
  if (!runs) return end - budget;
  size_t p = end;
  for (; p > 0; --p) {
    if (WordByte(static_cast<unsigned char>(text[p - 1]))) continue;
    if (budget == 0) break;
    --budget;
  }
  return p;
}

size_t ReachForward(std::string_view text, size_t begin, size_t budget, bool runs) {
  if (budget >= text.size() - begin) return text.size();
  if (!runs) return begin + budget;
  size_t p = begin;
  for (; p < text.size(); ++p) {
    if (WordByte(static_cast<unsigned char>(text[p]))) continue;
    if (budget == 0) break;
    --budget;
  }
  return p;
}

}  // namespace earshot
