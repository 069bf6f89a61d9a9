#include "connectors/keyword_filter.h"

#include <utf8proc.h>

#include "core/utf8.h"

namespace earshot {
namespace {

constexpr size_t kInflectionMinLetters = 4;
constexpr size_t kInflectionMaxExtra = 3;

struct Token {
  std::string_view text;
  char prefix;
};

bool IsWordCodepoint(utf8proc_int32_t cp) {
  if (cp >= '0' && cp <= '9') return true;
  if (cp == '_') return true;
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  if (IsLetterOrMark(cp)) return true;
  const auto category = utf8proc_category(cp);
  return category == UTF8PROC_CATEGORY_ND || category == UTF8PROC_CATEGORY_NL ||
         category == UTF8PROC_CATEGORY_NO;
}

// Splits folded text into words; '@' or '#' right before a word is kept as its prefix.
std::vector<Token> Tokenize(std::string_view s) {
  std::vector<Token> tokens;
  size_t i = 0, start = std::string_view::npos;
  char prefix = 0;
  while (i <= s.size()) {
    utf8proc_int32_t cp = -1;
    utf8proc_ssize_t len = 1;
    if (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) {
      cp = static_cast<unsigned char>(s[i]);
    } else if (i < s.size()) {
      len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                             static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
      if (len < 1) len = 1;
    }
    bool word = cp >= 0 && IsWordCodepoint(cp);
    if (word && start == std::string_view::npos) {
      start = i;
      prefix = (i > 0 && (s[i - 1] == '@' || s[i - 1] == '#')) ? s[i - 1] : 0;
    } else if (!word && start != std::string_view::npos) {
      tokens.push_back({s.substr(start, i - start), prefix});
      start = std::string_view::npos;
    }
    i += static_cast<size_t>(len);
  }
  return tokens;
}

// Lower case, with an ASCII fast path: this runs on every mention of every source. Terms go
// through the same function, so both sides agree (simple case mapping, no normalisation).
std::string Lower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      out.push_back(static_cast<char>(b >= 'A' && b <= 'Z' ? b + 32 : b));
      ++i;
      continue;
    }
    utf8proc_int32_t cp = -1;
    auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                              static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    utf8proc_uint8_t buf[4];
    auto len = utf8proc_encode_char(utf8proc_tolower(cp), buf);
    out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(len));
    i += static_cast<size_t>(n);
  }
  return out;
}

size_t CountCodepoints(std::string_view s) {
  size_t n = 0;
  for (char c : s)
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

Result<KeywordFilter::Term> KeywordFilter::ParseTerm(const std::string& raw) {
  Term term;
  std::string folded = Lower(raw);
  size_t i = 0;
  while (i < folded.size()) {
    while (i < folded.size() && folded[i] == ' ')
      ++i;
    size_t end = folded.find(' ', i);
    if (end == std::string::npos) end = folded.size();
    std::string piece = folded.substr(i, end - i);
    i = end;
    if (piece.empty()) continue;
    Word w;
    if (piece.front() == '@' || piece.front() == '#') {
      w.prefix = piece.front();
      piece.erase(0, 1);
    }
    if (!piece.empty() && piece.back() == '*') {
      w.wildcard = true;
      piece.pop_back();
    }
    // Punctuation inside a term ("t-mobile") is matched as the words around it.
    for (const auto& token : Tokenize(piece)) {
      Word part = w;
      part.text = std::string(token.text);
      term.push_back(part);
      w.prefix = 0;
    }
    if (!term.empty() && w.wildcard) term.back().wildcard = true;
  }
  if (term.empty())
    return Status::InvalidArgument("keyword '" + raw + "' has no letters or digits");
  return term;
}

Result<KeywordFilter> KeywordFilter::Create(std::vector<std::string> include,
                                            std::vector<std::string> exclude) {
  KeywordFilter filter;
  for (const auto& raw : include) {
    auto term = ParseTerm(raw);
    if (!term.ok()) return term.status();
    filter.include_.push_back(std::move(term).value());
  }
  for (const auto& raw : exclude) {
    auto term = ParseTerm(raw);
    if (!term.ok()) return term.status();
    filter.exclude_.push_back(std::move(term).value());
  }
  return filter;
}

namespace {

// Slavic nouns swap their final vowel when inflected (żabka -> żabki, Вольтвейва <- -а):
// the stem of a longer word drops a final vowel before the ending is allowed.
size_t StemLength(const std::string& word) {
  static constexpr std::string_view kFinalVowels[] = {"a", "e", "o", "y", "i", "u", "ą", "ę",
                                                      "а", "я", "о", "е", "ы", "и", "ь", "й"};
  if (CountCodepoints(word) < kInflectionMinLetters + 1) return word.size();
  for (std::string_view v : kFinalVowels) {
    if (word.size() > v.size() && word.compare(word.size() - v.size(), v.size(), v) == 0) {
      return word.size() - v.size();
    }
  }
  return word.size();
}

bool WordMatches(const std::string& word, bool wildcard, char prefix, const Token& token) {
  if (prefix && token.prefix != prefix) return false;
  if (token.text == word) return true;
  if (wildcard) return token.text.compare(0, word.size(), word) == 0;
  if (CountCodepoints(word) < kInflectionMinLetters) return false;
  const size_t stem = StemLength(word);
  return token.text.size() > stem && token.text.compare(0, stem, word, 0, stem) == 0 &&
         CountCodepoints(token.text.substr(stem)) <= kInflectionMaxExtra;
}

}  // namespace

bool KeywordFilter::Accepts(const Mention& mention) const {
  if (include_.empty() && exclude_.empty()) return true;
  std::string folded = Lower(mention.title);
  folded += '\n';
  folded += Lower(mention.text);
  const std::vector<Token> tokens = Tokenize(folded);
  auto found = [&](const Term& term) {
    for (size_t start = 0; start + term.size() <= tokens.size(); ++start) {
      bool all = true;
      for (size_t k = 0; k < term.size() && all; ++k) {
        all = WordMatches(term[k].text, term[k].wildcard, term[k].prefix, tokens[start + k]);
      }
      if (all) return true;
    }
    return false;
  };
  for (const auto& term : exclude_) {
    if (found(term)) return false;
  }
  if (include_.empty()) return true;
  for (const auto& term : include_) {
    if (found(term)) return true;
  }
  return false;
}

}  // namespace earshot
