#include "core/mention_json.h"

#include <catch2/catch.hpp>

using namespace earshot;

TEST_CASE("A mention survives MentionToJson and MentionFromJson") {
  Mention m;
  m.source = "samples";
  m.platform = "jsonl";
  m.external_id = "42";
  m.url = "https://example.org/p/42";
  m.author = {"a1", "@olga", "Olga \"O\" P.", 1200, "https://example.org/u/olga"};
  m.title = "Title";
  m.text = "Верните деньги!\nNow.";
  m.lang = "ru";
  m.rating = 2;
  m.created_at = 1795506240000;
  m.fetched_at = 1795506241000;
  m.thread_id = "t";
  m.parent_id = "p";
  m.engagement = {3, 4, 5};
  m.edited_at = 1795506250000;
  m.deleted = true;

  auto back = MentionFromJson(MentionToJson(m));
  REQUIRE(back.ok());
  CHECK(back->source == m.source);
  CHECK(back->external_id == "42");
  CHECK(back->author.name == m.author.name);
  CHECK(back->author.followers == 1200);
  CHECK(back->text == m.text);
  CHECK(back->rating == 2);
  CHECK(back->created_at == m.created_at);
  CHECK(back->engagement.shares == 5);
  CHECK(back->thread_id == "t");
  CHECK(back->edited_at == m.edited_at);
  CHECK(back->deleted);

  Mention plain;
  plain.text = "never edited";
  const std::string json = MentionToJson(plain);
  CHECK(json.find("edited_at") == std::string::npos);
  CHECK(json.find("deleted") == std::string::npos);
  CHECK_FALSE(MentionFromJson(json)->deleted);
}

TEST_CASE("MentionFromJson reads simple user lines and rejects bad ones with a reason") {
  auto simple =
      MentionFromJson(R"({"id": 7, "author": "@kai", "text": "hi", "created_at": 1795506240})");
  REQUIRE(simple.ok());
  CHECK(simple->external_id == "7");
  CHECK(simple->author.handle == "@kai");
  CHECK(simple->created_at == 1795506240000);

  auto broken = MentionFromJson(R"({"text": "unterminated)");
  REQUIRE_FALSE(broken.ok());
  CHECK_THAT(broken.status().message(), Catch::Contains("invalid JSON"));

  auto no_text = MentionFromJson(R"({"id": 1})");
  REQUIRE_FALSE(no_text.ok());
  CHECK_THAT(no_text.status().message(), Catch::Contains("text"));

  CHECK_FALSE(MentionFromJson("[1,2]").ok());
}

TEST_CASE("Invalid UTF-8 in a JSON line is replaced and not fatal") {
  auto m = MentionFromJson("{\"text\": \"caf\xE9 ok\"}");
  REQUIRE(m.ok());
  CHECK(m->text == "caf\xEF\xBF\xBD ok");
}

TEST_CASE("LabelsToJson writes evidence spans") {
  Label l{"pattern", "refund", 1.0, {{"pattern:refund#0", {4, 10}, "", 0}}};
  CHECK(
      LabelsToJson({l}) ==
      R"([{"kind":"pattern","name":"refund","score":1.0,"evidence":[{"source":"pattern:refund#0","begin":4,"end":10}]}])");
}
