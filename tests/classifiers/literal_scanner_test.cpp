#include "classifiers/intents/literal_scanner.h"

#include <re2/re2.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>

using namespace earshot;

namespace {

std::vector<int> Found(const LiteralScanner& scanner, std::string_view text) {
  std::vector<int> found;
  scanner.Scan(text, &found);
  return found;
}

}  // namespace

TEST_CASE("literal scanner: every literal once, in index order, in any case") {
  LiteralScanner s({"hold", "on hold", "old", "доставк"});
  CHECK(Found(s, "Still ON HOLD, on hold again") == std::vector<int>{0, 1, 2});
  CHECK(Found(s, "ДОСТАВКА опять") == std::vector<int>{3});
  CHECK(Found(s, "nothing here").empty());
  CHECK(Found(s, "").empty());
  CHECK(Found(LiteralScanner(std::vector<std::string>{}), "hold").empty());
}

TEST_CASE("literal scanner: letters RE2 takes for one another match alike") {
  LiteralScanner s({"still", "kind", "straße", "вот"});
  CHECK(Found(s, "\u017Ftill waiting") == std::vector<int>{0});  // long s
  CHECK(Found(s, "\u212Aind regards") == std::vector<int>{1});   // Kelvin sign
  CHECK(Found(s, "STRA\u1E9EE") == std::vector<int>{2});         // capital sharp s
  CHECK(Found(s, "\u1C80\u1C82\u1C84") == std::vector<int>{3});  // Old Cyrillic letter forms
}

TEST_CASE("literal scanner: reports whatever RE2 ignoring case finds") {
  const std::vector<std::string> literals = {"refund",    "on hold", "zwrot",   "ł",
                                             "nie dział", "?",       "доставк", "geld zurück"};
  const std::vector<std::string> texts = {
      "REFUND please",  "On Hold for 2 hours?", "ZWROT pieniędzy", "NIE DZIAŁA!",         "Łódź",
      "Доставка ОПЯТЬ", "GELD ZURÜCK",          "Geld zurueck",    "\xff\xfe refund \xc3"};
  RE2::Options options;
  options.set_case_sensitive(false);
  LiteralScanner s(literals);
  for (const auto& text : texts) {
    const auto found = Found(s, text);
    for (size_t k = 0; k < literals.size(); ++k) {
      const bool re2 = RE2::PartialMatch(text, RE2(RE2::QuoteMeta(literals[k]), options));
      const bool scanner =
          std::find(found.begin(), found.end(), static_cast<int>(k)) != found.end();
      INFO(text << " / " << literals[k]);
      CHECK(re2 == scanner);
    }
  }
}

TEST_CASE("literal scanner: invalid UTF-8 breaks a literal and is no error") {
  LiteralScanner s({"hold"});
  CHECK(Found(s, "ho\xffld").empty());
  CHECK(Found(s, "\xc3\x28 hold \xe2\x82") == std::vector<int>{0});
}

TEST_CASE("literal scanner: located literals come at every occurrence, by where they end") {
  LiteralScanner s({"hold", "old", "łód"}, 2);
  std::vector<int> found;
  std::vector<LiteralEnd> ends;
  s.Scan("on HOLD, Łódź, old", &found, &ends);
  CHECK(found == std::vector<int>{0});
  REQUIRE(ends.size() == 3);
  CHECK((ends[0].literal == 1 && ends[0].end == 7));
  CHECK((ends[1].literal == 2 && ends[1].end == 14));  // "Łód" is 5 bytes
  CHECK((ends[2].literal == 1 && ends[2].end == 21));
  s.Scan("nothing", &found, &ends);
  CHECK(ends.empty());
}

TEST_CASE("literal scanner: finds literals at every offset, across eight-byte blocks") {
  const LiteralScanner s({"hold", "żółw"}, 2);
  // Fillers of one, two and three bytes a character, and invalid bytes, before and after.
  for (const std::string filler : {"a", " ", "ą", "\xE2\x80\x94", "\xFF", "Ż"}) {
    for (size_t before = 0; before < 19; ++before) {
      for (const std::string literal : {"HoLd", "ŻÓŁW", "żółw"}) {
        std::string text;
        for (size_t k = 0; k < before; ++k)
          text += filler;
        text += " " + literal + " ";
        for (size_t k = 0; k < 9; ++k)
          text += filler;
        std::vector<int> found;
        std::vector<LiteralEnd> ends;
        s.Scan(text, &found, &ends);
        INFO(text);
        REQUIRE(ends.size() == 1);
        CHECK(ends[0].literal == (literal == "HoLd" ? 0 : 1));
        CHECK(ends[0].end == before * filler.size() + 1 + literal.size());
      }
    }
  }
}

TEST_CASE("literal scanner: a table too large for 16-bit edges scans the same way") {
  // Thousands of literals of ten letters make more rows than 16-bit edges can point at, so the
  // scanner keeps 32-bit ones; each text is checked against a plain search for every literal.
  std::mt19937 random(7);
  auto word = [&](size_t length) {
    std::string w;
    for (size_t k = 0; k < length; ++k)
      w.push_back(static_cast<char>('a' + random() % 26));
    return w;
  };
  std::vector<std::string> literals;
  for (int k = 0; k < 9000; ++k)
    literals.push_back(word(10));
  const size_t located = 100;
  const LiteralScanner scanner(literals, located);
  for (int round = 0; round < 200; ++round) {
    std::string text;
    for (int piece = 0; piece < 6; ++piece) {
      text += round % 2 ? literals[random() % literals.size()] : word(12);
      text += ' ';
    }
    std::vector<int> found;
    std::vector<LiteralEnd> ends;
    scanner.Scan(text, &found, &ends);
    std::vector<int> want_found;
    std::vector<LiteralEnd> want_ends;
    for (size_t k = 0; k < literals.size(); ++k) {
      for (size_t at = text.find(literals[k]); at != std::string::npos;
           at = text.find(literals[k], at + 1)) {
        if (k < literals.size() - located) {
          want_found.push_back(static_cast<int>(k));
          break;
        }
        want_ends.push_back({static_cast<int>(k), at + literals[k].size()});
      }
    }
    std::sort(want_found.begin(), want_found.end());
    std::stable_sort(want_ends.begin(), want_ends.end(),
                     [](const LiteralEnd& a, const LiteralEnd& b) { return a.end < b.end; });
    CHECK(found == want_found);
    REQUIRE(ends.size() == want_ends.size());
    for (size_t k = 0; k < ends.size(); ++k) {
      CHECK(ends[k].literal == want_ends[k].literal);
      CHECK(ends[k].end == want_ends[k].end);
    }
  }
}
