#include "classifiers/text/tokenizer.h"

#include <utf8proc.h>

#include <array>
#include <bit>
#include <cctype>

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
struct CharClass {
  utf8proc_int32_t lower = 0;
  bool letter = false;
  bool upper = false;
};
constexpr utf8proc_int32_t kTableSize = 0x800;

const std::array<CharClass, kTableSize> kCharClasses = [] {
  std::array<CharClass, kTableSize> table;
  for (utf8proc_int32_t cp = 0; cp < kTableSize; ++cp) {
    table[static_cast<size_t>(cp)] = {
        ComputeLower(cp), ComputeIsLetter(cp),
        cp < 0x80 ? cp >= 'A' && cp <= 'Z' : utf8proc_isupper(cp) != 0};
  }
  return table;
}();

bool InTable(utf8proc_int32_t cp) {
  return static_cast<uint32_t>(cp) < static_cast<uint32_t>(kTableSize);
}

// An invalid byte decodes as -1: no letter, no case.
bool IsLetter(utf8proc_int32_t cp) {
  if (InTable(cp)) return kCharClasses[static_cast<size_t>(cp)].letter;
  return cp >= 0 && ComputeIsLetter(cp);
}

bool IsUpper(utf8proc_int32_t cp) {
  if (InTable(cp)) return kCharClasses[static_cast<size_t>(cp)].upper;
  return cp >= 0 && utf8proc_isupper(cp);
}

utf8proc_int32_t Lower(utf8proc_int32_t cp) {
  if (InTable(cp)) return kCharClasses[static_cast<size_t>(cp)].lower;
  return cp < 0 ? cp : ComputeLower(cp);
}

bool IsDigit(utf8proc_int32_t cp) {
  return cp >= '0' && cp <= '9';
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

// Returns whether the lower case differs from `cp`.
bool AppendLower(utf8proc_int32_t cp, std::string* out) {
  const utf8proc_int32_t lower = Lower(cp);
  if (lower < 0x80) {
    out->push_back(static_cast<char>(lower));
  } else if (lower < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (lower >> 6)));
    out->push_back(static_cast<char>(0x80 | (lower & 0x3F)));
  } else {
    utf8proc_uint8_t buf[4];
    auto n = utf8proc_encode_char(lower, buf);
    out->append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
  }
  return lower != cp;
}

// An apostrophe between letters belongs to the word: "don't", "it’s".
bool InnerApostrophe(std::string_view s, size_t i, const Codepoint& c) {
  return (c.cp == '\'' || c.cp == 0x2019) && i + c.len < s.size() &&
         IsLetter(Decode(s, i + c.len).cp);
}

// Writes the lower case of `word`, a word ScanWord found, with "’" as "'".
void AppendFolded(std::string_view word, std::string* folded) {
  for (size_t i = 0; i < word.size();) {
    const auto b = static_cast<unsigned char>(word[i]);
    if (b < 0x80) {
      folded->push_back(static_cast<char>(b >= 'A' && b <= 'Z' ? b + 32 : b));
      ++i;
      continue;
    }
    const Codepoint c = Decode(word, i);
    if (c.cp == 0x2019)
      folded->push_back('\'');
    else
      AppendLower(c.cp, folded);
    i += c.len;
  }
}

// What the ASCII letters and digits at the start of a block add to a word.
struct AsciiRun {
  size_t length = 0;
  int letters = 0;
  int uppers = 0;
  bool elongated = false;  // a letter a third time in a row, counting the run before the block
  int run = 0;             // how many times the last byte repeats, counting the run before
};

constexpr size_t kAsciiBlock = 16;

// The bits set in a block's mask. std::popcount is a library call unless the target has a
// popcount instruction, which the x86-64 baseline does not.
int BitsSet(uint32_t mask) {
  mask = mask - ((mask >> 1) & 0x5555);
  mask = (mask & 0x3333) + ((mask >> 2) & 0x3333);
  mask = (mask + (mask >> 4)) & 0x0F0F;
  return static_cast<int>((mask + (mask >> 8)) & 0x1F);
}

