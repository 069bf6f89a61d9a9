#include "classifiers/text/tokenizer.h"

#include <utf8proc.h>

#include <array>
#include <bit>
#include <cctype>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/utf8.h"

namespace earshot {
namespace {

struct Codepoint {
  utf8proc_int32_t cp = -1;
  size_t len = 1;
};

Codepoint DecodeSlow(std::string_view s, size_t i) {
  Codepoint c;
  auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                            static_cast<utf8proc_ssize_t>(s.size() - i), &c.cp);
  c.len = n > 0 ? static_cast<size_t>(n) : 1;
  if (n <= 0) c.cp = -1;
  return c;
}

// ASCII and two-byte characters (all of Cyrillic and Polish) are decoded inline: this runs for
// every character of every text.
inline Codepoint Decode(std::string_view s, size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) return {b, 1};
  if (b >= 0xC2 && b <= 0xDF && i + 1 < s.size()) {
    const auto next = static_cast<unsigned char>(s[i + 1]);
    if ((next & 0xC0) == 0x80) return {((b & 0x1F) << 6) | (next & 0x3F), 2};
  }
  return DecodeSlow(s, i);
}

// Latin-1, Latin Extended-A and Cyrillic hold nearly every letter of en, ru, pl and de.
bool ComputeIsLetter(utf8proc_int32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  if (cp >= 0xC0 && cp <= 0x17F) return cp != 0xD7 && cp != 0xF7;
  if (cp >= 0x400 && cp <= 0x4FF) return cp < 0x482 || cp > 0x489;
  return IsLetterOrMark(cp);
}

utf8proc_int32_t ComputeLower(utf8proc_int32_t cp) {
  if (cp < 0x80) return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
  if (cp == 0x1E9E) return 0xDF;  // capital sharp s
  return utf8proc_tolower(cp);
}

// Every one- and two-byte character (all of Latin-1, Latin Extended-A and Cyrillic) is
// classified and lower-cased by one lookup: this runs for every character of every text.
enum CharFlag : uint8_t {
  kLetter = 1,
  kUpper = 2,
  kDigit = 4,
  kChanged = 8,     // its lower case differs
  kNotUpper = 16,   // a letter not in upper case: lower case, or a script without case
  kElongated = 32,  // not a character's: ScanWord's, for a letter a third time in a row
};

struct CharInfo {
  char lower[4] = {};  // the lower case in UTF-8: a two-byte letter's may take three bytes
  uint8_t lower_length = 0;
  uint8_t flags = 0;  // CharFlag
};
constexpr utf8proc_int32_t kTableSize = 0x800;

size_t EncodeUtf8(utf8proc_int32_t cp, char* out) {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  return static_cast<size_t>(utf8proc_encode_char(cp, reinterpret_cast<utf8proc_uint8_t*>(out)));
}

const std::array<CharInfo, kTableSize> kChars = [] {
  std::array<CharInfo, kTableSize> table;
  for (utf8proc_int32_t cp = 0; cp < kTableSize; ++cp) {
    CharInfo& c = table[static_cast<size_t>(cp)];
    const utf8proc_int32_t lower = ComputeLower(cp);
    c.lower_length = static_cast<uint8_t>(EncodeUtf8(lower, c.lower));
    const bool upper = cp < 0x80 ? cp >= 'A' && cp <= 'Z' : utf8proc_isupper(cp);
    const bool letter = ComputeIsLetter(cp);
    c.flags = static_cast<uint8_t>(
        (letter ? kLetter : 0) | (upper ? kUpper : 0) | (cp >= '0' && cp <= '9' ? kDigit : 0) |
        (lower != cp ? kChanged : 0) | (letter && !upper ? kNotUpper : 0));
  }
  return table;
}();

bool InTable(utf8proc_int32_t cp) {
  return static_cast<uint32_t>(cp) < static_cast<uint32_t>(kTableSize);
}

// An invalid byte decodes as -1: no letter, no case.
bool IsLetter(utf8proc_int32_t cp) {
  if (InTable(cp)) return kChars[static_cast<size_t>(cp)].flags & kLetter;
  return cp >= 0 && ComputeIsLetter(cp);
}

bool IsUpper(utf8proc_int32_t cp) {
  if (InTable(cp)) return kChars[static_cast<size_t>(cp)].flags & kUpper;
  return cp >= 0 && utf8proc_isupper(cp);
}

utf8proc_int32_t Lower(utf8proc_int32_t cp) {
  return cp < 0 ? cp : ComputeLower(cp);
}

