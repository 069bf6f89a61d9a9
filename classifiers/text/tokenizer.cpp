#include "classifiers/text/tokenizer.h"

#include <utf8proc.h>

#include <array>
#include <cctype>

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

// Latin-1, Latin Extended-A and Cyrillic hold nearly every letter of en, ru, pl and de: they are
// classified and lower-cased inline; everything else asks utf8proc.
bool IsLetter(utf8proc_int32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  if (cp >= 0xC0 && cp <= 0x17F) return cp != 0xD7 && cp != 0xF7;
  if (cp >= 0x400 && cp <= 0x4FF) return cp < 0x482 || cp > 0x489;
  return IsLetterOrMark(cp);
}

bool IsUpper(utf8proc_int32_t cp) {
  if (cp < 0x80) return cp >= 'A' && cp <= 'Z';
  if (cp >= 0x410 && cp <= 0x42F) return true;
  if (cp >= 0x430 && cp <= 0x45F) return false;
  return utf8proc_isupper(cp);
}

utf8proc_int32_t Lower(utf8proc_int32_t cp) {
  if (cp < 0x80) return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
  if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;
  if (cp >= 0x430 && cp <= 0x45F) return cp;
  if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 0x20;
  if (cp >= 0xDF && cp <= 0xFF) return cp;
  if (cp == 0x1E9E) return 0xDF;  // capital sharp s
  return utf8proc_tolower(cp);
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

// A word or number from `i`, which holds a letter or digit; `i` ends after it.
Token ScanWord(std::string_view s, size_t& i, std::string* folded) {
  Token t;
  const size_t start = i, folded_start = folded->size();
  t.kind = IsDigit(Decode(s, i).cp) ? Token::Kind::kNumber : Token::Kind::kWord;
  int letters = 0, uppers = 0, run = 0;
  utf8proc_int32_t previous = -1;
  bool changed = false;
  while (i < s.size()) {
    // Most words are ASCII: their letters and digits are handled here.
    if (const auto b = static_cast<unsigned char>(s[i]); b < 0x80 && b != '\'') {
      const bool upper = b >= 'A' && b <= 'Z';
      const bool letter = upper || (b >= 'a' && b <= 'z');
      if (!letter && !IsDigit(b)) break;
      letters += letter;
      uppers += upper;
      folded->push_back(static_cast<char>(upper ? b + 32 : b));
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
      changed |= AppendLower(w.cp, folded);
    } else if (i > start && InnerApostrophe(s, i, w)) {
      folded->push_back('\'');
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
  if (changed) {
    t.folded = std::string_view(*folded).substr(folded_start);
  } else {
    folded->resize(folded_start);  // already lower case: point into the text
    t.folded = s.substr(start, i - start);
  }
  return t;
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
      Token t;
      t.kind = Token::Kind::kPunct;
      t.span = {i, i + 1};
      t.clause_break = true;
      tokens.push_back(std::move(t));
      ++i;
      continue;
    }
    if (size_t n =
            (b == ':' || b == ';' || b == '<' || b == 'x' || b == 'X' || b == '=' || b == '^')
                ? EmoticonAt(s, i)
                : 0) {
      Token t;
      t.kind = Token::Kind::kEmoticon;
      t.span = {i, i + n};
      // Folded like words, so ":D" and "XD" find the lexicon's ":d" and "xd"; `folded` has
      // room reserved for the whole text, so earlier tokens' views stay valid.
      const size_t folded_start = folded->size();
      for (char ch : s.substr(i, n))
        folded->push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
      t.folded = std::string_view(*folded).substr(folded_start);
      tokens.push_back(std::move(t));
      i += n;
      continue;
    }
    Codepoint c = Decode(s, i);
    if (c.cp >= 0 && IsEmoji(c.cp)) {
      Token t;
      t.kind = Token::Kind::kEmoji;
      size_t end = i + c.len;
      while (end < s.size()) {
        Codepoint next = Decode(s, end);
        if (!IsEmojiModifier(next.cp)) break;
        end += next.len;
      }
      t.span = {i, end};
      t.folded = s.substr(i, c.len);  // modifiers do not change the feeling
      tokens.push_back(std::move(t));
      i = end;
      continue;
    }
    if (c.cp >= 0 && (IsLetter(c.cp) || IsDigit(c.cp))) {
      tokens.push_back(ScanWord(s, i, folded));
      continue;
    }
    // Punctuation: one token per run, counting what matters for emphasis.
    Token t;
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
    tokens.push_back(t);
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
