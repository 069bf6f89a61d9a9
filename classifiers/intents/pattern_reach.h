// How far a pattern's matches can reach from a literal each of them contains. RE2 searches a text
// window with the bytes around it as context (for ^, $ and \b), so a pattern matches a text iff
// it matches one of the windows around the occurrences of those literals: searching only the
// windows spares searching a long text whole for a pattern that a stray word made possible.
#pragma once

#include <cstddef>
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

// Where a match reaching back from `end` over at most `budget` bytes (with `runs`, `budget`
// bytes that are not word bytes) can start at the earliest.
size_t ReachBack(std::string_view text, size_t end, size_t budget, bool runs);
// Where a match reaching forward from `begin` can end at the latest; likewise.
size_t ReachForward(std::string_view text, size_t begin, size_t budget, bool runs);

}  // namespace earshot
