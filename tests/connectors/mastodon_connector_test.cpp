// The mastodon source: statuses parsed offline, and poll cycles against a local server that
// answers like a Mastodon instance (min_id paging, Link headers, ETags, bearer tokens, errors).
#include "connectors/mastodon/mastodon_connector.h"

#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>

#include "connectors/http/http_client.h"
#include "connectors/mastodon/mastodon_ids.h"
#include "connectors/mastodon/mastodon_link_header.h"
#include "connectors/mastodon/mastodon_statuses.h"
#include "core/time.h"
#include "core/utf8.h"
#include "tests/support/local_http_server.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

constexpr const char* kToken = "s3cr3t-T0ken-value";

std::string StatusJson(const std::string& id, const std::string& content) {
  return R"({"id":")" + id + R"(","created_at":"2024-10-17T09:20:11.000Z","in_reply_to_id":null,)" +
         R"("sensitive":false,"spoiler_text":"","visibility":"public","language":"en",)" +
         R"("uri":"https://social.voltwave.test/users/lena/statuses/)" + id + R"(",)" +
         R"("url":"https://social.voltwave.test/@lena/)" + id + R"(","replies_count":0,)" +
         R"("reblogs_count":0,"favourites_count":1,"content":")" + content + R"(","reblog":null,)" +
         R"("account":{"id":"1","username":"lena","acct":"lena","display_name":"Lena",)" +
         R"("followers_count":10,"url":"https://social.voltwave.test/@lena"},)" +
         R"("media_attachments":[],"mentions":[],"tags":[],"emojis":[],"card":null,"poll":null})";
}

// Plays an instance's tag timeline and v2 search over statuses numbered 1000, 1001...
class FakeInstance {
 public:
  explicit FakeInstance(LocalHttpServer& host) : host_(host) {
    host.server().Get(R"(/api/v1/timelines/tag/([^/]+))",
                      [this](const httplib::Request& req, httplib::Response& res) {
                        std::lock_guard lock(mu_);
                        Answer(req, res, false);
                      });
    host.server().Get("/api/v2/search",
                      [this](const httplib::Request& req, httplib::Response& res) {
                        std::lock_guard lock(mu_);
                        Answer(req, res, true);
                      });
  }
  void Add(int n) {
    std::lock_guard lock(mu_);
    for (int i = 0; i < n; ++i)
      ids_.push_back(next_id_++);
  }
  void Content(int64_t id, std::string content) {
    std::lock_guard lock(mu_);
    contents_[id] = std::move(content);
  }

 private:
  void Answer(const httplib::Request& req, httplib::Response& res, bool search) {
    if (req.get_header_value("Authorization") != std::string("Bearer ") + kToken) {
      res.status = 401;
      res.set_content(R"({"error":"The access token is invalid"})", "application/json");
      return;
    }
    const size_t limit = std::stoul(req.get_param_value("limit"));
    std::vector<int64_t> page;  // newest first
    if (req.has_param("min_id")) {
      const int64_t min_id = std::stoll(req.get_param_value("min_id"));
      for (int64_t id : ids_) {  // ascending: the oldest after min_id
        if (id > min_id && page.size() < limit) page.push_back(id);
      }
      std::reverse(page.begin(), page.end());
    } else {
      for (auto it = ids_.rbegin(); it != ids_.rend() && page.size() < limit; ++it)
        page.push_back(*it);
    }
    std::string list = "[";
    for (size_t i = 0; i < page.size(); ++i) {
      auto content = contents_.find(page[i]);
      list +=
          (i ? "," : "") + StatusJson(std::to_string(page[i]),
                                      content == contents_.end()
                                          ? "<p>Voltwave status " + std::to_string(page[i]) + "</p>"
                                          : content->second);
    }
    list += "]";
    const std::string body =
        search ? R"({"accounts":[],"statuses":)" + list + R"(,"hashtags":[]})" : list;
    if (!page.empty() && !search) {
      const std::string self = host_.Url(req.path) + "?limit=" + std::to_string(limit);
      res.set_header("Link", "<" + self + "&max_id=" + std::to_string(page.back()) +
                                 ">; rel=\"next\", <" + self +
                                 "&min_id=" + std::to_string(page.front()) + ">; rel=\"prev\"");
    }
    const std::string etag = "W/\"" + std::to_string(std::hash<std::string>()(body)) + "\"";
    res.set_header("ETag", etag);
    if (req.get_header_value("If-None-Match") == etag) {
      res.status = 304;
      return;
    }
    res.set_content(body, "application/json; charset=utf-8");
  }

