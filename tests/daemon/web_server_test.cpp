#include "daemon/web/web_server.h"

#include <httplib.h>
#include <rapidjson/document.h>

#include <catch2/catch.hpp>

#include "store/sqlite_store.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

AnnotatedMention Flagged(const std::string& id, const std::string& text) {
  AnnotatedMention a;
  a.mention.source = "samples";
  a.mention.platform = "jsonl";
  a.mention.external_id = id;
  a.mention.text = text;
  a.mention.url = "javascript:alert(1)";
  a.labels.push_back({"pattern", "refund", 1, {{"pattern:refund#0", {0, 6}, "", 0}}});
  a.flagged = true;
  a.flag_reason = "label refund";
  return a;
}

}  // namespace

TEST_CASE("The review page and API serve stored mentions escaped and paged") {
  TempDir dir;
  auto store = OpenSqliteStore(dir.File("web.db"));
  REQUIRE(store.ok());
  PollCommit commit;
  commit.source = "samples";
  commit.kind = "jsonl";
  for (int i = 0; i < 5; ++i) {
    commit.mentions.push_back(Flagged("m" + std::to_string(i), "refund #" + std::to_string(i)));
  }
  commit.mentions.push_back(Flagged("xss", "refund <script>alert('x')</script>"));
  REQUIRE((*store)->CommitPoll(commit).ok());

  WebServer web(**store);
  REQUIRE(web.Start("127.0.0.1:0").ok());
  httplib::Client client("127.0.0.1", web.port());

  auto page = client.Get("/plain");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Security-Policy").find("default-src 'none'") !=
        std::string::npos);
  CHECK(page->body.find("<script>alert") == std::string::npos);
  CHECK(page->body.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") != std::string::npos);
  CHECK(page->body.find("<mark>refund</mark>") != std::string::npos);
  CHECK(page->body.find("javascript:") == std::string::npos);

  auto first = client.Get("/api/mentions?flagged=true&limit=4");
  REQUIRE(first);
  REQUIRE(first->status == 200);
  rapidjson::Document doc;
  doc.Parse(first->body.c_str());
  REQUIRE(doc.IsObject());
  REQUIRE(doc["mentions"].Size() == 4);
  CHECK(std::string(doc["mentions"][0]["mention"]["id"].GetString()) == "xss");
  REQUIRE(doc["next_before"].IsInt64());

  auto second = client.Get(
      ("/api/mentions?flagged=true&limit=4&before=" + std::to_string(doc["next_before"].GetInt64()))
          .c_str());
  REQUIRE(second);
  rapidjson::Document rest;
  rest.Parse(second->body.c_str());
  CHECK(rest["mentions"].Size() == 2);
  CHECK(rest["next_before"].IsNull());

  auto bad = client.Get("/api/mentions?limit=abc");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(bad->body.find("\"error\"") != std::string::npos);

  auto health = client.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  web.Stop();
}
