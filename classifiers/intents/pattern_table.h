// Named regular expressions per language: the intent and topic detectors. Scanning every text
// with one automaton of all patterns is slow on long texts (its states multiply), so a cheap
// literal scan (LiteralScanner) first finds the words the patterns need. Most patterns have
// anchors (see pattern_reach.h): literals every match contains, and a bound on how far a match
// reaches from them, so such a pattern is run only where one of its literals occurs, and only in
// windows around them. The others are filtered by RE2's FilteredRE2 on the same scan.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/label.h"
#include "core/status.h"

namespace re2 {
class FilteredRE2;
class RE2;
class Set;
}  // namespace re2

namespace earshot {

// Views into the table: valid while it lives.
struct PatternHit {
  std::string_view name;
  Span span;
  std::string_view pattern_id;  // "intents.tsv:12", for the evidence
};

class PatternTable {
 public:
  PatternTable();
  ~PatternTable();
  PatternTable(PatternTable&&) noexcept;
  PatternTable& operator=(PatternTable&&) noexcept;

  // Reads "language<TAB>name<TAB>pattern" lines; "!name" marks look-alikes that veto `name`.
  // `name_prefix` is put before every name read ("topic:"), so tables can share one pass.
  Status Load(std::string_view tsv, const std::string& file_name,
              const std::string& name_prefix = "");
  Status Add(const std::string& lang, const std::string& name, const std::string& pattern,
             const std::string& pattern_id);
  // Compiles what was loaded; call once, before Match.
  Status Compile();

  // One hit per matching name (its first match), look-alikes applied, in table order. Spans
  // cost a second pass per hit; without `want_spans` they are left empty.
  void Match(std::string_view text, const std::string& lang, std::vector<PatternHit>* hits,
             bool want_spans = true) const;

 private:
  struct Pattern;
  struct Stage;
  struct Language;
  struct Window;
  // Marks the patterns whose literals' occurrences decide them (AnalyseShape).
  static void Shape(Language* language);
  // Runs every pattern of `language` once, so classifying does not pay RE2's warm-up.
  static void Warm(const Language& language, const std::vector<std::string>& literals);
  // Whether pattern `id` matches `text`, searched only in its `windows` when it has anchors;
  // `match`, when given, gets the match a search of the whole text would find.
  static bool Search(const Language& language, int id, std::string_view text,
                     const std::vector<Window>& windows, std::string_view* match);
  // Replaces `ids`, the patterns known to match, with the first matching pattern of each name
  // that no look-alike vetoes, in id order, running the `possible` patterns as needed.
  // Patterns with anchors are searched only in their `windows`, sorted by pattern.
  static void SelectFirstMatches(const Language& language, std::string_view text,
                                 const std::vector<Window>& windows,
                                 const std::vector<int>& possible,
                                 const std::vector<uint8_t>& verdicts, std::vector<int>* ids);
  std::map<std::string, std::unique_ptr<Language>> languages_;  // "*" applies to all
  std::vector<std::unique_ptr<Pattern>> pending_;
};

}  // namespace earshot
