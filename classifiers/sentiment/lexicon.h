// A language's sentiment lexicon: polar words with a weight, and the words that modify them.
//
// File format (UTF-8, one entry a line, '#' starts a comment):
//   [polarity]            switches the kind of the entries that follow (the default)
//   term<TAB>weight       polarity in [-4, 4] as a person would rate the word
//   stem*<TAB>weight      a stem: matches every word that starts with it ("disappoint*")
//   [booster]             weight: how much stronger (> 0) or weaker (< 0) the next polar word is
//   [negator]             weight ignored: flips and dampens the polar words after it
//   [contrast]            "but": what follows weighs more than what came before
//   [concession]          "although": the clause it opens weighs less than the rest
//   [expected]            what a product or service should do ("work", "help"): weight is
//                         how bad it is when negated ("doesn't work"); unnegated it says nothing
// A term may be a phrase of several words ("waste of money"); a hyphen inside a term stands
// for the word break the tokenizer makes there ("top-notch" is the phrase "top notch").
// A user's lexicon may also be plain word<TAB>score (AFINN, integers -5..5, scaled to -4..4)
// or VADER's word<TAB>mean<TAB>sd<TAB>[ratings]; LoadLexicon reads all three.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"

namespace earshot {

enum class LexiconKind { kPolarity, kBooster, kNegator, kContrast, kConcession, kExpected };

struct LexiconEntry {
  LexiconKind kind = LexiconKind::kPolarity;
  double weight = 0;
  std::string term;  // as written, with '*' for stems: it names the evidence
};

class Lexicon {
 public:
  // Adds the entries of `text`; later entries override earlier ones. `name` is for errors.
  Status Load(std::string_view text, const std::string& name);

  // The entry for a lower-cased word: exact first, then the longest matching stem.
  const LexiconEntry* Find(std::string_view word) const;
  // The entry for a two-word phrase ("never again", "nie polecam"), if `first` starts one.
  const LexiconEntry* FindPair(std::string_view first, std::string_view second) const;
  // The most words of any phrase that starts with `first`; 0 when none does.
  size_t PhraseWords(std::string_view first) const {
    auto it = phrase_heads_.find(first);
    return it == phrase_heads_.end() ? 0 : it->second;
  }
  // The entry for a phrase whose words are joined by single spaces.
  const LexiconEntry* FindPhrase(std::string_view phrase) const {
    auto it = exact_.find(phrase);
    return it == exact_.end() ? nullptr : &it->second;
  }
  size_t size() const { return exact_.size() + stems_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Map = std::unordered_map<std::string, LexiconEntry, Hash, std::equal_to<>>;
  Map exact_;
  Map stems_;  // keyed without the '*'
  std::unordered_map<std::string, size_t, Hash, std::equal_to<>> phrase_heads_;  // -> most words
  // The first bytes of every stem: most words start with none, and skip the stem search.
  std::unordered_map<std::string, bool, Hash, std::equal_to<>> stem_gates_;
  void RebuildGates();
  bool gates_dirty_ = false;
  size_t min_stem_ = 64;
  size_t max_stem_ = 0;
};

}  // namespace earshot
