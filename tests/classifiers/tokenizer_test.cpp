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

// The tokens that are words or numbers, in order.
std::vector<const Token*> WordsAndNumbers(const std::vector<Token>& tokens) {
  std::vector<const Token*> out;
  for (const auto& t : tokens) {
    if (t.kind == Token::Kind::kWord || t.kind == Token::Kind::kNumber) out.push_back(&t);
  }
  return out;
}

}  // namespace

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
    const std::vector<const Token*> word_tokens = WordsAndNumbers(tokens);
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

namespace {

// One character of the alphabet below: what a word made of them should come to.
struct TestChar {
  std::string text;
  std::string lower;
  bool letter;
  bool upper;
};

const std::vector<TestChar> kTestChars = {
    {"a", "a", true, false},           {"A", "a", true, true},
    {"b", "b", true, false},           {"1", "1", false, false},
    {"\u0105", "\u0105", true, false},  // ą
    {"\u0104", "\u0105", true, true},   // Ą
    {"\u0142", "\u0142", true, false},  // ł
    {"\u0141", "\u0142", true, true},   // Ł
};

}  // namespace

TEST_CASE("tokenizer: words of ASCII and two-byte letters agree with reading them one by one") {
  // Words start at every offset of a 64-byte chunk (the spaces before them), cross chunks, have
  // two-byte letters on chunk edges and runs of three across them, and end at the text's end.
  std::mt19937 random(20261202);
  std::vector<Token> tokens;
  std::string folded;
  for (int round = 0; round < 4000; ++round) {
    std::string text(random() % 70, ' ');
    struct Word {
      std::string text, folded;
      bool all_caps, capitalised, elongated, number;
    };
    std::vector<Word> words;
    const int count = 1 + static_cast<int>(random() % 3);
    for (int w = 0; w < count; ++w) {
      Word word{};
      int letters = 0, uppers = 0;
      bool first_upper = false;
      std::vector<size_t> picked;
      const size_t length = 1 + random() % 70;
      for (size_t k = 0; k < length; ++k) {
        // Mostly one character again, so runs of three are common.
        const size_t c = k > 0 && random() % 2 ? picked.back() : random() % kTestChars.size();
        const TestChar& ch = kTestChars[c];
        if (ch.letter && k >= 2 && picked[k - 1] == c && picked[k - 2] == c) word.elongated = true;
        picked.push_back(c);
        word.text += ch.text;
        word.folded += ch.lower;
        letters += ch.letter;
        uppers += ch.upper;
        if (k == 0) first_upper = ch.upper;
      }
      word.all_caps = letters >= 2 && uppers == letters;
      word.capitalised = !word.all_caps && uppers > 0 && first_upper;
      word.number = letters == 0;
      if (w > 0) text += random() % 2 ? " " : ", ";
      text += word.text;
      words.push_back(word);
    }
    Tokenize(text, &tokens, &folded);
    const std::vector<const Token*> word_tokens = WordsAndNumbers(tokens);
    INFO("text: " << text);
    REQUIRE(word_tokens.size() == words.size());
    for (size_t w = 0; w < words.size(); ++w) {
      const Token& t = *word_tokens[w];
      INFO("word: " << words[w].text);
      CHECK(text.substr(t.span.begin, t.span.end - t.span.begin) == words[w].text);
      CHECK(t.folded == words[w].folded);
      CHECK(t.all_caps == words[w].all_caps);
      CHECK(t.capitalised == words[w].capitalised);
      CHECK(t.elongated == words[w].elongated);
      CHECK(t.kind == (words[w].number ? Token::Kind::kNumber : Token::Kind::kWord));
      // Only a word whose lower case differs is written to `folded`.
      CHECK((t.folded.data() == text.data() + t.span.begin) == (words[w].folded == words[w].text));
    }
  }
}

TEST_CASE("tokenizer: chunk edges and the end of the text") {
  std::vector<Token> tokens;
  std::string folded;
  // An upper-case two-byte letter straddling the 64-byte chunk edge, mid-word.
  std::string text = std::string(61, ' ') + "abc\u0141def";
  Tokenize(text, &tokens, &folded);
  REQUIRE(tokens.size() == 1);
  CHECK(tokens[0].span.begin == 61);
  CHECK(tokens[0].span.end == text.size());
  CHECK(tokens[0].folded == "abc\u0142def");
  CHECK_FALSE(tokens[0].capitalised);
  CHECK_FALSE(tokens[0].all_caps);
  // A run of three that crosses the chunk edge, in a word that ends exactly at the text's end.
  text = std::string(61, ' ') + "baaa";
  Tokenize(text, &tokens, &folded);
  REQUIRE(tokens.size() == 1);
  CHECK(tokens[0].elongated);
  CHECK(tokens[0].span.end == text.size());
  text = std::string(62, ' ') + "baab";
  Tokenize(text, &tokens, &folded);
  REQUIRE(tokens.size() == 1);
  CHECK_FALSE(tokens[0].elongated);
  // A word filling a whole chunk, then the end of the text; and one letter at the text's start.
  text = std::string(64, 'z');
  Tokenize(text, &tokens, &folded);
  REQUIRE(tokens.size() == 1);
  CHECK(tokens[0].elongated);
  CHECK(tokens[0].folded.size() == 64);
  Tokenize("aaa", &tokens, &folded);
  REQUIRE(tokens.size() == 1);
  CHECK(tokens[0].elongated);
  Tokenize("q", &tokens, &folded);
  REQUIRE(tokens.size() == 1);
  CHECK(tokens[0].folded == "q");
  // Lower-case ASCII followed by an apostrophe or a two-byte letter: the word goes on.
  Tokenize("don't rock'n'roll za\u017C\u00F3\u0142\u0107 it'", &tokens, &folded);
  REQUIRE(tokens.size() == 5);
  CHECK(tokens[0].folded == "don't");
  CHECK(tokens[1].folded == "rock'n'roll");
  CHECK(tokens[2].folded == "za\u017C\u00F3\u0142\u0107");
  CHECK(tokens[3].folded == "it");
  CHECK(tokens[4].kind == Token::Kind::kPunct);
  // One upper-case letter is not all caps; two are; digits do not count.
  Tokenize("I OK 3D \u017B\u00D3\u0141W \u017B\u00F3\u0142w", &tokens, &folded);
  REQUIRE(tokens.size() == 5);
  CHECK_FALSE(tokens[0].all_caps);
  CHECK(tokens[0].capitalised);
  CHECK(tokens[1].all_caps);
  CHECK_FALSE(tokens[2].all_caps);
  CHECK_FALSE(tokens[2].capitalised);  // its first character is a digit
  CHECK(tokens[3].all_caps);
  CHECK(tokens[3].folded == "\u017C\u00F3\u0142w");
  CHECK(tokens[4].capitalised);
  // Many tokens: the token buffer grows past its first guess, keeping the earlier tokens.
  text.clear();
  for (int k = 0; k < 500; ++k)
    text += "a,";
  Tokenize(text, &tokens, &folded);
  REQUIRE(tokens.size() == 1000);
  CHECK(tokens[998].folded == "a");
  CHECK(tokens[999].clause_break);
}