  LocalHttpServer& host_;
  std::mutex mu_;
  std::vector<int64_t> ids_;
  std::map<int64_t, std::string> contents_;
  int64_t next_id_ = 1000;
};

struct MastodonOptions {
  std::string hashtag = "#Voltwave";
  std::string query;
  std::string token = kToken;
  std::string limit = "40";
};

std::unique_ptr<Connector> MakeMastodon(HttpClient& http, const std::string& instance,
                                        const MastodonOptions& o = {}) {
  SourceSpec spec;
  spec.name = "fedi";
  spec.kind = "mastodon";
  spec.settings.Set("instance", instance);
  if (!o.hashtag.empty()) spec.settings.Set("hashtag", o.hashtag);
  if (!o.query.empty()) spec.settings.Set("query", o.query);
  if (!o.token.empty()) spec.settings.Set("access_token", o.token);
  spec.settings.Set("limit", o.limit);
  spec.settings.Set("timeout", "5s");
  auto c = MastodonConnectorDescriptor().create(spec, http);
  REQUIRE(c.ok());
  return std::move(c).value();
}

std::vector<std::string> Ids(const PollResult& r) {
  std::vector<std::string> ids;
  for (const auto& m : r.mentions)
    ids.push_back(m.external_id);
  return ids;
}

}  // namespace

TEST_CASE("mastodon: a tag timeline becomes mentions, boosts as the boosted status", "[mastodon]") {
  auto page =
      ParseMastodonStatuses(ReadFile(DataPath("mastodon/tag_timeline_voltwave.json")), "fedi");
  REQUIRE(page.ok());
  CHECK(page->warnings.empty());
  CHECK(page->statuses == 4);
  CHECK(page->newest_id == "113322198765432101");
  REQUIRE(page->mentions.size() == 3);  // the direct message is left out

  const Mention& rant = page->mentions[0];
  CHECK(rant.source == "fedi");
  CHECK(rant.platform == "mastodon");
  CHECK(rant.external_id == "113322198765432101");
  CHECK(rant.url == "https://social.voltwave.test/@lena/113322198765432101");
  CHECK(rant.title == "e-bike rant");
  CHECK(rant.text ==
        "Third week without my #Voltwave bike & support still hasn't answered.\n\nAnyone else?");
  CHECK(rant.lang == "en");
  CHECK(rant.created_at == *ParseRfc3339("2024-10-17T09:20:11Z"));
  CHECK(rant.edited_at == 0);  // "edited_at": null
  CHECK(rant.author.id == "109876543210001");
  CHECK(rant.author.handle == "lena");
  CHECK(rant.author.name == "Lena \xe2\x9a\xa1");
  CHECK(rant.author.followers == 1532);
  CHECK(rant.author.profile_url == "https://social.voltwave.test/@lena");
  CHECK(rant.engagement.likes == 17);
  CHECK(rant.engagement.replies == 4);
  CHECK(rant.engagement.shares == 2);
  CHECK(rant.parent_id.empty());
  CHECK_THAT(rant.raw, Catch::StartsWith("{\"id\":\"113322198765432101\""));

  const Mention& boosted = page->mentions[1];
  CHECK(boosted.external_id == "113322190000000001");
  CHECK(boosted.author.handle == "kasia@pol.social");
  CHECK(boosted.url == "https://pol.social/@kasia/113322190000000001");
  CHECK(boosted.lang == "pl");
  CHECK(boosted.text == "Rower #Voltwave znowu nie dzia\xc5\x82\x61 \xf0\x9f\x98\xa1");
  CHECK(boosted.engagement.shares == 5);

  const Mention& reply = page->mentions[2];
  CHECK(reply.external_id == "113322198765432050");
  CHECK(reply.url == "https://social.voltwave.test/users/pedal_pusher/statuses/113322198765432050");
  CHECK(reply.parent_id == "113322198765432001");
  CHECK(reply.created_at == *ParseRfc3339("2024-10-17T09:10:02.123Z"));
  CHECK(reply.text ==
        "@lena same here, mine died after a firmware update\nVoltwave said it's \"expected\"");
  CHECK(reply.title.empty());
}

