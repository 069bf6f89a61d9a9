// Per-source keyword filter: keeps mentions that name the brand and drops configured noise.
#pragma once

#include <string>
#include <vector>

#include "core/mention.h"
#include "core/status.h"

namespace earshot {

// Terms match title and text case-insensitively (Unicode lower case), on whole words in any
// script. A term may be:
//   - a word: "voltwave" matches "Voltwave", "@voltwave", "#voltwave"; a word of four letters or
//     more also matches itself followed by up to three more letters (a word of five or more
//     letters may first drop a final vowel: "żabka" matches "Żabki"), which covers possessives
//     and the case endings of Russian, Polish and German ("Voltwave'u", "Acmes", and
//     "Вольтвейва" for the term "вольтвейв");
//   - a word ending in '*': any ending ("refund*" matches refunds, refunded);
//   - a handle or hashtag: "@voltwave" matches only the handle, "#voltwave" only the tag;
//   - several words: a phrase, the words in a row ("promo code*").
// Exclusions win over inclusions; no inclusions means every mention passes them.
class KeywordFilter {
 public:
  static Result<KeywordFilter> Create(std::vector<std::string> include,
                                      std::vector<std::string> exclude);
  KeywordFilter() = default;

  bool Accepts(const Mention& mention) const;

 private:
  struct Word {
    std::string text;
    bool wildcard = false;
    char prefix = 0;  // '@' or '#' when the term demands it
  };
  using Term = std::vector<Word>;

  static Result<Term> ParseTerm(const std::string& raw);
  std::vector<Term> include_;
  std::vector<Term> exclude_;
};

}  // namespace earshot
