#include "classifiers/sentiment/lexicon.h"

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

TEST_CASE("lexicon: exact words stems phrases and kinds") {
  Lexicon l;
  REQUIRE(
      l.Load("[polarity]\ngood\t1.9\ndisappoint*\t-2.5\nnever again\t-2.6\n[booster]\nvery\t0.3\n"
             "[negator]\nnot\n[contrast]\nbut\n",
             "t")
          .ok());
  REQUIRE(l.Find("good"));
  CHECK(l.Find("good")->weight == 1.9);
  REQUIRE(l.Find("disappointing"));
  CHECK(l.Find("disappointing")->term == "disappoint*");
  CHECK_FALSE(l.Find("disappoin"));
  REQUIRE(l.FindPhrase("never again"));
  CHECK_FALSE(l.FindPhrase("never mind"));
  CHECK(l.Find("very")->kind == LexiconKind::kBooster);
  CHECK(l.Find("not")->kind == LexiconKind::kNegator);
  CHECK(l.Find("but")->kind == LexiconKind::kContrast);
  CHECK_FALSE(l.Find("unknown"));
}

TEST_CASE("lexicon: longer phrases hyphens and concessions") {
  Lexicon l;
  REQUIRE(l.Load("[polarity]\nwaste of money\t-2.8\nwaste of\t-2.0\ntop-notch\t2.6\n:-)\t1.8\n"
                 "[concession]\nalthough\n",
                 "t")
              .ok());
  CHECK(l.PhraseWords("waste") == 3);
  CHECK(l.PhraseWords("money") == 0);
  REQUIRE(l.FindPhrase("waste of money"));
  CHECK(l.FindPhrase("waste of money")->weight == -2.8);
  // The tokenizer splits at a hyphen, so the entry is the phrase of its parts.
  CHECK(l.PhraseWords("top") == 2);
  REQUIRE(l.FindPhrase("top notch"));
  CHECK(l.FindPhrase("top notch")->term == "top notch");
  // An emoticon's hyphen is not between words.
  CHECK(l.Find(":-)"));
  CHECK(l.Find("although")->kind == LexiconKind::kConcession);
}

TEST_CASE("lexicon: the longest stem a word starts with wins, and copies keep working") {
  Lexicon l;
  REQUIRE(l.Load("dis*\t-1\ndisappoint*\t-2.5\nrozczarow*\t-2\nzły\t-2\n", "t").ok());
  CHECK(l.Find("disappointed")->term == "disappoint*");
  CHECK(l.Find("disappoint")->term == "disappoint*");
  CHECK(l.Find("dismal")->term == "dis*");
  CHECK_FALSE(l.Find("di"));
  CHECK(l.Find("rozczarowany")->term == "rozczarow*");
  CHECK(l.Find("zły")->term == "zły");
  CHECK_FALSE(l.Find("zł"));
  Lexicon copy = l;
  l = Lexicon();
  CHECK_FALSE(l.Find("dismal"));
  REQUIRE(copy.Find("disappointing"));
  CHECK(copy.Find("disappointing")->weight == -2.5);
}

TEST_CASE("lexicon: a user's AFINN and VADER lists load and are scaled") {
  Lexicon l;
  REQUIRE(l.Load(ReadFile(DataPath("lexicons/afinn-style.tsv")), "afinn-style.tsv").ok());
  REQUIRE(l.Load(ReadFile(DataPath("lexicons/vader-style.tsv")), "vader-style.tsv").ok());
  CHECK(l.Find("superb")->weight == Approx(4.0));
  CHECK(l.Find("awful")->weight == Approx(-3.2));
  CHECK(l.Find("grand")->weight == Approx(2.4));
}

TEST_CASE("lexicon: broken lines name file and line") {
  Lexicon l;
  Status s = l.Load("good\t1.9\nbad\tvery\n", "mine.tsv");
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::Contains("mine.tsv:2"));
  CHECK_FALSE(l.Load("[moods]\n", "mine.tsv").ok());
  CHECK_FALSE(l.Load("lonely\n", "mine.tsv").ok());
}
