#include "classifiers/sentiment/lexicon.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <vector>

#include "classifiers/sentiment/short_key.h"
#include "core/utf8.h"

namespace earshot {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::optional<double> Number(std::string_view s) {
  std::string text(Trim(s));
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return v;
}

// A letter or digit, or part of a multi-byte letter; not the punctuation of ":-)".
bool WordByte(char c) {
  const auto b = static_cast<unsigned char>(c);
  return b >= 0x80 || std::isalnum(b);
}

uint64_t Mix(uint64_t h, uint64_t v) {
  h = (h ^ v) * 0xFF51AFD7ED558CCDull;
  return h ^ (h >> 32);
}

// Keys are words of a few bytes, looked up for every word of every text: most are read as a
// ShortKey, longer ones eight bytes at a time. The high bits pick the slot.
uint64_t HashOf(std::string_view s) {
  const size_t n = s.size();
  uint64_t h = (n + 1) * 0x9E3779B97F4A7C15ull;
  if (n > 0 && n <= kShortKeyMax) {
    const ShortKey key = ShortKeyOf(s);
    h = Mix(Mix(h, key.head), key.tail);
  } else if (n > 0) {
    for (size_t i = 0; i + 8 < n; i += 8)
      h = Mix(h, LoadBytes64(s.data() + i));
    h = Mix(h, LoadBytes64(s.data() + n - 8));
  }
  return h * 0x9E3779B97F4A7C15ull;
}

// Stems are found by walking a word's prefixes, so their hash grows a byte at a time (FNV-1a,
// then spread into the high bits, which pick the slot).
constexpr uint64_t kFnvOffset = 14695981039346656037ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;

uint64_t ExtendPrefix(uint64_t fnv, unsigned char byte) {
  return (fnv ^ byte) * kFnvPrime;
}

uint64_t Spread(uint64_t fnv) {
  return fnv * 0x9E3779B97F4A7C15ull;
}

uint64_t PrefixHash(std::string_view s) {
  uint64_t fnv = kFnvOffset;
  for (char c : s)
    fnv = ExtendPrefix(fnv, static_cast<unsigned char>(c));
  return Spread(fnv);
}

// Keys are words of a few bytes, and equal whenever their hashes are: a plain loop beats calling
// memcmp.
bool SameBytes(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace

uint64_t Lexicon::Serial::Next() {
  static std::atomic<uint64_t> last{0};
  return ++last;
}

Lexicon::Lexicon(const Lexicon& other)
    : exact_(other.exact_),
      stems_(other.stems_),
      phrase_heads_(other.phrase_heads_),
      min_stem_(other.min_stem_),
      max_stem_(other.max_stem_) {
  RebuildIndex();
}

Lexicon& Lexicon::operator=(const Lexicon& other) {
  if (this != &other) *this = Lexicon(other);
  return *this;
}

void Lexicon::Index::Clear(size_t expected) {
  size_t capacity = 8;
  while (capacity < 2 * expected)
    capacity *= 2;
  slots_.assign(capacity, Slot{});
  mask_ = capacity - 1;
  size_ = 0;
  present_.assign(kPresentBits / 64, 0);
}

void Lexicon::Index::Insert(uint64_t hash, std::string_view key, const LexiconEntry* entry) {
  size_t i = (hash >> 32) & mask_;
  while (!slots_[i].key.empty())
    i = (i + 1) & mask_;
  slots_[i] = {hash, key, entry};
  ++size_;
  const size_t bit = PresentBit(hash);
  present_[bit / 64] |= uint64_t{1} << (bit % 64);
}

bool Lexicon::Index::MayHold(uint64_t hash) const {
  const size_t bit = PresentBit(hash);
  return size_ != 0 && (present_[bit / 64] >> (bit % 64)) & 1;
}

const Lexicon::Index::Slot* Lexicon::Index::Find(uint64_t hash, std::string_view key) const {
  if (!MayHold(hash)) return nullptr;
  for (size_t i = (hash >> 32) & mask_;; i = (i + 1) & mask_) {
    const Slot& slot = slots_[i];
    if (slot.key.empty()) return nullptr;
    if (slot.hash == hash && SameBytes(slot.key, key)) return &slot;
  }
}

const Lexicon::Index::Slot* Lexicon::Index::FindHash(uint64_t hash) const {
  if (!MayHold(hash)) return nullptr;
  for (size_t i = (hash >> 32) & mask_;; i = (i + 1) & mask_) {
    const Slot& slot = slots_[i];
    if (slot.key.empty()) return nullptr;
    if (slot.hash == hash) return &slot;
  }
}

void Lexicon::RebuildIndex() {
  auto build = [](Index& index, const auto& map, auto entry_of, auto hash_of) {
    index.Clear(map.size());
    for (const auto& [key, value] : map)
      index.Insert(hash_of(key), key, entry_of(value));
  };
  build(
      exact_index_, exact_, [](const LexiconEntry& e) { return &e; }, HashOf);
  build(
      phrase_head_index_, phrase_heads_, [](size_t) -> const LexiconEntry* { return nullptr; },
      HashOf);
  // Every prefix of every stem, with the entry where the prefix is itself a stem.
  std::unordered_map<std::string_view, const LexiconEntry*> prefixes;
  for (const auto& [stem, entry] : stems_) {
    for (size_t len = 1; len <= stem.size(); ++len) {
      const LexiconEntry*& e = prefixes[std::string_view(stem).substr(0, len)];
      if (len == stem.size()) e = &entry;
    }
  }
  build(
      stem_prefix_index_, prefixes, [](const LexiconEntry* e) { return e; }, PrefixHash);
}

Status Lexicon::Load(std::string_view text, const std::string& name) {
  LexiconKind kind = LexiconKind::kPolarity;
  std::vector<LexiconEntry> entries;
  bool afinn_scale = false;  // whole numbers reaching +-5: an AFINN-style list
  size_t line_no = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = Trim(text.substr(pos, end - pos));
    pos = end + 1;
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    if (line.front() == '[') {
      if (line == "[polarity]")
        kind = LexiconKind::kPolarity;
      else if (line == "[booster]")
        kind = LexiconKind::kBooster;
      else if (line == "[excess]")
        kind = LexiconKind::kExcess;
      else if (line == "[negator]")
        kind = LexiconKind::kNegator;
      else if (line == "[contrast]")
        kind = LexiconKind::kContrast;
      else if (line == "[concession]")
        kind = LexiconKind::kConcession;
      else if (line == "[expected]")
        kind = LexiconKind::kExpected;
      else
        return Status::InvalidArgument(name + ":" + std::to_string(line_no) + ": unknown section " +
                                       std::string(line));
      continue;
    }
    size_t tab = line.find('\t');
    std::string term = FoldCase(Trim(line.substr(0, tab)));
    for (size_t h = 1; h + 1 < term.size(); ++h) {
      if (term[h] == '-' && WordByte(term[h - 1]) && WordByte(term[h + 1])) term[h] = ' ';
    }
    double weight = 0;
    if (tab != std::string_view::npos) {
      std::string_view rest = line.substr(tab + 1);
      auto weight_text = rest.substr(0, rest.find('\t'));
      auto parsed = Number(weight_text);
      if (!parsed) {
        return Status::InvalidArgument(name + ":" + std::to_string(line_no) + ": '" +
                                       std::string(weight_text) + "' is not a number");
      }
      weight = *parsed;
      if (rest.find('\t') == std::string_view::npos && std::abs(weight) == 5) afinn_scale = true;
    } else if (kind == LexiconKind::kPolarity || kind == LexiconKind::kExpected) {
      return Status::InvalidArgument(name + ":" + std::to_string(line_no) + ": '" + term +
                                     "' has no weight");
    }
    if (term.empty()) continue;
    entries.push_back({kind, weight, term});
  }
  for (auto& entry : entries) {
    // AFINN rates -5..5; this lexicon's scale is -4..4, like VADER's.
    if (afinn_scale && entry.kind == LexiconKind::kPolarity) entry.weight *= 0.8;
    entry.weight = std::clamp(entry.weight, -4.0, 4.0);
    std::string term = entry.term;
    if (term.size() > 1 && term.back() == '*') {
      term.pop_back();
      min_stem_ = std::min(min_stem_, term.size());
      max_stem_ = std::max(max_stem_, term.size());
      stems_[term] = std::move(entry);
    } else {
      if (auto space = term.find(' '); space != std::string::npos) {
        const size_t words = 1 + static_cast<size_t>(std::count(term.begin(), term.end(), ' '));
        size_t& most = phrase_heads_[term.substr(0, space)];
        most = std::max(most, words);
      }
      exact_[term] = std::move(entry);
    }
  }
  RebuildIndex();
  serial_ = Serial();
  return Status::Ok();
}

size_t Lexicon::PhraseWords(std::string_view first) const {
  // The index rules out nearly every word before the map is asked for the count.
  if (!phrase_head_index_.Find(HashOf(first), first)) return 0;
  auto it = phrase_heads_.find(first);
  return it == phrase_heads_.end() ? 0 : it->second;
}

const LexiconEntry* Lexicon::FindPhrase(std::string_view phrase) const {
  const Index::Slot* slot = exact_index_.Find(HashOf(phrase), phrase);
  return slot ? slot->entry : nullptr;
}

const LexiconEntry* Lexicon::Find(std::string_view word) const {
  if (const Index::Slot* slot = exact_index_.Find(HashOf(word), word)) return slot->entry;
  // The longest stem the word starts with, cut on a character boundary: walk the word through
  // the stems' prefixes until it leaves them, from the shortest stem's length.
  if (word.size() < min_stem_) return nullptr;
  // Only a stem is compared byte by byte: a prefix whose hash merely collides lets the walk go
  // on, but a word whose prefix is in no stem has no longer prefix that is one.
  const LexiconEntry* longest = nullptr;
  uint64_t fnv = kFnvOffset;
  for (size_t k = 0; k + 1 < min_stem_; ++k)
    fnv = ExtendPrefix(fnv, static_cast<unsigned char>(word[k]));
  for (size_t len = min_stem_; len <= std::min(word.size(), max_stem_); ++len) {
    fnv = ExtendPrefix(fnv, static_cast<unsigned char>(word[len - 1]));
    const uint64_t hash = Spread(fnv);
    const Index::Slot* slot = stem_prefix_index_.FindHash(hash);
    if (!slot) break;
    const bool boundary =
        len == word.size() || (static_cast<unsigned char>(word[len]) & 0xC0) != 0x80;
    if (!slot->entry || !boundary) continue;
    const std::string_view prefix = word.substr(0, len);
    if (!SameBytes(slot->key, prefix)) slot = stem_prefix_index_.Find(hash, prefix);
    if (slot && slot->entry) longest = slot->entry;
  }
  return longest;
}

}  // namespace earshot