// An apostrophe between letters belongs to the word: "don't", "it’s".
bool InnerApostrophe(std::string_view s, size_t i, const Codepoint& c) {
  return (c.cp == '\'' || c.cp == 0x2019) && i + c.len < s.size() &&
         IsLetter(Decode(s, i + c.len).cp);
}

// The two-byte character at `i`, or -1 when `i` does not start a valid one. Decode reads a
// two-byte sequence the same way, so both agree on which characters are in the table.
inline int TwoByteAt(std::string_view s, size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0xC2 || b > 0xDF || i + 1 >= s.size()) return -1;
  const auto next = static_cast<unsigned char>(s[i + 1]);
  if ((next & 0xC0) != 0x80) return -1;
  return ((b & 0x1F) << 6) | (next & 0x3F);
}

// Every field of a token is written, since Tokenize reuses tokens of earlier texts.
Token MakeToken(size_t begin, size_t end, std::string_view folded, Token::Kind kind) {
  Token t;
  t.span = {begin, end};
  t.folded = folded;
  t.kind = kind;
  return t;
}

bool IsEmoji(utf8proc_int32_t cp) {
  return (cp >= 0x1F300 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) || cp == 0x2764 ||
         cp == 0x2B50;
}

bool IsEmojiModifier(utf8proc_int32_t cp) {
  return cp == 0xFE0F || cp == 0x200D || (cp >= 0x1F3FB && cp <= 0x1F3FF);
}

// Emoticons people type, longest first so ":-((" wins over ":-(".
constexpr std::array<std::string_view, 40> kEmoticons = {
    ":-)))", ":-(((", ":)))", ":(((", ":-))", ":-((", ":'(", ":'-(", ":-)", ":-(",
    ":-D",   ":-P",   ":-/",  ";-)",  ":-]",  ":-*",  ":))", ":((",  ":)",  ":(",
    ":D",    ":P",    ":p",   ":/",   ":]",   ":*",   ";)",  ";D",   "<3",  "</3",
    ":|",    ":-|",   "xD",   "XD",   ":O",   ":o",   "=)",  "=(",   "=D",  "^^"};

size_t EmoticonAt(std::string_view s, size_t i) {
  for (auto e : kEmoticons) {
    if (e[0] != s[i] || s.compare(i, e.size(), e) != 0) continue;
    // ":/" inside a URL ("https://") is not a face.
    if (e == ":/" && i + 2 < s.size() && s[i + 2] == '/') continue;
    size_t end = i + e.size();
    if (end < s.size() && std::isalnum(static_cast<unsigned char>(s[end])) && e != "<3") continue;
    return e.size();
  }
  return 0;
}

// What the first byte of a token says it is.
enum class Lead : uint8_t {
  kSpace,       // ' ', '\t', '\r': between tokens
  kNewline,     // a token of its own, ending a clause
  kFace,        // may start an emoticon, else punctuation
  kFaceOrWord,  // 'x', 'X': may start an emoticon ("XD"), else a word
  kWord,        // an ASCII letter or digit
  kPunct,       // any other ASCII byte
  kTwoByte,     // may start a two-byte character: a letter or punctuation, never an emoji
  kOther,       // a longer character or an invalid byte: decoded in full
};

constexpr std::array<Lead, 256> kLeads = [] {
  std::array<Lead, 256> table{};
  for (int b = 0; b < 256; ++b) {
    Lead lead = b >= 0xC2 && b <= 0xDF ? Lead::kTwoByte : b >= 0x80 ? Lead::kOther : Lead::kPunct;
    if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9'))
      lead = Lead::kWord;
    if (b == 'x' || b == 'X') lead = Lead::kFaceOrWord;
    if (b == ':' || b == ';' || b == '<' || b == '=' || b == '^') lead = Lead::kFace;
    if (b == ' ' || b == '\t' || b == '\r') lead = Lead::kSpace;
    if (b == '\n') lead = Lead::kNewline;
    table[static_cast<size_t>(b)] = lead;
  }
  return table;
}();

// What an ASCII byte does inside a run of punctuation.
enum PunctFlag : uint8_t {
  kEndsRun = 1,       // a letter, digit, space, tab or line break
  kMayStartFace = 2,  // the run ends where an emoticon starts
  kExclamation = 4,
  kQuestion = 8,
  kBreaksClause = 16,
};

