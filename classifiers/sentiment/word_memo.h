// Remembers, per thread, what a lexicon says about each word it was asked about. The same few
// thousand words make up most of what people write, and resolving one (the exact entry, stems,
// English inflections and prefixes, phrase heads) takes several lookups; a hit takes one.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include "classifiers/sentiment/lexicon.h"

namespace earshot {

struct WordSense {
  const LexiconEntry* entry = nullptr;
  bool negated = false;     // by a prefix the lexicon's word was found without ("unhelpful")
  size_t phrase_words = 0;  // the most words of a phrase the word starts; 0 when none
};

class WordMemo {
 public:
  // The sense of `word` in the lexicon whose serial is `owner`; `resolve(word)` computes it on a
  // miss. Answers never go stale: a lexicon's serial changes whenever its content may have.
  template <typename Resolve>
  WordSense Get(uint64_t owner, std::string_view word, Resolve&& resolve) {
    if (word.size() > kMaxWord) return resolve(word);
    if (!sets_) sets_ = std::make_unique<Set[]>(kSets);
    const auto tag = static_cast<uint32_t>(owner);
    Set& set = sets_[Hash(owner, word) & (kSets - 1)];
    for (const Slot& slot : set.ways) {
      if (slot.owner == tag && slot.length == word.size() && Same(slot.word, word))
        return {slot.entry, slot.negated, slot.phrase_words};
    }
    const WordSense sense = resolve(word);
    set.ways[1] = set.ways[0];  // the older word makes room
    Slot& slot = set.ways[0];
    slot.owner = tag;
    slot.length = static_cast<uint8_t>(word.size());
    std::memcpy(slot.word, word.data(), word.size());
    slot.entry = sense.entry;
    slot.negated = sense.negated;
    slot.phrase_words = static_cast<uint8_t>(std::min<size_t>(sense.phrase_words, 255));
    return sense;
  }

 private:
  // Half a cache line a slot and two slots a set, so a lookup reads one line and the table stays
  // in a core's L2 cache; longer words (rare) are resolved every time.
  static constexpr size_t kMaxWord = 17;
  static constexpr size_t kSets = 1 << 12;
  struct Slot {
    uint32_t owner = 0;  // the low bits of the serial: no lexicon has serial 0
    uint8_t length = 0;
    uint8_t phrase_words = 0;
    bool negated = false;
    char word[kMaxWord];
    const LexiconEntry* entry = nullptr;
  };
  struct alignas(64) Set {
    Slot ways[2];
  };
  static_assert(sizeof(Slot) == 32);

  // Words are a few bytes: a plain loop beats calling memcmp.
  static bool Same(const char* stored, std::string_view word) {
    for (size_t i = 0; i < word.size(); ++i) {
      if (stored[i] != word[i]) return false;
    }
    return true;
  }

  static uint64_t Hash(uint64_t owner, std::string_view word) {
    uint64_t h = (owner + word.size()) * 0x9E3779B97F4A7C15ull;
    size_t i = 0;
    for (; i + 8 <= word.size(); i += 8) {
      uint64_t chunk;
      std::memcpy(&chunk, word.data() + i, 8);
      h = (h ^ chunk) * 0xFF51AFD7ED558CCDull;
      h ^= h >> 32;
    }
    if (i < word.size()) {
      uint64_t chunk = 0;  // byte by byte: a memcpy of a variable length is a library call
      for (size_t k = 0; i + k < word.size(); ++k)
        chunk |= uint64_t{static_cast<unsigned char>(word[i + k])} << (8 * k);
      h = (h ^ chunk) * 0xC4CEB9FE1A85EC53ull;
    }
    return h ^ (h >> 29);
  }

  std::unique_ptr<Set[]> sets_;
};

}  // namespace earshot
