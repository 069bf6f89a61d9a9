#include "classifiers/text/tokenizer.h"

#include <catch2/catch.hpp>
#include <cctype>
#include <random>

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

namespace {

// What the tokenizer should make of a word of ASCII letters and digits, worked out byte by byte.
struct ExpectedWord {
  std::string folded;
  bool all_caps = false;
  bool elongated = false;
  Token::Kind kind = Token::Kind::kWord;
};

ExpectedWord Expect(const std::string& word) {
  ExpectedWord e;
  int letters = 0, uppers = 0;
  for (size_t k = 0; k < word.size(); ++k) {
    const char c = word[k];
    const bool letter = std::isalpha(static_cast<unsigned char>(c)) != 0;
    letters += letter;
    uppers += std::isupper(static_cast<unsigned char>(c)) != 0;
    e.folded += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (letter && k >= 2 && word[k - 1] == c && word[k - 2] == c) e.elongated = true;
  }
  e.all_caps = letters >= 2 && uppers == letters;
  e.kind = letters > 0 ? Token::Kind::kWord : Token::Kind::kNumber;
  return e;
}

}  // namespace

TEST_CASE("tokenizer: long words read in blocks agree with reading them byte by byte") {
  // Few distinct letters, so runs of three cross block boundaries; words of every length up to
  // three blocks, and texts ending inside a word and exactly at a block's end.
  std::mt19937 random(20261201);
  const std::string alphabet = "aaAAbB01";
  std::vector<Token> tokens;
  std::string folded;
  for (int round = 0; round < 3000; ++round) {
    std::vector<std::string> words;
    std::string text;
    const int count = 1 + static_cast<int>(random() % 4);
    for (int w = 0; w < count; ++w) {
      std::string word;
      const size_t length = 1 + random() % 48;
      for (size_t k = 0; k < length; ++k)
        word += alphabet[random() % alphabet.size()];
      if (!text.empty()) text += random() % 2 ? " " : ". ";
      text += word;
      words.push_back(word);
    }
    Tokenize(text, &tokens, &folded);
    std::vector<const Token*> word_tokens;
    for (const auto& t : tokens) {
      if (t.kind == Token::Kind::kWord || t.kind == Token::Kind::kNumber) word_tokens.push_back(&t);
    }
    INFO("text: " << text);
    REQUIRE(word_tokens.size() == words.size());
    for (size_t w = 0; w < words.size(); ++w) {
      const ExpectedWord e = Expect(words[w]);
      INFO("word: " << words[w]);
      CHECK(word_tokens[w]->folded == e.folded);
      CHECK(word_tokens[w]->all_caps == e.all_caps);
      CHECK(word_tokens[w]->elongated == e.elongated);
      CHECK(word_tokens[w]->kind == e.kind);
      CHECK(text.substr(word_tokens[w]->span.begin,
                        word_tokens[w]->span.end - word_tokens[w]->span.begin) == words[w]);
    }
  }
}

TEST_CASE("tokenizer: a block of ASCII letters hands over to letters of other scripts") {
  std::vector<Token> tokens;
  std::string folded;
  // Sixteen ASCII letters, then Polish and Cyrillic letters and an apostrophe inside the word.
  Tokenize("Abcdefghijklmnopóźnienie WYSYŁKAAAAAAAAAAAAAAĄĄĄ don't", &tokens, &folded);
  REQUIRE(tokens.size() == 3);
  CHECK(tokens[0].folded == "abcdefghijklmnopóźnienie");
  CHECK_FALSE(tokens[0].elongated);
  CHECK(tokens[1].folded == "wysyłkaaaaaaaaaaaaaaąąą");
  CHECK(tokens[1].all_caps);
  CHECK(tokens[1].elongated);
  CHECK(tokens[2].folded == "don't");
  // A run of three that crosses from one block into the next, and one that does not.
  Tokenize("abcdefghijklmnAAAxyzxyzxyzxyzxyz", &tokens, &folded);
  REQUIRE(tokens.size() == 1);
  CHECK(tokens[0].elongated);
  Tokenize("abcdefghijklmnAAaxyzxyzxyzxyzxyz", &tokens, &folded);
  REQUIRE(tokens.size() == 1);
  CHECK_FALSE(tokens[0].elongated);
  // The same across the hand-over from ASCII to a two-byte letter.
  Tokenize("abcdefghijklmnoAAĄĄxyz", &tokens, &folded);
  REQUIRE(tokens.size() == 1);
  CHECK_FALSE(tokens[0].elongated);
  Tokenize("abcdefghijklmnoAAAĄxyz", &tokens, &folded);
  REQUIRE(tokens.size() == 1);
  CHECK(tokens[0].elongated);
}