// Reads kAsciiBlock bytes at `p` at once: a word's bytes one by one cost a mispredicted branch
// where the word ends, sixteen at once find the end by counting bits. `previous` is the
// character before `p` in the word (-1 at its start) and `run` how often it repeats.
AsciiRun ReadAsciiRun(const char* p, utf8proc_int32_t previous, int run) {
  AsciiRun r;
#if defined(__SSE2__)
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));  // bytes >= 0x80 stay negative
  const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(folded, _mm_set1_epi8('a' - 1)),
                                       _mm_cmplt_epi8(folded, _mm_set1_epi8('z' + 1)));
  const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                      _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
  const __m128i upper = _mm_and_si128(letter, _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
  const auto word = static_cast<uint32_t>(_mm_movemask_epi8(_mm_or_si128(letter, digit)));
  const auto letters = static_cast<uint32_t>(_mm_movemask_epi8(letter));
  const auto uppers = static_cast<uint32_t>(_mm_movemask_epi8(upper));
  // Bit k: byte k repeats byte k - 1.
  const auto repeats =
      static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_slli_si128(v, 1))));
#else
  uint32_t word = 0, letters = 0, uppers = 0, repeats = 0;
  for (size_t k = 0; k < kAsciiBlock; ++k) {
    const auto b = static_cast<unsigned char>(p[k]);
    const bool is_upper = b >= 'A' && b <= 'Z';
    const bool is_letter = is_upper || (b >= 'a' && b <= 'z');
    word |= uint32_t{is_letter || IsDigit(b)} << k;
    letters |= uint32_t{is_letter} << k;
    uppers |= uint32_t{is_upper} << k;
    repeats |= uint32_t{k > 0 && p[k] == p[k - 1]} << k;
  }
#endif
  r.length = static_cast<size_t>(std::countr_zero(~word));
  if (r.length == 0) return r;
  const uint32_t in = (uint32_t{1} << r.length) - 1;
  const uint32_t same =
      ((repeats & ~uint32_t{1}) | (static_cast<unsigned char>(p[0]) == previous ? 1u : 0u)) & in;
  r.letters = BitsSet(letters & in);
  r.uppers = BitsSet(uppers & in);
  // A third in a row: this byte repeats the one before, which repeated the one before it.
  const uint32_t third = same & ((same << 1) | (run >= 2 ? 1u : 0u));
  r.elongated = (third & letters) != 0;
  const uint32_t restarts = ~same & in;
  r.run = restarts == 0 ? run + static_cast<int>(r.length)
                        : static_cast<int>(r.length) - (std::bit_width(restarts) - 1);
  return r;
}

// A word or number from `i`, which holds a letter or digit; `i` ends after it. Most words are
// already lower case: they are only read, and their token points into the text.
void ScanWord(std::string_view s, size_t& i, std::string* folded, Token& t) {
  const size_t start = i;
  t.kind = IsDigit(Decode(s, i).cp) ? Token::Kind::kNumber : Token::Kind::kWord;
  int letters = 0, uppers = 0, run = 0;
  utf8proc_int32_t previous = -1;
  bool changed = false;
  while (i < s.size()) {
    if (const auto b = static_cast<unsigned char>(s[i]); b < 0x80 && b != '\'') {
      if (i + kAsciiBlock <= s.size()) {
        const AsciiRun r = ReadAsciiRun(s.data() + i, previous, run);
        if (r.length == 0) break;
        letters += r.letters;
        uppers += r.uppers;
        changed |= r.uppers > 0;
        t.elongated |= r.elongated;
        run = r.run;
        previous = static_cast<unsigned char>(s[i + r.length - 1]);
        i += r.length;
        continue;
      }
      const bool upper = b >= 'A' && b <= 'Z';
      const bool letter = upper || (b >= 'a' && b <= 'z');
      if (!letter && !IsDigit(b)) break;
      letters += letter;
      uppers += upper;
      changed |= upper;
      run = (b == previous) ? run + 1 : 1;
      if (run >= 3 && letter) t.elongated = true;
      previous = b;
      ++i;
      continue;
    }
    const Codepoint w = Decode(s, i);
    const bool letter = IsLetter(w.cp);
    if (letter || IsDigit(w.cp)) {
      if (letter) {
        ++letters;
        if (IsUpper(w.cp)) ++uppers;
      }
      changed |= Lower(w.cp) != w.cp;
    } else if (i > start && InnerApostrophe(s, i, w)) {
      changed |= w.cp != '\'';
    } else {
      break;
    }
    run = (w.cp == previous) ? run + 1 : 1;
    if (run >= 3 && letter) t.elongated = true;
    previous = w.cp;
    i += w.len;
  }
  if (letters > 0) t.kind = Token::Kind::kWord;
  t.all_caps = letters >= 2 && uppers == letters;
  t.capitalised = !t.all_caps && uppers > 0 && IsUpper(Decode(s, start).cp);
  t.span = {start, i};
  t.folded = s.substr(start, i - start);
  if (changed) {
    const size_t folded_start = folded->size();
    AppendFolded(t.folded, folded);
    t.folded = std::string_view(*folded).substr(folded_start);
  }
}

}  // namespace