TEST_CASE("mastodon: edited_at is the edit time", "[mastodon]") {
  auto page = ParseMastodonStatuses(
      R"({"id":"113322198765432199","created_at":"2024-10-17T09:20:11.000Z",
      "edited_at":"2024-10-17T10:01:02.000Z","visibility":"public","language":"en",
      "content":"<p>Voltwave refunded me, edited my rant</p>","account":{"id":"7","acct":"ana"}})",
      "m");
  REQUIRE(page.ok());
  REQUIRE(page->mentions.size() == 1);
  CHECK(page->mentions[0].edited_at == *ParseRfc3339("2024-10-17T10:01:02Z"));
}

TEST_CASE("mastodon: v2 search results, single statuses and error bodies", "[mastodon]") {
  const ConnectorDescriptor* d = FindConnector("mastodon");
  REQUIRE(d != nullptr);
  auto found = d->parse(ReadFile(DataPath("mastodon/search_v2_statuses.json")), "saved");
  REQUIRE(found.ok());
  REQUIRE(found->size() == 2);
  CHECK((*found)[1].external_id == "113322198765432050");

  auto one = d->parse(StatusJson("77", "<p>one</p>"), "saved");
  REQUIRE(one.ok());
  REQUIRE(one->size() == 1);
  CHECK((*one)[0].text == "one");

  auto error = d->parse(ReadFile(DataPath("mastodon/error_401.json")), "saved");
  REQUIRE_FALSE(error.ok());
  CHECK(error.status().message() == "an error, not statuses: The access token is invalid");
  CHECK(MastodonErrorMessage(R"({"error":"invalid_grant","error_description":"expired"})") ==
        "invalid_grant: expired");
  CHECK(MastodonErrorMessage("not json").empty());
}

TEST_CASE("mastodon: malformed bodies fail clearly and bad statuses are skipped", "[mastodon]") {
  auto fails = [](std::string_view body, const std::string& message) {
    INFO(body);
    auto page = ParseMastodonStatuses(body, "fedi");
    REQUIRE_FALSE(page.ok());
    CHECK(page.status().code() == Status::Code::kParseError);
    CHECK(page.status().message() == message);
  };
  fails("", "invalid JSON at byte 0: The document is empty.");
  fails(R"([{"id":"1","content":"<p>cut)",
        "invalid JSON at byte 28: Missing a closing quotation "
        "mark in string.");
  fails("\"statuses\"", "expected an array of statuses, got a string");
  fails(R"({"statuses":{}})", "\"statuses\" is an object, not an array");
  fails(R"({"accounts":[]})",
        "expected an array of statuses or a search result, got an object without \"statuses\"");
  CHECK_FALSE(
      ParseMastodonStatuses(std::string(50000, '[') + std::string(50000, ']') + "]", "x").ok());

  auto page = ParseMastodonStatuses(
      R"([null,{"content":"no id"},{"id":5,"content":"numeric id"},{"id":"9","username":"x"},)"
      R"({"id":"12","content":7,"account":"nobody","favourites_count":"lots","reblog":null},)"
      R"({"id":"13","reblog":{"id":"4"}}])",
      "fedi");
  REQUIRE(page.ok());
  CHECK(page->warnings ==
        std::vector<std::string>{
            "status 0 skipped: null, not an object", "status 1 skipped: no \"id\" string",
            "status 2 skipped: no \"id\" string", "status 3 skipped: no \"content\": not a status",
            "status 5 skipped: its reblog has no \"content\": not a status"});
  CHECK(page->statuses == 6);
  CHECK(page->newest_id == "13");  // still read past, though its boost could not be used
  REQUIRE(page->mentions.size() == 1);
  CHECK(page->mentions[0].external_id == "12");
  CHECK(page->mentions[0].text == "7");  // a number where text belongs is read as its digits
  CHECK(page->mentions[0].author.handle.empty());
  CHECK(page->mentions[0].engagement.likes == 0);
}

