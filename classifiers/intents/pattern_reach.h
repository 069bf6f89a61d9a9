// How far a pattern's matches can reach from a literal each of them contains. RE2 searches a text
// window with the bytes around it as context (for ^, $ and \b), so a pattern matches a text iff
// it matches one of the windows around the occurrences of those literals: searching only the
// windows spares searching a long text whole for a pattern that a stray word made possible.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace earshot {

// Every match of the pattern contains one of its anchors' literals, ignoring case, such that the
// match starts at most `before` bytes before the literal's end and ends at most `after` bytes
// after it. With `*_runs`, runs of word bytes (\pL*, \w+, \d+) may come on top, so the bound
// counts only the other bytes; word bytes are ASCII letters, digits, '_' and all non-ASCII bytes.
// After an unbounded repeat of anything else (\s+, .*) a bound exceeds any text.
struct ReachAnchor {
  std::string literal;
  size_t before = 0;
  bool before_runs = false;
  size_t after = 0;
  bool after_runs = false;
};

// The anchors of `pattern` (RE2 syntax, matched ignoring case); empty when it needs no literal,
// or uses syntax this does not know.
std::vector<ReachAnchor> AnalyseReach(std::string_view pattern);

// A pattern that matches exactly where one of its literals occurs (ignoring case) with the right
// characters around it, so the scan that finds the literals decides it: "\b(worst|awful)\b",
// "\b(deliver\w*|parcel)\b", "(?:^|\PL)(dostaw\pL*|paczk\pL*)", "^\s*(how|why)\b[^.!]*$".
struct LiteralShape {
  // kWordBoundary: \b at the literal's start; kNonLetter: the text starts there or a character
  // \PL matches ends there; kTextStart: only white space (\s) comes before it; kAnywhere: no
  // condition.
  enum class Before { kWordBoundary, kNonLetter, kTextStart, kAnywhere };
  struct Literal {
    std::string text;
    bool boundary_after = false;  // \b at its end; else anything may follow
  };
  Before before = Before::kWordBoundary;
  std::vector<Literal> literals;
  // When not empty, a class ("[^.!]") every character after the literal (and the \b) is in.
  std::string rest;
  bool space_or_end_after = false;  // "(\s|$)" after the literal
};

// The shape of `pattern`, when it has one.
std::optional<LiteralShape> AnalyseShape(std::string_view pattern);

// Where a match reaching back from `end` over at most `budget` bytes (with `runs`, `budget`
// bytes that are not word bytes) can start at the earliest.
size_t ReachBack(std::string_view text, size_t end, size_t budget, bool runs);
// Where a match reaching forward from `begin` can end at the latest; likewise.
size_t ReachForward(std::string_view text, size_t begin, size_t budget, bool runs);

}  // namespace earshot
