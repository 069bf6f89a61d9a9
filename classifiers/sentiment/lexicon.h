// A language's sentiment lexicon: polar words with a weight, and the words that modify them.
//
// File format (UTF-8, one entry a line, '#' starts a comment):
//   [polarity]            switches the kind of the entries that follow (the default)
//   term<TAB>weight       polarity in [-4, 4] as a person would rate the word
//   stem*<TAB>weight      a stem: matches every word that starts with it ("disappoint*")
//   [booster]             weight: how much stronger (> 0) or weaker (< 0) the next polar word is
//   [excess]              a booster ("too") that, before a word of no feeling of its own, says
//                         there is too much of it: "too long" is a complaint
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

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace earshot {

enum class LexiconKind {
  kPolarity,
  kBooster,
  kExcess,
  kNegator,
  kContrast,
  kConcession,
  kExpected
};

struct LexiconEntry {
  LexiconKind kind = LexiconKind::kPolarity;
  double weight = 0;
  std::string term;  // as written, with '*' for stems: it names the evidence
};

class Lexicon {
 public:
  Lexicon() = default;
  // The index points into the maps' nodes: a copy rebuilds it, a move keeps the nodes.
  Lexicon(const Lexicon& other);
  Lexicon& operator=(const Lexicon& other);
  Lexicon(Lexicon&&) = default;
  Lexicon& operator=(Lexicon&&) = default;

  // Adds the entries of `text`; later entries override earlier ones. `name` is for errors.
  Status Load(std::string_view text, const std::string& name);

  // The entry for a lower-cased word: exact first, then the longest matching stem.
  const LexiconEntry* Find(std::string_view word) const;
  // The most words of any phrase that starts with `first`; 0 when none does.
  size_t PhraseWords(std::string_view first) const;
  // The entry for a phrase whose words are joined by single spaces.
  const LexiconEntry* FindPhrase(std::string_view phrase) const;
  size_t size() const { return exact_.size() + stems_.size(); }
  // Differs between lexicons and changes whenever this one's content may have: it keys what
  // callers remember of its answers (WordMemo).
  uint64_t serial() const { return serial_.value; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Map = std::unordered_map<std::string, LexiconEntry, Hash, std::equal_to<>>;

  // Open addressing over views of the maps' keys, rebuilt after every Load: every token of every
  // text is looked up, and this is several times faster than the maps.
  class Index {
   public:
    struct Slot {
      uint64_t hash = 0;
      std::string_view key;  // empty: a free slot
      const LexiconEntry* entry = nullptr;
    };
    void Clear(size_t expected);
    // `hash` is the key's hash: HashOf, or PrefixHash for stem prefixes.
    void Insert(uint64_t hash, std::string_view key, const LexiconEntry* entry);
    // A key's slot, or null.
    const Slot* Find(uint64_t hash, std::string_view key) const;
    // The first slot with this hash, whatever its key; null when none has it.
    const Slot* FindHash(uint64_t hash) const;
    bool empty() const { return size_ == 0; }

   private:
    // Most words are in no index: one bit per hash, small enough to stay in the L1 cache, rules
    // nearly all of them out without touching the slots.
    static constexpr size_t kPresentBits = 1 << 16;
    static size_t PresentBit(uint64_t hash) { return (hash >> 16) % kPresentBits; }
    bool MayHold(uint64_t hash) const;
    std::vector<uint64_t> present_;
    std::vector<Slot> slots_;
    size_t mask_ = 0;
    size_t size_ = 0;
  };

  // Every copy, move (both sides) and Load takes a fresh number.
  struct Serial {
    Serial() : value(Next()) {}
    Serial(const Serial&) : value(Next()) {}
    Serial(Serial&& other) noexcept : value(Next()) { other.value = Next(); }
    Serial& operator=(const Serial&) {
      value = Next();
      return *this;
    }
    Serial& operator=(Serial&& other) noexcept {
      value = Next();
      other.value = Next();
      return *this;
    }
    static uint64_t Next();
    uint64_t value;
  };

  Serial serial_;
  Map exact_;
  Map stems_;  // keyed without the '*'
  // -> the most words of a phrase it starts
  std::unordered_map<std::string, size_t, Hash, std::equal_to<>> phrase_heads_;
  size_t min_stem_ = 64;  // no stem is shorter, none longer than max_stem_
  size_t max_stem_ = 0;
  Index exact_index_;
  Index phrase_head_index_;
  Index stem_prefix_index_;  // every prefix of every stem; the entry where it is one
  void RebuildIndex();
};

}  // namespace earshot
