#include "classifiers/text/tokenizer.h"

#include <catch2/catch.hpp>

using namespace earshot;

TEST_CASE("tokenizer: lower-cased words point into the text or the folded buffer") {
  std::vector<Token> tokens;
  std::string folded;
  const std::string text = "Don\u2019t WORRY, sooo good :) \xff ПРИВЕТ";
  Tokenize(text, &tokens, &folded);
  std::vector<std::string_view> words;
  for (const auto& t : tokens)
    words.push_back(t.folded);
  CHECK(words == std::vector<std::string_view>{"don't", "worry", ",", "sooo", "good", ":)", "\xff",
                                               "привет"});
  CHECK(tokens[1].all_caps);
  CHECK(tokens[3].elongated);
  CHECK(tokens[5].kind == Token::Kind::kEmoticon);
  CHECK(tokens[7].all_caps);
  CHECK(text.substr(tokens[7].span.begin, tokens[7].span.end - tokens[7].span.begin) == "ПРИВЕТ");
  // A word already in lower case is a view of the text itself.
  CHECK(tokens[4].folded.data() == text.data() + tokens[4].span.begin);

  // The buffers are reused: the next text's tokens are its own.
  Tokenize("Fine", &tokens, &folded);
  REQUIRE(tokens.size() == 1);
  CHECK(tokens[0].folded == "fine");
  CHECK(tokens[0].capitalised);
  Tokenize("fine \u00C9clair OK", &tokens, &folded);
  REQUIRE(tokens.size() == 3);
  CHECK(!tokens[0].capitalised);
  CHECK(tokens[1].capitalised);
  CHECK(!tokens[2].capitalised);  // all caps is not capitalised
}
