// Remembers, per thread, what a lexicon says about each word it was asked about. The same few
// thousand words make up most of what people write, and resolving one (the exact entry, stems,
// English inflections and prefixes, phrase heads) takes several lookups; a hit takes one.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string_view>

#include "classifiers/sentiment/lexicon.h"
#include "classifiers/sentiment/short_key.h"

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
  // Starts loading where `word` would be kept, for a Get soon after.
  void Prefetch(uint64_t owner, std::string_view word) const {
    if (word.empty() || word.size() > kMaxWord || !sets_) return;
    __builtin_prefetch(&sets_[Hash(owner, ShortKeyOf(word)) & (kSets - 1)]);
  }

  template <typename Resolve>
  __attribute__((always_inline)) WordSense Get(uint64_t owner, std::string_view word,
                                               Resolve&& resolve) {
    if (word.empty() || word.size() > kMaxWord) return resolve(word);
    if (!sets_) sets_ = std::make_unique<Set[]>(kSets);
    const ShortKey key = ShortKeyOf(word);
    const auto tag = static_cast<uint32_t>(owner);
    Set& set = sets_[Hash(owner, key) & (kSets - 1)];
    for (const Slot& slot : set.ways) {
      if (slot.owner == tag && slot.head == key.head && slot.tail == key.tail &&
          slot.length == key.length)
        return {slot.entry, slot.negated, slot.phrase_words};
    }
    const WordSense sense = resolve(word);
    set.ways[1] = set.ways[0];  // the older word makes room
    Slot& slot = set.ways[0];
    slot.owner = tag;
    slot.head = key.head;
    slot.tail = key.tail;
    slot.length = key.length;
    slot.entry = sense.entry;
    slot.negated = sense.negated;
    slot.phrase_words = static_cast<uint8_t>(std::min<size_t>(sense.phrase_words, 255));
    return sense;
  }

 private:
  static constexpr size_t kMaxWord = kShortKeyMax;

  static uint64_t Hash(uint64_t owner, const ShortKey& key) {
    uint64_t h = (owner + key.length) * 0x9E3779B97F4A7C15ull;
    h = (h ^ key.head) * 0xFF51AFD7ED558CCDull;
    h = (h ^ (h >> 32) ^ key.tail) * 0xC4CEB9FE1A85EC53ull;
    return h ^ (h >> 29);
  }

  // Half a cache line a slot and two slots a set, so a lookup reads one line and the table stays
  // in a core's L2 cache; longer words (rare) are resolved every time.
  static constexpr size_t kSets = 1 << 12;
  struct Slot {
    uint64_t head = 0;  // the word's ShortKey
    uint64_t tail = 0;
    uint8_t length = 0;
    bool negated = false;
    uint8_t phrase_words = 0;
    uint32_t owner = 0;  // the low bits of the serial: no lexicon has serial 0
    const LexiconEntry* entry = nullptr;
  };
  struct alignas(64) Set {
    Slot ways[2];
  };
  static_assert(sizeof(Slot) == 32);

  std::unique_ptr<Set[]> sets_;
};

}  // namespace earshot
