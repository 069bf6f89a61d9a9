#include "classifiers/patterns/regex_labeller.h"

#include <catch2/catch.hpp>

using namespace earshot;

namespace {

std::vector<Label> Run(const RegexLabeller& l, const std::string& text,
                       const std::string& title = "") {
  Mention m;
  m.text = text;
  m.title = title;
  std::vector<Label> labels;
  l.Classify(m, &labels);
  return labels;
}

std::unique_ptr<RegexLabeller> Make(const std::vector<PatternSet>& sets) {
  auto l = RegexLabeller::Create(sets);
  REQUIRE(l.ok());
  return std::move(l).value();
}

}  // namespace

TEST_CASE("regex: each matching set becomes a label with exact spans") {
  auto l = Make({{"refund", {"\\brefund(s|ed)?\\b", "верните деньги"}}, {"legal", {"lawyer"}}});
  const std::string text = "I want a REFUND. Верните деньги!";
  auto labels = Run(*l, text);
  REQUIRE(labels.size() == 1);
  CHECK(labels[0].kind == "pattern");
  CHECK(labels[0].name == "refund");
  REQUIRE(labels[0].evidence.size() == 2);
  for (const auto& e : labels[0].evidence) {
    std::string matched = text.substr(e.span.begin, e.span.end - e.span.begin);
    CHECK((matched == "REFUND" || matched == "Верните деньги"));
  }
  CHECK(labels[0].evidence[0].source.rfind("pattern:refund#", 0) == 0);
}

TEST_CASE("regex: title matches are marked as title evidence") {
  auto l = Make({{"legal", {"lawyer"}}});
  auto labels = Run(*l, "nothing", "Calling my lawyer");
  REQUIRE(labels.size() == 1);
  CHECK(labels[0].evidence[0].field == "title");
  CHECK(labels[0].evidence[0].span.begin == 11);
}

TEST_CASE("regex: case-insensitive by default with an opt-out") {
  auto l = Make({{"exact", {"(?-i)ACME"}}});
  CHECK(Run(*l, "acme").empty());
  CHECK(Run(*l, "ACME").size() == 1);
}

TEST_CASE("regex: no match gives no label and many matches are capped") {
  auto l = Make({{"x", {"a"}}});
  CHECK(Run(*l, "bbb").empty());
  auto labels = Run(*l, std::string(1000, 'a'));
  REQUIRE(labels.size() == 1);
  CHECK(labels[0].evidence.size() == 20);
}

TEST_CASE("regex: bad patterns and empty sets are refused with where") {
  auto bad = RegexLabeller::Create({{"ok", {"fine"}}, {"broken", {"fine", "(unclosed"}}});
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.status().message(), Catch::Contains("'broken' pattern 2"));
  CHECK_THAT(bad.status().message(), Catch::Contains("missing )"));
  CHECK_FALSE(RegexLabeller::Create({{"empty", {}}}).ok());
  CHECK_FALSE(RegexLabeller::CheckPattern("a{1000000}").ok());
}