TEST_CASE("mastodon: invalid UTF-8 in a status becomes U+FFFD", "[mastodon]") {
  auto page = ParseMastodonStatuses(
      "[" + StatusJson("42", "<p>Voltwave \xe2\x28\xa1 app \xff</p>") + "]", "fedi");
  REQUIRE(page.ok());
  REQUIRE(page->mentions.size() == 1);
  CHECK(IsValidUtf8(page->mentions[0].text));
  CHECK(IsValidUtf8(page->mentions[0].raw));
  CHECK_THAT(page->mentions[0].text, Catch::StartsWith("Voltwave \xef\xbf\xbd"));
  CHECK_THAT(page->mentions[0].text, Catch::EndsWith("app \xef\xbf\xbd"));
}

TEST_CASE("mastodon: status ids compare as numbers", "[mastodon]") {
  CHECK(CompareStatusIds("999", "1000") < 0);
  CHECK(CompareStatusIds("113322198765432101", "113322198765432099") > 0);
  CHECK(CompareStatusIds("42", "42") == 0);
  CHECK(IsPlausibleStatusId("113322198765432101"));
  CHECK(IsPlausibleStatusId("AbZ9x"));  // Pleroma-family ids
  CHECK_FALSE(IsPlausibleStatusId(""));
  CHECK_FALSE(IsPlausibleStatusId("1&limit=1"));
  CHECK_FALSE(IsPlausibleStatusId(std::string(65, '1')));
}

TEST_CASE("mastodon: Link headers name the next and previous pages", "[mastodon]") {
  const std::string link =
      "<https://m.example/api/v1/timelines/tag/voltwave?limit=40&max_id=1131>; rel=\"next\", "
      "<https://m.example/api/v1/timelines/tag/voltwave?limit=40&min_id=1170>; rel=\"prev\"";
  CHECK(LinkWithRel(link, "next") ==
        "https://m.example/api/v1/timelines/tag/voltwave?limit=40&max_id=1131");
  CHECK(QueryParameter(LinkWithRel(link, "prev"), "min_id") == "1170");
  CHECK(QueryParameter(LinkWithRel(link, "next"), "max_id") == "1131");
  CHECK(LinkWithRel("<https://a/?x=1>;REL=prev next", "next") == "https://a/?x=1");
  CHECK(LinkWithRel("<https://a/?x=1>; title=\"t\"; rel=\"prev\"", "prev") == "https://a/?x=1");
  CHECK(LinkWithRel("", "next").empty());
  CHECK(LinkWithRel("<https://a/>; rel=\"next\"", "prev").empty());
  CHECK(LinkWithRel("<unterminated; rel=next", "next").empty());
  CHECK(QueryParameter("https://a/?q=voltwave%20bike&min_id=5#frag", "q") == "voltwave bike");
  CHECK(QueryParameter("https://a/?min_id=5", "max_id").empty());
  CHECK(QueryParameter("https://a/", "min_id").empty());
}

