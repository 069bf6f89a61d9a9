// Splits text into the units the classifiers reason about, each with its byte span in the
// original text so every piece of evidence points back at what the reader wrote.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/label.h"

namespace earshot {

struct Token {
  enum class Kind { kWord, kNumber, kEmoji, kEmoticon, kPunct };
  Kind kind = Kind::kWord;
  Span span;
  std::string folded;      // lower-cased word; the emoji or emoticon itself otherwise
  bool all_caps = false;   // a word of two or more letters, all upper case
  bool elongated = false;  // a letter repeated three or more times: "sooo", "нееет"
  int exclamations = 0;    // for punctuation: how many '!' in the run
  int questions = 0;
  bool clause_break = false;  // punctuation that ends a negation's reach: . , ; ! ? and line breaks
};

// Never fails: invalid UTF-8 bytes are skipped as punctuation.
std::vector<Token> Tokenize(std::string_view text);

// "sooo" -> "so", "goood" -> "good" tries: the word with runs of 3+ letters cut to 2 and to 1.
std::vector<std::string> ElongationVariants(const std::string& word);

}  // namespace earshot
