#include "classifiers/language/language_detector.h"

#include <cld2/public/compact_lang_det.h>
#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace earshot {
namespace {

constexpr std::array<std::string_view, 24> kEnglish = {
    "the",  "and", "is",   "are", "was",   "my",   "you",  "your", "this", "that", "not",  "with",
    "have", "for", "it's", "i'm", "don't", "what", "just", "they", "been", "from", "will", "it"};
constexpr std::array<std::string_view, 24> kPolish = {
    "nie",    "jest", "się",  "że",     "na",    "to",  "jak", "ale", "co",   "tak", "już", "mnie",
    "jestem", "był",  "była", "bardzo", "tylko", "czy", "dla", "ten", "tego", "mam", "po",  "od"};
constexpr std::array<std::string_view, 24> kGerman = {
    "und", "ist", "nicht", "der", "die",  "das", "ich", "mit",  "ein",   "eine", "zu",   "auf",
    "den", "von", "sich",  "es",  "auch", "wir", "sie", "mein", "meine", "bei",  "noch", "wie"};

template <size_t N>
int Count(const std::array<std::string_view, N>& words, std::string_view word) {
  for (auto w : words) {
    if (w == word) return 1;
  }
  return 0;
}

}  // namespace

LanguageGuess DetectLanguage(std::string_view text) {
  int cyrillic = 0, latin = 0, polish_letters = 0, german_letters = 0, ukrainian_letters = 0;
  int en = 0, pl = 0, de = 0;
  std::string word;
  auto finish_word = [&] {
    if (word.empty()) return;
    en += Count(kEnglish, word);
    pl += Count(kPolish, word);
    de += Count(kGerman, word);
    word.clear();
  };
  for (size_t i = 0; i < text.size();) {
    utf8proc_int32_t cp = -1;
    auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
                              static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
    i += n > 0 ? static_cast<size_t>(n) : 1;
    if (cp < 0) continue;
    const utf8proc_int32_t lower = utf8proc_tolower(cp);
    if ((lower >= 'a' && lower <= 'z')) {
      ++latin;
    } else if (lower >= 0x430 && lower <= 0x45F) {
      ++cyrillic;
      if (lower == 0x456 || lower == 0x457 || lower == 0x454) ++ukrainian_letters;
    } else if (lower == 0x491) {
      ++ukrainian_letters;
    } else if (lower == 0x105 || lower == 0x107 || lower == 0x119 || lower == 0x142 ||
               lower == 0x144 || lower == 0x15B || lower == 0x17A || lower == 0x17C) {
      ++polish_letters;
      ++latin;
    } else if (lower == 0xE4 || lower == 0xF6 || lower == 0xFC || lower == 0xDF) {
      ++german_letters;
      ++latin;
    } else if (lower == 0xF3) {
      ++latin;  // ó is Polish too, but also Spanish: no vote
    }
    const bool letter = (lower >= 'a' && lower <= 'z') || lower >= 0xC0 || lower == '\'';
    if (letter && lower < 0x250) {
      utf8proc_uint8_t buf[4];
      auto len = utf8proc_encode_char(lower, buf);
      word.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(len));
    } else {
      finish_word();
    }
  }
  finish_word();

  if (cyrillic > latin) {
    if (ukrainian_letters > 0) return {"other", 0.8, "letters"};
    return {"ru", 0.95, "script"};
  }
  if (latin == 0) return {"other", 0.5, "script"};
  if (polish_letters > 0 && german_letters == 0 && pl >= de) return {"pl", 0.9, "letters"};
  if (german_letters > 0 && polish_letters == 0 && de >= pl) return {"de", 0.9, "letters"};
  const int best = std::max({en, pl, de});
  if (best >= 2 || (best == 1 && latin < 40)) {
    if (en == best && pl < best && de < best) return {"en", 0.8, "stopwords"};
    if (pl == best && en < best && de < best) return {"pl", 0.8, "stopwords"};
    if (de == best && en < best && pl < best) return {"de", 0.8, "stopwords"};
  }
  bool reliable = false;
  CLD2::Language detected = CLD2::DetectLanguage(text.data(), static_cast<int>(text.size()),
                                                 /*is_plain_text=*/true, &reliable);
  const char* code = CLD2::LanguageCode(detected);
  if (code && (std::strcmp(code, "en") == 0 || std::strcmp(code, "ru") == 0 ||
               std::strcmp(code, "pl") == 0 || std::strcmp(code, "de") == 0)) {
    return {code, reliable ? 0.9 : 0.6, "cld2"};
  }
  if (reliable && detected != CLD2::UNKNOWN_LANGUAGE) return {"other", 0.9, "cld2"};
  // Latin script and nothing better to go on: most of what a brand hears is English.
  return {"en", 0.3, "default"};
}

}  // namespace earshot