constexpr std::array<uint8_t, 128> kPunctFlags = [] {
  std::array<uint8_t, 128> table{};
  for (int b = 0; b < 128; ++b) {
    uint8_t f = 0;
    if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == ' ' ||
        b == '\n' || b == '\t')
      f |= kEndsRun;
    if (b == ':' || b == ';' || b == '<' || b == '=' || b == '^') f |= kMayStartFace;
    if (b == '!') f |= kExclamation;
    if (b == '?') f |= kQuestion;
    if (b == '.' || b == ',' || b == ';' || b == '!' || b == '?') f |= kBreaksClause;
    table[static_cast<size_t>(b)] = f;
  }
  return table;
}();

// A run of punctuation from `start`, which never ends it; returns the run's end. Characters
// other than ASCII and two-byte ones are rare here and decoded in full.
size_t ScanPunct(std::string_view s, size_t start, Token& t) {
  int exclamations = 0, questions = 0;
  bool clause_break = false;
  size_t i = start;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      const uint8_t f = kPunctFlags[b];
      if (f & kEndsRun) break;
      if ((f & kMayStartFace) && i > start && EmoticonAt(s, i)) break;
      exclamations += (f & kExclamation) != 0;
      questions += (f & kQuestion) != 0;
      clause_break |= (f & kBreaksClause) != 0;
      ++i;
      continue;
    }
    if (const int cp = TwoByteAt(s, i); cp >= 0) {
      if (kChars[static_cast<size_t>(cp)].flags & kLetter) break;
      i += 2;
      continue;
    }
    const Codepoint p = Decode(s, i);
    if (p.cp >= 0 && (IsLetter(p.cp) || IsEmoji(p.cp))) break;
    clause_break |= p.cp == 0x2026;
    i += p.len;
  }
  t.span = {start, i};
  t.folded = s.substr(start, i - start);
  t.exclamations = exclamations;
  t.questions = questions;
  t.kind = Token::Kind::kPunct;
  t.all_caps = t.capitalised = t.elongated = false;
  t.clause_break = clause_break;
  return i;
}

// What the ASCII bytes of 64 bytes of the text are, one bit per byte, and the bytes lower-cased.
// Words read their ASCII letters and digits from here, a run at a time: the bytes are classified
// sixteen at a time once, and a run costs a few bit operations wherever it ends.
struct Chunk {
  static constexpr size_t kSize = 64;
  size_t begin = std::string_view::npos;  // where in the text, a multiple of kSize
  uint64_t word = 0;                      // an ASCII letter or digit
  uint64_t letters = 0;
  uint64_t uppers = 0;
  // A letter that is the byte before again, which is the byte before it again: "sooo" has one.
  // Inside a word's run of ASCII this is exactly "a letter a third time in a row": the byte
  // before a run is no ASCII letter (a space, punctuation, an apostrophe, the end of a longer
  // character, or the "3" of "<3"), unless it is the same run cut by the chunk's edge, and the
  // bytes before the chunk are read for that.
  uint64_t thirds = 0;
  alignas(16) char lower[kSize + 16] = {};  // 16 more: words copy whole 16-byte blocks from here
};

// One bit per byte of 16 bytes at `p`, which are written lower-cased at `lower`.
struct BlockMasks {
  uint32_t word;     // an ASCII letter or digit
  uint32_t letters;  // an ASCII letter
  uint32_t uppers;
  uint32_t repeats;  // the byte before again (`p[-1]` is read)
};

inline BlockMasks ReadBlock(const char* p, char* lower) {
#if defined(__SSE2__)
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i before = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p - 1));
  const __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));  // bytes >= 0x80 stay negative
  const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(folded, _mm_set1_epi8('a' - 1)),
                                       _mm_cmplt_epi8(folded, _mm_set1_epi8('z' + 1)));
  const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                      _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
  const __m128i upper = _mm_and_si128(letter, _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(lower),
                   _mm_or_si128(v, _mm_and_si128(upper, _mm_set1_epi8(0x20))));
  return {static_cast<uint32_t>(_mm_movemask_epi8(_mm_or_si128(letter, digit))),
          static_cast<uint32_t>(_mm_movemask_epi8(letter)),
          static_cast<uint32_t>(_mm_movemask_epi8(upper)),
          static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, before)))};
