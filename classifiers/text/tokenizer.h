// Splits text into the units the classifiers reason about, each with its byte span in the
// original text so every piece of evidence points back at what the reader wrote.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/label.h"

namespace earshot {

// Its fields are ordered to pack it into 48 bytes: texts have many tokens.
struct Token {
  enum class Kind : uint8_t { kWord, kNumber, kEmoji, kEmoticon, kPunct };
  Span span;
  // Lower-cased word; the emoji, emoticon or punctuation itself otherwise. Points into the text
  // or into the buffer Tokenize was given.
  std::string_view folded;
  int exclamations = 0;  // for punctuation: how many '!' in the run
  int questions = 0;
  Kind kind = Kind::kWord;
  bool all_caps = false;      // a word of two or more letters, all upper case
  bool capitalised = false;   // a word whose first letter is upper case, not all caps: "Best"
  bool elongated = false;     // a letter repeated three or more times: "sooo", "нееет"
  bool clause_break = false;  // punctuation that ends a negation's reach: . , ; ! ? and line breaks
};

// Replaces `tokens` with the tokens of `text`. Words whose lower case differs from the text are
// written to `folded`; the tokens point into both, so both must outlive them. Reusing the two
// buffers from text to text saves allocating per text. Never fails: invalid UTF-8 bytes are
// skipped as punctuation.
void Tokenize(std::string_view text, std::vector<Token>* tokens, std::string* folded);

// "sooo" -> "so", "goood" -> "good" tries: the word with runs of 3+ letters cut to 2 and to 1.
std::vector<std::string> ElongationVariants(std::string_view word);

}  // namespace earshot
