#include "classifiers/intents/pattern_reach.h"

#include <re2/re2.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "classifiers/intents/literal_scanner.h"
#include "classifiers/intents/pattern_table.h"

using namespace earshot;

namespace {

RE2::Options IgnoreCase() {
  RE2::Options o;
  o.set_case_sensitive(false);
  return o;
}

// Searches only the windows around the anchors' literals, as PatternTable does.
bool WindowMatch(const std::string& pattern, std::string_view text) {
  const auto anchors = AnalyseReach(pattern);
  REQUIRE(!anchors.empty());
  std::vector<std::string> literals;
  for (const auto& a : anchors)
    literals.push_back(a.literal);
  const LiteralScanner scanner(literals, literals.size());
  std::vector<int> found;
  std::vector<LiteralEnd> ends;
  scanner.Scan(text, &found, &ends);
  const RE2 re(pattern, IgnoreCase());
  for (const auto& e : ends) {
    const auto& a = anchors[static_cast<size_t>(e.literal)];
    const size_t begin = ReachBack(text, e.end, a.before, a.before_runs);
    const size_t end = ReachForward(text, e.end, a.after, a.after_runs);
    if (re.Match(text, begin, end, RE2::UNANCHORED, nullptr, 0)) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("pattern reach: RE2 takes the text around a window as context") {
  const RE2 word("\\bcd\\b"), start("^cd"), end("cd$"), letter("(?:^|\\PL)cd");
  CHECK(word.Match("ab cd ef", 3, 5, RE2::UNANCHORED, nullptr, 0));
  CHECK_FALSE(word.Match("abcd ef", 2, 4, RE2::UNANCHORED, nullptr, 0));  // "b" before it
  CHECK_FALSE(word.Match("ab cde", 3, 5, RE2::UNANCHORED, nullptr, 0));   // "e" after it
  CHECK_FALSE(start.Match("ab cd", 3, 5, RE2::UNANCHORED, nullptr, 0));
  CHECK(start.Match("cd ab", 0, 2, RE2::UNANCHORED, nullptr, 0));
  CHECK_FALSE(end.Match("cd ab", 0, 2, RE2::UNANCHORED, nullptr, 0));
  CHECK(end.Match("ab cd", 3, 5, RE2::UNANCHORED, nullptr, 0));
  // A class takes a character of the window only.
  CHECK_FALSE(letter.Match("ab cd", 3, 5, RE2::UNANCHORED, nullptr, 0));
  CHECK(letter.Match("ab cd", 2, 5, RE2::UNANCHORED, nullptr, 0));
}

TEST_CASE("pattern reach: no ASCII letter but k and s has a non-ASCII twin ignoring case") {
  const RE2 others("[a-jl-rt-z]", IgnoreCase()), ks("[ks]", IgnoreCase());
  std::vector<char32_t> twins;
  std::string s;
  for (char32_t cp = 0x80; cp < 0x110000; ++cp) {
    if (cp >= 0xD800 && cp < 0xE000) continue;
    s.clear();
    if (cp < 0x800) {
      s += static_cast<char>(0xC0 | (cp >> 6));
    } else if (cp < 0x10000) {
      s += static_cast<char>(0xE0 | (cp >> 12));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    } else {
      s += static_cast<char>(0xF0 | (cp >> 18));
      s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    }
    s += static_cast<char>(0x80 | (cp & 0x3F));
    CHECK_FALSE(RE2::FullMatch(s, others));
    if (RE2::FullMatch(s, ks)) twins.push_back(cp);
  }
  CHECK(twins == std::vector<char32_t>{0x17F, 0x212A});  // long s, Kelvin sign
}

TEST_CASE("pattern reach: patterns of unknown syntax or without literals have no anchors") {
  for (const char* pattern : {"(?i)abc", "\\p{Lu}bc", "(?P<n>abc)", "[[:alpha:]]bc", "a\\1", "x?",
                              "\\pL*", "(a|\\pL*)", "\\s+", "a{2,1}"}) {
    INFO(pattern);
    CHECK(AnalyseReach(pattern).empty());
  }
}

TEST_CASE("pattern reach: an unbounded repeat reaches the end of the text") {
  const auto anchors = AnalyseReach("ab.*c");
  REQUIRE(anchors.size() == 1);
  CHECK(anchors[0].literal == "ab");
  CHECK(ReachBack("xx ab yy", 5, anchors[0].before, anchors[0].before_runs) == 3);
  CHECK(ReachForward("xx ab yy", 5, anchors[0].after, anchors[0].after_runs) == 8);
}

TEST_CASE("pattern reach: anchors and their reach") {
  auto anchors = AnalyseReach("\\b(on hold|waited) (for )?\\d+ ?(min|hours?)\\b");
  REQUIRE(anchors.size() == 4);
  CHECK(anchors[0].literal == "on hold for ");
  CHECK(anchors[0].before == 12);  // "on hold for ", its "s" maybe the 2-byte long s
  CHECK_FALSE(anchors[0].before_runs);
  CHECK(anchors[0].after == 1 + 6);  // " hours", digits aside
  CHECK(anchors[0].after_runs);
  anchors = AnalyseReach("(?:^|\\PL)(zwrot\\pL*|oddajcie)");
  REQUIRE(anchors.size() == 2);
  CHECK(anchors[0].literal == "zwrot");
  CHECK(anchors[0].before == 4 + 5);
  CHECK(anchors[0].after == 0);
  CHECK(anchors[0].after_runs);
}

TEST_CASE("pattern reach: a window finds what the whole text has") {
  const std::vector<std::string> patterns = {
      "\\b(worst|awful)\\b",
      "\\b(still|been) (waiting|on hold)\\b",
      "\\b(on hold|waited) (for )?\\d+ ?(min|minutes|hours?)\\b",
      "\\?(\\s|$)",
      "^\\s?(why|how)\\b",
      "\\b(fix|sort out) (this|it)$",
      "\\b(doesn['’]?t|not) (work|load)\\b",
      "#\\w*(fail|sucks)\\w*",
      "\\b(deliver\\w*|parcel)\\b",
      "(?:^|\\PL)(zwrot\\pL*|nie działa)",
      "(?:^|\\PL)(żenad\\pL*|łódź) (jest|był\\pL*)",
      "(?:^|\\PL)(уже \\d+ (дн|час)\\pL*)",
      "(?:^|\\PL)(straße|kaputt\\pL*)",
      "\\b(double.charged|charged (me )?twice)\\b",
      "\\b(great|nice)\\b[,!.]*\\s+(again|another)\\b",
      "^\\s*(how|why)\\b[^.!]*$",
      "funktioniert\\PL+(\\pL+\\PL+){0,2}nicht",
      "\\bcancel+ing\\b",
  };
  const std::vector<std::string> texts = {
      "worst",
      "WORST!",
      "the worst.",
      "worsts",
      "aworst",
      "worst\xc3\xa9",
      "\xc3\xa9worst",
      "still waiting",
      "been  waiting",
      "STILL ON HOLD",
      "on hold for 45 minutes",
      "waited 3hours",
      "waited 12345678901234567890 min",
      "on hold for  5 min",
      "why?",
      "why ?x",
      "?",
      "a?",
      " why not",
      "\twhy",
      "how come",
      "why?\n",
      "fix this",
      "fix this.",
      "sort out it",
      "doesn’t work",
      "doesnt load",
      "not working",
      "#epicfail",
      "#Fail",
      "#notsucksyet",
      "x#fail",
      "delivered",
      "deliver",
      "deliverance!",
      "parcels",
      "zwrot",
      "Zwrotów",
      "bezzwrotu",
      "ZWROT!",
      "(zwrot)",
      "Nie działa",
      "nie działają",
      "Żenada jest",
      "żenadaa byłam",
      "ŁÓDŹ był",
      "xłódź jest",
      "уже 5 дней",
      "уже 12 часов!",
      "Уже 3 дня",
      "STRASSE",
      "STRA\u1E9EE",
      "Stra\u00dfe",
      "\u212Aaputtt",
      "kaputt",
      "double-charged",
      "doublecharged",
      "charged me twice",
      "charged twice",
      "chargedtwice",
      "great,,, again",
      "nice  another",
      "nice again!",
      "how are you",
      "  why not.",
      "why. how",
      "funktioniert leider nicht",
      "funktioniert das auch heute nicht",
      "funktioniert!",
      "cancelllling",
      "cancelingg",
      "\xff worst \xfe",
      "wor\xffst",
      "\u017Ftill waiting",
      "on hold for 5 \u212Aminutes",
  };
  for (const auto& pattern : patterns) {
    const RE2 re(pattern, IgnoreCase());
    REQUIRE(re.ok());
    for (const auto& text : texts) {
      // Alone, and amid other words on either side.
      for (const std::string& t : {text, "Ok, " + text, text + " ok", "ok " + text + " ok."}) {
        INFO(pattern << " / " << t);
        CHECK(WindowMatch(pattern, t) == RE2::PartialMatch(t, re));
      }
    }
  }
}

TEST_CASE("pattern reach: windows reach over word runs, and no further") {
  CHECK(ReachBack("ab cd", 5, 0, true) == 3);
  CHECK(ReachBack("ab cd", 5, 1, true) == 0);
  CHECK(ReachBack("ab cd", 5, 2, false) == 3);
  CHECK(ReachBack("ab cd", 1, 9, false) == 0);
  CHECK(ReachForward("ab cd", 0, 0, true) == 2);
  CHECK(ReachForward("ab żółw.", 3, 0, true) == 10);
  CHECK(ReachForward("ab cd", 1, 9, false) == 5);
}

TEST_CASE("pattern table: matches as the whole text does") {
  PatternTable table;
  REQUIRE(table
              .Load("*\tcomplaint\t\\b(worst|awful)\\b\n"
                    "*\tcomplaint\t(?:^|\\PL)(zwrot\\pL*|nie działa)\n"
                    "*\t!complaint\t\\bnot the worst\\b\n"
                    "*\tquestion\t\\?(\\s|$)\n"
                    "*\tdelivery\t\\b(deliver\\w*|parcel)\\b\n"
                    "*\tshout\t(?-i:[A-Z]{4,})\n",  // unknown to the analyser: searched whole
                    "test.tsv")
              .ok());
  REQUIRE(table.Compile().ok());
  auto names = [&](std::string_view text) {
    std::vector<PatternHit> hits;
    table.Match(text, "en", &hits);
    std::string out;
    for (const auto& h : hits)
      out += std::string(h.name) + "@" + std::to_string(h.span.begin) + "-" +
             std::to_string(h.span.end) + " ";
    return out;
  };
  CHECK(names("the worst? delivered") == "complaint@4-9 question@9-10 delivery@11-20 ");
  CHECK(names("not the worst") == "");
  CHECK(names("worst, though not the worst") == "");
  CHECK(names("xworst deliveries?") == "question@17-18 delivery@7-17 ");
  CHECK(names("Zwrotu nie ma, nie działa") == "complaint@0-6 ");
  CHECK(names("bezzwrotu") == "");
  // Only the last of the literal's windows holds a match.
  const std::string filler(100, '.');
  CHECK(names("worsts" + filler + " worst") == "complaint@107-112 ");
  CHECK(names("awful" + filler + " worst") == "complaint@0-5 ");  // the leftmost, as ever
  CHECK(names("worsts" + filler + " worst" + filler + "not the worst") == "");
  CHECK(names("SO WRONG") == "shout@3-8 ");
}

TEST_CASE("pattern shape: literals between boundaries") {
  auto shape = AnalyseShape("\\b(worst|awful)\\b");
  REQUIRE(shape);
  CHECK(shape->before == LiteralShape::Before::kWordBoundary);
  REQUIRE(shape->literals.size() == 2);
  CHECK(shape->literals[0].text == "worst");
  CHECK(shape->literals[0].boundary_after);
  shape = AnalyseShape("(?:^|\\PL)(zwrot\\pL*|nie działa)");
  REQUIRE(shape);
  CHECK(shape->before == LiteralShape::Before::kNonLetter);
  REQUIRE(shape->literals.size() == 2);
  CHECK(!shape->literals[0].boundary_after);
  CHECK(shape->literals[1].text == "nie działa");
  // After a word character, \w* always finds where \b holds.
  shape = AnalyseShape("\\b(deliver\\w*|bag(s|gage)?|cheap(ly)? made)\\b");
  REQUIRE(shape);
  REQUIRE(shape->literals.size() == 6);
  CHECK(!shape->literals[0].boundary_after);
  CHECK(shape->literals[1].text == "bags");
  CHECK(shape->literals[5].text == "cheap made");
  CHECK(shape->literals[5].boundary_after);
  // The same literal bare and before a run: anything may follow it.
  shape = AnalyseShape("\\b(agent|agent\\w*)\\b");
  REQUIRE(shape);
  REQUIRE(shape->literals.size() == 1);
  CHECK(!shape->literals[0].boundary_after);
  shape = AnalyseShape("^\\s*(how|why)\\b[^.!]*$");
  REQUIRE(shape);
  CHECK(shape->before == LiteralShape::Before::kTextStart);
  CHECK(shape->rest == "[^.!]");
  CHECK(shape->literals[1].boundary_after);
  // An escaped backslash, then b: a literal, no boundary.
  shape = AnalyseShape("\\b(worst\\\\b)");
  REQUIRE(shape);
  CHECK(shape->literals[0].text == "worst\\b");
  CHECK(!shape->literals[0].boundary_after);
  shape = AnalyseShape("\\?(\\s|$)");
  REQUIRE(shape);
  CHECK(shape->before == LiteralShape::Before::kAnywhere);
  CHECK(shape->space_or_end_after);
  CHECK(shape->literals[0].text == "?");
  shape = AnalyseShape("#sarcas\\w*");
  REQUIRE(shape);
  CHECK(shape->before == LiteralShape::Before::kAnywhere);
  CHECK(!shape->literals[0].boundary_after);
  CHECK(AnalyseShape("\\bnever again\\b"));
  CHECK(AnalyseShape("\\b(?:it|this)\\b"));
}

TEST_CASE("pattern shape: patterns the literals alone do not decide") {
  CHECK(!AnalyseShape("\\bworst|awful\\b"));      // not \b(worst|awful)\b
  CHECK(!AnalyseShape("\\b(worst)|(awful)\\b"));  // likewise
  CHECK(!AnalyseShape("\\b(wor\\Bst)\\b"));       // an assertion inside
  CHECK(!AnalyseShape("\\b(wor^st|a$)\\b"));
  CHECK(!AnalyseShape("\\b(zwrot\\pL*)\\b"));      // \pL* may end where \b fails
  CHECK(!AnalyseShape("\\b(#\\w*)\\b"));           // no word character before the run
  CHECK(!AnalyseShape("\\b(double.charged)\\b"));  // not literals
  CHECK(!AnalyseShape("\\b(on hold)?\\b"));        // the empty string
  CHECK(!AnalyseShape("\\b(?i:worst)\\b"));        // flags
  CHECK(!AnalyseShape("\\b(never \\d+)\\b"));
  CHECK(!AnalyseShape("\\b(worst)\\b\\w+"));
  CHECK(!AnalyseShape("\\b(wor[\\b]st)\\b"));  // a class
  CHECK(!AnalyseShape("(?:^|\\pL)(zwrot)"));
  CHECK(!AnalyseShape("[\\b](worst)\\b"));
  CHECK(!AnalyseShape("\\b([[:alpha:]]|x)\\b"));
  CHECK(!AnalyseShape("\\b(a(b|c)\\b"));
  CHECK(!AnalyseShape("^\\s*(how\\w*)[^.!]*$"));  // a run, then the rest
  CHECK(!AnalyseShape("^\\s+(how)\\b"));
  CHECK(!AnalyseShape("^(how)\\b"));
  CHECK(!AnalyseShape("a|b"));
  CHECK(!AnalyseShape("(?i)a"));
  CHECK(!AnalyseShape("(?:^|\\pL)(x)"));
  CHECK(!AnalyseShape("(?:^)x"));
  CHECK(!AnalyseShape("#\\w*(fail|worst)\\w*"));
  CHECK(!AnalyseShape("\\?\\w*(\\s|$)"));  // a run, then the space
  CHECK(!AnalyseShape("\\?(\\s|$)[^.]*$"));
}

TEST_CASE("pattern table: shaped patterns match as RE2 does on the whole text") {
  const std::vector<std::string> patterns = {
      "\\b(worst|kudos|awful)\\b",
      "\\b(deliver\\w*|parcel|cheap(ly)? made|#tag|it's)\\b",
      "(?:^|\\PL)(zwrot\\pL*|nie działa|sklep)",
      "\\b(zwrot|dzia)\\b",
      "^\\s*(how|why|is)\\b[^.!]*$",
      "\\?(\\s|$)",
      "#sarcas\\w*",
      "(foo|bar)baz",
  };
  std::string tsv;
  for (size_t k = 0; k < patterns.size(); ++k)
    tsv += "*\tp" + std::to_string(k) + "\t" + patterns[k] + "\n";
  PatternTable table;
  REQUIRE(table.Load(tsv, "test.tsv").ok());
  REQUIRE(table.Compile().ok());
  const std::vector<std::string> texts = {
      "worst",
      "WORST",
      "Worst.",
      "worst_",
      "_worst",
      "1worst",
      "worst1",
      "éworst",
      "worsté",
      "wor\xC5\xBFt",  // long s: RE2 folds it to s
      "\xE2\x84\xAAudos",
      "\xE2\x84\xAA"
      "UDOS!",  // Kelvin sign: to k
      "xkudos kudosx",
      "\xFFworst\xFF",
      "wors",
      "orst",
      "deliveries",
      "undelivered",
      "DELIVERé",
      "parcels",
      "parcel's",
      "cheaply made",
      "cheap made",
      "cheapy made",
      "a #tag",
      "a#tag",
      "#tags",
      "it's",
      "its",
      "IT'S",
      "it\xE2\x80\x99s",
      "zwrot",
      "Zwrotu",
      "ZWROT",
      "bezzwrotu",
      "ązwrot",
      "ą zwrot",
      "\xE2\x80\x94zwrot",  // em dash: past the table, so RE2 decides
      "\xCD\x85zwrot",      // U+0345: folds to a letter
      "\xC2\xAAzwrot",      // U+00AA: a letter (Lo)
      "\xFFzwrot",
      "\xC3zwrot",
      "\x80zwrot",
      "1zwrot",
      "_zwrot",
      "zwrot_",
      "nie działa",
      "NIE DZIAŁA",
      "Nie działa",
      "nie dzia\xC5\x82",
      "sklepy",
      "wsklep",
      "\nsklep",
      "dzia",
      "dział",
      "działa",
      "\xC5\xBFklep",
      "Sklep",
      "SKLEP",
      "how come",
      "  How come?",
      "\t\nwhy not",
      "why not.",
      "whys",
      "is it ok!",
      "this is it",
      "\xC2\xA0how so",
      "\vhow so",
      "how \xFF",
      "how ą",
      "how ą.",
      "why\xE2\x80\xA6",
      "Why, \xE2\x80\xA6 ok!",
      "i\xC5\xBF it",
      "how\n",
      "how\r\nis it",
      "how \x01",
      "\x0chow",
      "?",
      "a?",
      "?x",
      "? ",
      "?\n",
      "?\v",
      "?\x0c",
      "?\xC2\xA0",
      "??",
      "?\xFF",
      "#sarcasm",
      "#SARCA\xC5\xBF",
      "#\xE2\x84\xAA",
      "foobaz",
      "BARBAZ",
      "fooba",
      "barba\xC5\xBA",
  };
  for (const std::string& text : texts) {
    for (bool spans : {false, true}) {
      std::vector<PatternHit> hits;
      table.Match(text, "xx", &hits, spans);
      std::string got, want;
      for (const auto& h : hits)
        got += std::string(h.name) + " ";
      for (size_t k = 0; k < patterns.size(); ++k) {
        if (RE2::PartialMatch(text, RE2(patterns[k], IgnoreCase())))
          want += "p" + std::to_string(k) + " ";
      }
      INFO(text);
      CHECK(got == want);
    }
  }
}