void Tokenize(std::string_view s, std::vector<Token>* out, std::string* folded) {
  std::vector<Token>& tokens = *out;
  tokens.clear();
  tokens.reserve(s.size() / 4 + 1);
  folded->clear();
  // A lower-cased character takes at most twice the bytes it had, so `folded` never reallocates
  // and the views into it stay valid.
  folded->reserve(2 * s.size());
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char b = static_cast<unsigned char>(s[i]);
    if (b == ' ' || b == '\t' || b == '\r') {
      ++i;
      continue;
    }
    if (b == '\n') {
      Token& t = tokens.emplace_back();
      t.kind = Token::Kind::kPunct;
      t.span = {i, i + 1};
      t.clause_break = true;
      ++i;
      continue;
    }
    if (size_t n =
            (b == ':' || b == ';' || b == '<' || b == 'x' || b == 'X' || b == '=' || b == '^')
                ? EmoticonAt(s, i)
                : 0) {
      Token& t = tokens.emplace_back();
      t.kind = Token::Kind::kEmoticon;
      t.span = {i, i + n};
      // Folded like words, so ":D" and "XD" find the lexicon's ":d" and "xd"; `folded` has
      // room reserved for the whole text, so earlier tokens' views stay valid.
      const size_t folded_start = folded->size();
      for (char ch : s.substr(i, n))
        folded->push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
      t.folded = std::string_view(*folded).substr(folded_start);
      i += n;
      continue;
    }
    Codepoint c = Decode(s, i);
    if (c.cp >= 0 && IsEmoji(c.cp)) {
      Token& t = tokens.emplace_back();
      t.kind = Token::Kind::kEmoji;
      size_t end = i + c.len;
      while (end < s.size()) {
        Codepoint next = Decode(s, end);
        if (!IsEmojiModifier(next.cp)) break;
        end += next.len;
      }
      t.span = {i, end};
      t.folded = s.substr(i, c.len);  // modifiers do not change the feeling
      i = end;
      continue;
    }
    if (c.cp >= 0 && (IsLetter(c.cp) || IsDigit(c.cp))) {
      ScanWord(s, i, folded, tokens.emplace_back());
      continue;
    }
    // Punctuation: one token per run, counting what matters for emphasis.
    Token& t = tokens.emplace_back();
    t.kind = Token::Kind::kPunct;
    size_t start = i;
    while (i < s.size()) {
      Codepoint p = Decode(s, i);
      if (p.cp >= 0 && (IsLetter(p.cp) || IsDigit(p.cp) || IsEmoji(p.cp) || p.cp == ' ' ||
                        p.cp == '\n' || p.cp == '\t')) {
        break;
      }
      if ((p.cp == ':' || p.cp == ';' || p.cp == '<' || p.cp == '=' || p.cp == '^') && i > start &&
          EmoticonAt(s, i)) {
        break;
      }
      if (p.cp == '!') ++t.exclamations;
      if (p.cp == '?') ++t.questions;
      if (p.cp == '.' || p.cp == ',' || p.cp == ';' || p.cp == '!' || p.cp == '?' ||
          p.cp == 0x2026) {
        t.clause_break = true;
      }
      i += p.len;
    }
    t.span = {start, i};
    t.folded = s.substr(start, i - start);
  }
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