TEST_CASE("mastodon: polls read forward with min_id until a short page, never twice",
          "[mastodon]") {
  LocalHttpServer host;
  FakeInstance instance(host);
  instance.Add(100);  // ids 1000..1099
  host.Start();
  HttpClient http;
  auto fedi = MakeMastodon(http, host.Url("/"));
  std::atomic<bool> stop{false};

  // The first poll takes the newest page only: no backfill of the whole history.
  auto first = fedi->Poll({}, stop);
  REQUIRE(first.ok());
  CHECK(first->http_status == 200);
  CHECK(first->mentions.size() == 40);
  CHECK(first->mentions.front().external_id == "1099");
  CHECK(first->next_cursor.position == "1099");
  CHECK_FALSE(first->has_more);
  CHECK_FALSE(first->next_cursor.etag.empty());
  auto seen = host.requests();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].path == "/api/v1/timelines/tag/Voltwave");
  CHECK(seen[0].params.find("limit")->second == "40");
  CHECK(seen[0].params.count("min_id") == 0);
  CHECK(seen[0].Header("Authorization") == std::string("Bearer ") + kToken);

  // Nothing new: the same URL and ETag, answered 304.
  auto quiet = fedi->Poll(first->next_cursor, stop);
  REQUIRE(quiet.ok());
  CHECK(quiet->mentions.empty());
  CHECK(quiet->next_cursor.position == "1099");
  CHECK_FALSE(quiet->has_more);

  instance.Add(90);  // 1100..1189
  std::set<std::string> all;
  SourceCursor cursor = quiet->next_cursor;
  std::vector<size_t> sizes;
  bool more = true;
  while (more && sizes.size() < 10) {
    auto r = fedi->Poll(cursor, stop);
    REQUIRE(r.ok());
    for (const auto& id : Ids(*r))
      CHECK(all.insert(id).second);
    sizes.push_back(r->mentions.size());
    cursor = r->next_cursor;
    more = r->has_more;
  }
  CHECK(sizes == std::vector<size_t>{40, 40, 10});
  CHECK(all.size() == 90);
  CHECK(*all.begin() == "1100");
  CHECK(cursor.position == "1189");
  CHECK(host.requests().back().params.find("min_id")->second == "1179");

  auto last = fedi->Poll(cursor, stop);
  REQUIRE(last.ok());
  CHECK(last->mentions.empty());
  CHECK(last->next_cursor.position == "1189");
}

TEST_CASE("mastodon: search polls v2 search for statuses after the cursor", "[mastodon]") {
  LocalHttpServer host;
  FakeInstance instance(host);
  instance.Add(3);
  host.Start();
  HttpClient http;
  MastodonOptions o;
  o.hashtag.clear();
  o.query = "voltwave refund";
  o.limit = "2";
  auto fedi = MakeMastodon(http, host.Url(""), o);
  std::atomic<bool> stop{false};

  SourceCursor cursor;
  cursor.position = "999";
  auto first = fedi->Poll(cursor, stop);
  REQUIRE(first.ok());
  CHECK(Ids(*first) == std::vector<std::string>{"1001", "1000"});
  CHECK(first->has_more);
  auto second = fedi->Poll(first->next_cursor, stop);
  REQUIRE(second.ok());
  CHECK(Ids(*second) == std::vector<std::string>{"1002"});
  CHECK_FALSE(second->has_more);
  const auto seen = host.requests();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].path == "/api/v2/search");
  CHECK(seen[0].params.find("q")->second == "voltwave refund");
  CHECK(seen[0].params.find("type")->second == "statuses");
  CHECK(seen[0].params.find("resolve")->second == "false");
  CHECK(seen[0].params.find("min_id")->second == "999");
  CHECK(seen[1].params.find("min_id")->second == "1001");
}

