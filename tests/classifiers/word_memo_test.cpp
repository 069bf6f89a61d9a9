#include "classifiers/sentiment/word_memo.h"

#include <catch2/catch.hpp>
#include <string>

using namespace earshot;

TEST_CASE("word memo: answers from memory once a word was resolved", "[word_memo]") {
  Lexicon lexicon;
  REQUIRE(lexicon.Load("good\t2\ndisappoint*\t-2\n", "test").ok());
  WordMemo memo;
  int calls = 0;
  auto resolve = [&](std::string_view word) {
    ++calls;
    WordSense sense;
    sense.entry = lexicon.Find(word);
    sense.phrase_words = word.size();
    return sense;
  };
  WordSense first = memo.Get(lexicon.serial(), "good", resolve);
  WordSense again = memo.Get(lexicon.serial(), "good", resolve);
  CHECK(calls == 1);
  REQUIRE(again.entry != nullptr);
  CHECK(again.entry == first.entry);
  CHECK(again.entry->term == "good");
  CHECK(again.phrase_words == 4);

  // A word that shares a prefix, or another length, is its own entry.
  CHECK(memo.Get(lexicon.serial(), "goo", resolve).entry == nullptr);
  CHECK(memo.Get(lexicon.serial(), "disappointing", resolve).entry->term == "disappoint*");
  CHECK(calls == 3);

  // Words too long to keep are resolved every time, and still answered.
  const std::string long_word = "disappointingnessesque-and-more";
  CHECK(memo.Get(lexicon.serial(), long_word, resolve).entry->term == "disappoint*");
  CHECK(memo.Get(lexicon.serial(), long_word, resolve).entry->term == "disappoint*");
  CHECK(calls == 5);
}

TEST_CASE("word memo: a changed or different lexicon is never answered from memory",
          "[word_memo]") {
  Lexicon lexicon;
  REQUIRE(lexicon.Load("good\t2\n", "test").ok());
  const uint64_t before = lexicon.serial();
  REQUIRE(lexicon.Load("good\t-1\n", "user lexicon").ok());
  CHECK(lexicon.serial() != before);

  Lexicon copy = lexicon;
  CHECK(copy.serial() != lexicon.serial());
  Lexicon moved = std::move(copy);
  CHECK(moved.serial() != lexicon.serial());
  CHECK(copy.serial() != moved.serial());  // the moved-from one may be loaded again

  WordMemo memo;
  auto in = [](const Lexicon& l) {
    return [&l](std::string_view word) {
      WordSense sense;
      sense.entry = l.Find(word);
      return sense;
    };
  };
  Lexicon other;
  REQUIRE(other.Load("good\t3\n", "other").ok());
  CHECK(memo.Get(lexicon.serial(), "good", in(lexicon)).entry->weight == -1);
  CHECK(memo.Get(other.serial(), "good", in(other)).entry->weight == 3);
  CHECK(memo.Get(moved.serial(), "good", in(moved)).entry->weight == -1);
  CHECK(memo.Get(moved.serial(), "good", in(moved)).entry == moved.Find("good"));
}

TEST_CASE("word memo: words of every length that differ in one byte are told apart",
          "[word_memo]") {
  WordMemo memo;
  int calls = 0;
  auto resolve = [&](std::string_view word) {
    ++calls;
    WordSense sense;
    const size_t b = word.find('b');  // says which word it was
    sense.phrase_words = b == std::string_view::npos ? 0 : b + 1;
    return sense;
  };
  const uint64_t owner = 7;
  for (size_t length = 1; length <= 20; ++length) {
    for (size_t at = 0; at < length; ++at) {
      std::string word(length, 'a');
      std::string other = word;
      other[at] = 'b';
      const size_t before = static_cast<size_t>(calls);
      memo.Get(owner, word, resolve);
      memo.Get(owner, other, resolve);
      // Both were resolved at least once, and asked again each gives its own answer.
      CHECK(static_cast<size_t>(calls) >= before + 1);
      CHECK(memo.Get(owner, word, resolve).phrase_words == 0);
      CHECK(memo.Get(owner, other, resolve).phrase_words == at + 1);
    }
  }
  // "ab" and "abb", "abc" and "abcc": a shorter word is not read as a longer one's prefix.
  for (std::string_view word :
       {"ab", "abb", "abc", "abcc", "abcd", "abcdd", "abcdefgh", "abcdefghh"})
    memo.Get(owner, word, [&](std::string_view w) {
      WordSense sense;
      sense.phrase_words = w.size();
      return sense;
    });
  for (std::string_view word :
       {"ab", "abb", "abc", "abcc", "abcd", "abcdd", "abcdefgh", "abcdefghh"})
    CHECK(memo.Get(owner, word, resolve).phrase_words == word.size());
}