#else
  BlockMasks m{};
  for (size_t k = 0; k < 16; ++k) {
    const auto b = static_cast<unsigned char>(p[k]);
    const uint8_t f = b < 0x80 ? kChars[b].flags : 0;
    m.word |= uint32_t{(f & (kLetter | kDigit)) != 0} << k;
    m.letters |= uint32_t{(f & kLetter) != 0} << k;
    m.uppers |= uint32_t{(f & kUpper) != 0} << k;
    m.repeats |= uint32_t{p[k] == p[static_cast<ptrdiff_t>(k) - 1]} << k;
    lower[k] = static_cast<char>(f & kUpper ? b + 32 : b);
  }
  return m;
#endif
}

void ReadChunk(std::string_view s, size_t begin, Chunk& c) {
  // `p[-2]` to `p[kSize - 1]` are read: at the edges of the text, from a copy padded with zeros,
  // which are neither letters nor digits.
  const char* p = s.data() + begin;
  alignas(16) char padded[2 + Chunk::kSize];
  if (begin < 2 || begin + Chunk::kSize > s.size()) {
    std::memset(padded, 0, sizeof padded);
    const size_t from = begin >= 2 ? begin - 2 : 0;
    const size_t to = std::min(s.size(), begin + Chunk::kSize);
    std::memcpy(padded + (from + 2 - begin), s.data() + from, to - from);
    p = padded + 2;
  }
  const BlockMasks m0 = ReadBlock(p, c.lower);
  const BlockMasks m1 = ReadBlock(p + 16, c.lower + 16);
  const BlockMasks m2 = ReadBlock(p + 32, c.lower + 32);
  const BlockMasks m3 = ReadBlock(p + 48, c.lower + 48);
  const auto join = [](uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
    return (uint64_t{a} | uint64_t{b} << 16) | (uint64_t{c} << 32 | uint64_t{d} << 48);
  };
  c.begin = begin;
  c.word = join(m0.word, m1.word, m2.word, m3.word);
  c.letters = join(m0.letters, m1.letters, m2.letters, m3.letters);
  c.uppers = join(m0.uppers, m1.uppers, m2.uppers, m3.uppers);
  const uint64_t repeats = join(m0.repeats, m1.repeats, m2.repeats, m3.repeats);
  c.thirds = c.letters & repeats & ((repeats << 1) | (p[-1] == p[-2] ? 1u : 0u));
}

// Whether `word`, whose letters are all upper case, has two or more: "OK" is all caps, "I" and
// "3D" are not. Rare enough to read again.
bool TwoOrMoreLetters(std::string_view word) {
  int letters = 0;
  for (size_t i = 0; i < word.size() && letters < 2;) {
    const Codepoint c = Decode(word, i);
    letters += IsLetter(c.cp);
    i += c.len;
  }
  return letters >= 2;
}