TEST_CASE("mastodon: errors fail the poll with the instance's reason, never the token",
          "[mastodon]") {
  LocalHttpServer host;
  FakeInstance instance(host);
  instance.Add(1);
  host.server().Get("/limited/api/v1/timelines/tag/Voltwave",
                    [](const httplib::Request&, httplib::Response& res) {
                      res.status = 429;
                      res.set_header("Retry-After", "90");
                      res.set_content(R"({"error":"Too many requests"})", "application/json");
                    });
  host.server().Get(
      "/reset/api/v1/timelines/tag/Voltwave", [](const httplib::Request&, httplib::Response& res) {
        res.status = 429;
        res.set_header("X-RateLimit-Remaining", "0");
        res.set_header("X-RateLimit-Reset", FormatRfc3339(NowMillis() + 120'000).c_str());
      });
  host.server().Get(
      "/down/api/v1/timelines/tag/Voltwave", [](const httplib::Request&, httplib::Response& res) {
        res.status = 500;
        res.set_content("<html>We're sorry, but something went wrong</html>", "text/html");
      });
  host.server().Get("/echo/api/v1/timelines/tag/Voltwave", [](const httplib::Request& req,
                                                              httplib::Response& res) {
    res.status = 403;
    res.set_content(
        R"({"error":"token )" + req.get_header_value("Authorization") + R"( is not allowed"})",
        "application/json");
  });
  host.server().Get("/cut/api/v1/timelines/tag/Voltwave",
                    [](const httplib::Request&, httplib::Response& res) {
                      res.set_content(R"([{"id":"1","content":"<p>Volt)", "application/json");
                    });
  host.server().Get("/html/api/v1/timelines/tag/Voltwave",
                    [](const httplib::Request&, httplib::Response& res) {
                      res.set_content("<!DOCTYPE html><html>maintenance</html>", "text/html");
                    });
  host.Start();
  HttpClient http;
  std::atomic<bool> stop{false};

  MastodonOptions wrong;
  wrong.token = "wrong-token";
  auto denied = MakeMastodon(http, host.Url(""), wrong)->Poll({}, stop);
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.status().code() == Status::Code::kHttpError);
  CHECK(denied.status().message() == "HTTP 401 from " +
                                         host.Url("/api/v1/timelines/tag/Voltwave?limit=40") +
                                         ": The access token is invalid");

  auto limited = MakeMastodon(http, host.Url("/limited"))->Poll({}, stop);
  REQUIRE_FALSE(limited.ok());
  CHECK(limited.status().code() == Status::Code::kUnavailable);
  CHECK_THAT(limited.status().message(),
             Catch::EndsWith("?limit=40, retry after 90 s: Too many requests"));

  auto reset = MakeMastodon(http, host.Url("/reset"))->Poll({}, stop);
  REQUIRE_FALSE(reset.ok());
  CHECK(reset.status().code() == Status::Code::kUnavailable);
  CHECK_THAT(reset.status().message(), Catch::Matches(".*rate limit resets in 1[12][0-9] s"));

  auto down = MakeMastodon(http, host.Url("/down"))->Poll({}, stop);
  REQUIRE_FALSE(down.ok());
  CHECK(down.status().code() == Status::Code::kHttpError);
  CHECK(down.status().message() ==
        "HTTP 500 from " + host.Url("/down/api/v1/timelines/tag/Voltwave?limit=40"));

  auto echo = MakeMastodon(http, host.Url("/echo"))->Poll({}, stop);
  REQUIRE_FALSE(echo.ok());
  CHECK_THAT(echo.status().message(), Catch::Contains("token Bearer REDACTED is not allowed"));
  CHECK_THAT(echo.status().message(), !Catch::Contains(kToken));

  auto cut = MakeMastodon(http, host.Url("/cut"))->Poll({}, stop);
  REQUIRE_FALSE(cut.ok());
  CHECK(cut.status().code() == Status::Code::kParseError);
  CHECK_THAT(cut.status().message(),
             Catch::StartsWith("GET " + host.Url("/cut/api/v1/timelines/tag/Voltwave?limit=40") +
                               ": invalid JSON at byte 29"));

  auto html = MakeMastodon(http, host.Url("/html"))->Poll({}, stop);
  REQUIRE_FALSE(html.ok());
  CHECK_THAT(html.status().message(), Catch::Contains("invalid JSON at byte 0"));
}

TEST_CASE("mastodon: a poll over invalid UTF-8 keeps the status, repaired", "[mastodon]") {
  LocalHttpServer host;
  FakeInstance instance(host);
  instance.Add(2);
  instance.Content(1001, "<p>Voltwave \xc0\xaf broken</p>");
  host.Start();
  HttpClient http;
  std::atomic<bool> stop{false};
  auto r = MakeMastodon(http, host.Url(""))->Poll({}, stop);
  REQUIRE(r.ok());
  REQUIRE(r->mentions.size() == 2);
  CHECK(IsValidUtf8(r->mentions[0].text));
  CHECK_THAT(r->mentions[0].text, Catch::StartsWith("Voltwave \xef\xbf\xbd"));
  CHECK_THAT(r->mentions[0].text, Catch::EndsWith(" broken"));
}

TEST_CASE("mastodon: settings are checked when the source is created", "[mastodon]") {
  HttpClient http;
  auto make = [&](std::map<std::string, std::string> values) {
    SourceSpec spec;
    spec.name = "fedi";
    for (const auto& [k, v] : values)
      spec.settings.Set(k, v);
    return MastodonConnectorDescriptor().create(spec, http);
  };
  CHECK(make({{"instance", "https://m.example"}, {"hashtag", "voltwave"}}).ok());
  CHECK(make({{"instance", "https://m.example"}, {"query", "voltwave app"}}).ok());
  auto both = make({{"instance", "https://m.example"}, {"hashtag", "a"}, {"query", "b"}});
  REQUIRE_FALSE(both.ok());
  CHECK(both.status().message() == "set exactly one of hashtag and query");
  CHECK_FALSE(make({{"instance", "https://m.example"}, {"hashtag", "#"}}).ok());
  CHECK_FALSE(make({{"instance", "https://m.example"}, {"hashtag", "a/b"}}).ok());
  CHECK_FALSE(make({{"instance", "m.example"}, {"hashtag", "a"}}).ok());
  CHECK_FALSE(make({{"instance", "https://m.example"}, {"hashtag", "a"}, {"limit", "80"}}).ok());
}

TEST_CASE("mastodon: recorded Mastodon bodies parse", "[mastodon][shared]") {
  const std::filesystem::path root = std::string(EARSHOT_SHARED_DIR) + "/fixtures/mastodon";
  if (!std::filesystem::exists(root)) {
    WARN("skipped: " << root << " is absent");
    return;
  }
  int files = 0, mentions = 0;
  for (const char* dir : {"timelines", "pagination"}) {
    for (const auto& entry : std::filesystem::directory_iterator(root / dir)) {
      const std::string name = entry.path().filename().string();
      if (name.size() < 10 || name.substr(name.size() - 10) == ".meta.json") continue;
      INFO(entry.path());
      auto page = ParseMastodonStatuses(ReadFile(entry.path().string()), "recorded");
      REQUIRE(page.ok());
      CHECK(page->warnings.empty());
      ++files;
      for (const auto& m : page->mentions) {
        ++mentions;
        CHECK_FALSE(m.external_id.empty());
        CHECK_FALSE(m.url.empty());
        CHECK(m.created_at > 0);
        CHECK(IsValidUtf8(m.text));
      }
      // The recorded Link header's prev page starts after the newest status of this one.
      const std::string meta_path = entry.path().string() + ".meta.json";
      if (page->newest_id.empty() || !std::filesystem::exists(meta_path)) continue;
      rapidjson::Document meta;
      meta.Parse(ReadFile(meta_path).c_str());
      if (!meta.IsObject() || !meta.HasMember("response_headers")) continue;
      const auto& headers = meta["response_headers"];
      if (!headers.IsObject() || !headers.HasMember("link") || !headers["link"].IsString())
        continue;
      CHECK(QueryParameter(LinkWithRel(headers["link"].GetString(), "prev"), "min_id") ==
            page->newest_id);
    }
  }
  for (const char* file : {"search/v2_search_resolve.json", "statuses/reblog_wrapper.json",
                           "statuses/get_status.json"}) {
    INFO(file);
    auto page = ParseMastodonStatuses(ReadFile((root / file).string()), "recorded");
    REQUIRE(page.ok());
    CHECK(page->warnings.empty());
  }
  auto error = ParseMastodonStatuses(ReadFile((root / "errors/401_invalid_token.json").string()),
                                     "recorded");
  REQUIRE_FALSE(error.ok());
  CHECK_THAT(error.status().message(), Catch::Contains("The access token is invalid"));
  WARN("recorded Mastodon bodies: " << files << " files, " << mentions << " mentions");
  CHECK(mentions > 0);
}