// A word or number from `start`, which holds a letter or digit; returns its end. Writes its lower
// case at `lower` as it reads and sets `*lower_length` when that differs from the text; most words
// are already lower case, their token points into the text and what was written is dropped.
//
// What the token needs is gathered as CharFlags OR-ed together: whether any letter is upper
// case, any is not, any changes when lower-cased, any is a third in a row. The word has a letter
// when it has one of the first two; it is all caps when it has no letter that is not upper case
// and two or more letters. Runs of ASCII are marked in `ascii`, bits of the current chunk, and
// their flags read from the chunk's masks at once. Tokenize has read the word's first run of
// ASCII, if any: up to `i`, with bits `ascii`.
size_t ScanWord(std::string_view s, size_t start, size_t i, uint64_t ascii, Chunk& chunk,
                char* lower, size_t* lower_length, Token& t) {
  const size_t n = s.size();
  char* out = lower;
  for (size_t copied = 0; copied < i - start; copied += 16)
    std::memcpy(out + copied, chunk.lower + (start - chunk.begin) + copied, 16);
  out += i - start;
  uint32_t flags = 0;
  const auto flush_ascii = [&] {
    if (chunk.uppers & ascii) flags |= kUpper | kChanged;
    if ((chunk.letters ^ chunk.uppers) & ascii) flags |= kNotUpper;
    if (chunk.thirds & ascii) flags |= kElongated;
    ascii = 0;
  };
  // For characters other than ASCII: the last one, and whether it repeated the one before.
  utf8proc_int32_t previous = -1;
  uint32_t repeated = 0;
  while (i < n) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      if (!(kChars[b].flags & (kLetter | kDigit))) {
        if (b != '\'') break;
      } else {
        if (const size_t begin = i & ~(Chunk::kSize - 1); begin != chunk.begin) {
          flush_ascii();
          ReadChunk(s, begin, chunk);
        }
        const size_t k = i - chunk.begin;
        const auto length = static_cast<size_t>(std::countr_zero(~(chunk.word >> k)));  // >= 1
        ascii |= (~uint64_t{0} >> (Chunk::kSize - length)) << k;
        for (size_t copied = 0; copied < length; copied += 16)
          std::memcpy(out + copied, chunk.lower + k + copied, 16);
        out += length;
        i += length;
        // What follows is not ASCII, so it does not repeat the run's last letter; or it is the
        // same run in the next chunk, where `thirds` carries on.
        previous = -1;
        continue;
      }
    }
    // Two-byte letters (Polish, Cyrillic, German) stay on this fast path: one lookup each.
    if (const int cp = TwoByteAt(s, i); cp >= 0) {
      const CharInfo& c = kChars[static_cast<size_t>(cp)];
      if (!(c.flags & kLetter)) break;  // no two-byte character is a digit or an apostrophe
      flags |= c.flags;
      if (cp == previous) [[unlikely]] {
        if (repeated) flags |= kElongated;
        repeated = 1;
      } else {
        repeated = 0;
        previous = cp;
      }
      std::memcpy(out, c.lower, sizeof c.lower);
      out += c.lower_length;
      i += 2;
      continue;
    }
    // An apostrophe, a longer character or an invalid byte.
    const Codepoint w = Decode(s, i);
    const bool letter = IsLetter(w.cp);
    if (letter) {
      const utf8proc_int32_t lower_cp = Lower(w.cp);
      flags |= (IsUpper(w.cp) ? kUpper : kNotUpper) | (lower_cp != w.cp ? kChanged : 0);
      out += EncodeUtf8(lower_cp, out);
    } else if (InnerApostrophe(s, i, w)) {  // i > start: the word starts with a letter or digit
      if (w.cp != '\'') flags |= kChanged;
      *out++ = '\'';
    } else {
      break;
    }
    const uint32_t same = w.cp == previous;
    if (same & repeated & letter) flags |= kElongated;
    repeated = same;
    previous = w.cp;
    i += w.len;
  }
  flush_ascii();
  const std::string_view word(s.data() + start, i - start);
  const bool changed = flags & kChanged;
  const bool all_caps = (flags & (kUpper | kNotUpper)) == kUpper && TwoOrMoreLetters(word);
  t.span = {start, i};
  t.folded = changed ? std::string_view(lower, static_cast<size_t>(out - lower)) : word;
  t.exclamations = 0;
  t.questions = 0;
  t.kind = (flags & (kUpper | kNotUpper)) ? Token::Kind::kWord : Token::Kind::kNumber;
  t.all_caps = all_caps;
  t.capitalised = !all_caps && (flags & kUpper) && IsUpper(Decode(s, start).cp);
  t.elongated = flags & kElongated;
  t.clause_break = false;
  *lower_length = changed ? static_cast<size_t>(out - lower) : 0;
  return i;
}

}  // namespace

// One pass, left to right; the first byte of each token says what it is (kLeads). Words of
// ASCII in lower case, the most common token, are read straight from a Chunk's masks; other
// words go through ScanWord, which reads their ASCII runs from the same masks and two-byte
// letters from kChars; everything else is rare enough to be decoded in full.
void Tokenize(std::string_view s, std::vector<Token>* out, std::string* folded) {
  // Tokens are written through a pointer into a vector sized ahead, and `folded` is sized for
  // the worst case, so neither grows per token; both are cut to what was written at the end.
  // A lower-cased character takes at most twice its bytes; words write up to 16 bytes past
  // their end.
  folded->resize(2 * s.size() + 16 + sizeof(CharInfo::lower));
  char* const fold = folded->data();  // the views into it stay valid: it never reallocates
  size_t folded_size = 0;
  if (out->size() < s.size() / 5 + 16) out->resize(s.size() / 5 + 16);
  Token* tokens = out->data();
  size_t room = out->size(), count = 0;
  auto next = [&]() -> Token& {
    if (count == room) [[unlikely]] {
      out->resize(2 * room);
      tokens = out->data();
      room = out->size();
    }
    return tokens[count++];
  };

  Chunk chunk;
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    bool word = false;
    size_t ascii_end = i;  // the end and bits of the word's first ASCII run, when read here
    uint64_t ascii = 0;
    if (kLeads[b] == Lead::kWord) {
      // Most words are ASCII letters and digits in lower case, followed by ASCII that is not an
      // apostrophe (or by the end of the text): all ScanWord would find is read from the chunk's
      // masks here. A run cut by the chunk's edge may go on, so ScanWord takes it over.
      if (const size_t begin = i & ~(Chunk::kSize - 1); begin != chunk.begin)
        ReadChunk(s, begin, chunk);
      const size_t k = i - chunk.begin;
      const auto length = static_cast<size_t>(std::countr_zero(~(chunk.word >> k)));  // >= 1
      const uint64_t in = (~uint64_t{0} >> (Chunk::kSize - length)) << k;
      const size_t end = i + length;
      if ((chunk.uppers & in) == 0 &&
          (end == s.size() || (k + length < Chunk::kSize &&
                               static_cast<unsigned char>(s[end]) < 0x80 && s[end] != '\''))) {
        Token& t = next();
        t.span = {i, end};
        t.folded = std::string_view(s.data() + i, length);
        t.exclamations = 0;
        t.questions = 0;
        t.kind = (chunk.letters & in) ? Token::Kind::kWord : Token::Kind::kNumber;
        t.all_caps = false;  // no upper-case letter
        t.capitalised = false;
        t.elongated = (chunk.thirds & in) != 0;
        t.clause_break = false;
        i = end;
        if (i < s.size() && s[i] == ' ') ++i;
        continue;
      }
      ascii_end = end;
      ascii = in;
    }
    switch (kLeads[b]) {
      case Lead::kSpace:
        ++i;
        continue;
      case Lead::kNewline: {
        Token& t = next();
        t = MakeToken(i, i + 1, {}, Token::Kind::kPunct);
        t.clause_break = true;
        ++i;
        continue;
      }
      case Lead::kFace:
      case Lead::kFaceOrWord:
        if (const size_t n = EmoticonAt(s, i)) {
          // Folded like words, so ":D" and "XD" find the lexicon's ":d" and "xd".
          for (size_t k = 0; k < n; ++k) {
            fold[folded_size + k] =
                static_cast<char>(std::tolower(static_cast<unsigned char>(s[i + k])));
          }
          next() =
              MakeToken(i, i + n, std::string_view(fold + folded_size, n), Token::Kind::kEmoticon);
          folded_size += n;
          i += n;
          continue;
        }
        word = kLeads[b] == Lead::kFaceOrWord;
        break;
      case Lead::kWord:
        word = true;
        break;
      case Lead::kPunct:
        break;
      case Lead::kTwoByte: {
        const int cp = TwoByteAt(s, i);
        word = cp >= 0 && (kChars[static_cast<size_t>(cp)].flags & kLetter);
        break;
      }
      case Lead::kOther: {
        const Codepoint c = Decode(s, i);
        if (c.cp >= 0 && IsEmoji(c.cp)) {
          size_t end = i + c.len;
          while (end < s.size()) {
            const Codepoint next_cp = Decode(s, end);
            if (!IsEmojiModifier(next_cp.cp)) break;
            end += next_cp.len;
          }
          // Modifiers do not change the feeling.
          next() = MakeToken(i, end, s.substr(i, c.len), Token::Kind::kEmoji);
          i = end;
          continue;
        }
        word = IsLetter(c.cp);
        break;
      }
    }
    if (word) {
      size_t lower_length;
      i = ScanWord(s, i, ascii_end, ascii, chunk, fold + folded_size, &lower_length, next());
      folded_size += lower_length;
      // Most words end at a space: skip it here rather than by another turn of the loop.
      if (i < s.size() && s[i] == ' ') ++i;
    } else {
      // Punctuation: one token per run, counting what matters for emphasis.
      i = ScanPunct(s, i, next());
    }
  }
  out->resize(count);
  folded->resize(folded_size);
}

std::vector<std::string> ElongationVariants(std::string_view word) {
  std::string two, one;
  std::string_view previous;
  size_t run = 0;
  for (size_t i = 0; i < word.size();) {
    size_t len = 1;
    const auto b = static_cast<unsigned char>(word[i]);
    if (b >= 0xF0)
      len = 4;
    else if (b >= 0xE0)
      len = 3;
    else if (b >= 0xC0)
      len = 2;
    std::string_view ch(word.data() + i, std::min(len, word.size() - i));
    run = ch == previous ? run + 1 : 1;
    if (run <= 2) two.append(ch);
    if (run <= 1) one.append(ch);
    previous = ch;
    i += ch.size();
  }
  std::vector<std::string> out;
  if (two != word) out.push_back(two);
  if (one != two) out.push_back(one);
  return out;
}

}  // namespace earshot
