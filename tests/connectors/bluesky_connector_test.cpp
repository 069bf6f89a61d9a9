// The bluesky source: searchPosts pages parsed offline, and poll cycles against a local server
// playing the AppView and a PDS (sessions, refresh, cursor paging, catch-up windows, errors).
#include "connectors/bluesky/bluesky_connector.h"

#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <mutex>
#include <set>

#include "connectors/bluesky/bluesky_posts.h"
#include "connectors/http/http_client.h"
#include "core/time.h"
#include "core/utf8.h"
#include "tests/support/local_http_server.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

constexpr const char* kIdentifier = "care.voltwave.com";
constexpr const char* kAppPassword = "abcd-efgh-ijkl-mnop";

struct Post {
  int n = 0;
  UnixMillis at = 0;
  std::string text;
};

std::string PostJson(const Post& p) {
  const std::string rkey = "3lr" + std::to_string(100000 + p.n);
  return R"({"uri":"at://did:plc:author)" + std::to_string(p.n % 5) + R"(/app.bsky.feed.post/)" +
         rkey + R"(","cid":"bafy)" + std::to_string(p.n) + R"(","author":{"did":"did:plc:author)" +
         std::to_string(p.n % 5) + R"(","handle":"rider)" + std::to_string(p.n % 5) +
         R"(.bsky.social","displayName":"Rider"},"record":{"$type":"app.bsky.feed.post",)"
         R"("createdAt":")" +
         FormatRfc3339(p.at) + R"(","langs":["en"],"text":")" + p.text +
         R"("},"replyCount":0,"repostCount":1,"likeCount":2,"quoteCount":0,"indexedAt":")" +
         FormatRfc3339(p.at + 400) + R"(","labels":[]})";
}

std::string Rkey(int n) {
  return "3lr" + std::to_string(100000 + n);
}

// searchPosts newest first, since= inclusive and until= exclusive on the sort time, an offset
// cursor; with accounts, createSession/refreshSession and tokens that can be expired.
class FakeBluesky {
 public:
  FakeBluesky(LocalHttpServer& host, bool require_auth) : require_auth_(require_auth) {
    host.server().Post("/xrpc/com.atproto.server.createSession", [this](const httplib::Request& req,
                                                                        httplib::Response& res) {
      std::lock_guard lock(mu_);
      ++creates_;
      rapidjson::Document body;
      body.Parse(req.body.c_str());
      if (!body.IsObject() || !body.HasMember("identifier") || !body.HasMember("password") ||
          std::string(body["identifier"].GetString()) != kIdentifier ||
          std::string(body["password"].GetString()) != kAppPassword) {
        res.status = 401;
        res.set_content(
            R"({"error":"AuthenticationRequired","message":"Invalid identifier or password"})",
            "application/json");
        return;
      }
      Issue(res);
    });
    host.server().Post("/xrpc/com.atproto.server.refreshSession",
                       [this](const httplib::Request& req, httplib::Response& res) {
                         std::lock_guard lock(mu_);
                         ++refreshes_;
                         const std::string auth = req.get_header_value("Authorization");
                         if (auth.rfind("Bearer ", 0) != 0 || !refresh_.count(auth.substr(7))) {
                           res.status = 400;
                           res.set_content(
                               R"({"error":"ExpiredToken","message":"Token has expired"})",
                               "application/json");
                           return;
                         }
                         refresh_.erase(auth.substr(7));
                         Issue(res);
                       });
    host.server().Get("/xrpc/app.bsky.feed.searchPosts", [this](const httplib::Request& req,
                                                                httplib::Response& res) {
      std::lock_guard lock(mu_);
      if (require_auth_) {
        const std::string auth = req.get_header_value("Authorization");
        if (auth.rfind("Bearer ", 0) != 0 || !access_.count(auth.substr(7))) {
          res.status = 400;
          res.set_content(R"({"error":"ExpiredToken","message":"Token has expired"})",
                          "application/json");
          return;
        }
      }
      const UnixMillis since =
          req.has_param("since") ? ParseRfc3339(req.get_param_value("since")).value_or(0) : 0;
      const UnixMillis until = req.has_param("until")
                                   ? ParseRfc3339(req.get_param_value("until")).value_or(0)
                                   : INT64_MAX;
      const size_t limit = std::stoul(req.get_param_value("limit"));
      const size_t offset = req.has_param("cursor") ? std::stoul(req.get_param_value("cursor")) : 0;
      std::vector<Post> matching;  // newest first
      for (auto it = posts_.rbegin(); it != posts_.rend(); ++it) {
        if (it->at >= since && it->at < until) matching.push_back(*it);
      }
      std::string body = R"({"posts":[)";
      size_t i = offset;
      for (; i < matching.size() && i < offset + limit; ++i)
        body += (i == offset ? "" : ",") + PostJson(matching[i]);
      body += "]";
      if (i < matching.size()) body += R"(,"cursor":")" + std::to_string(i) + "\"";
      body += "}";
      res.set_content(body, "application/json; charset=utf-8");
    });
  }

  // Posts numbered on, a second apart, ending a minute ago.
  void Add(int count) {
    std::lock_guard lock(mu_);
    for (int i = 0; i < count; ++i) {
      posts_.push_back({next_, clock_, "Voltwave post " + std::to_string(next_)});
      ++next_;
      clock_ += 1000;
    }
  }
  void Text(int n, std::string text) {
    std::lock_guard lock(mu_);
    for (auto& p : posts_)
      if (p.n == n) p.text = std::move(text);
  }
  void ExpireAccessTokens() {
    std::lock_guard lock(mu_);
    access_.clear();
  }
  void ExpireAllTokens() {
    std::lock_guard lock(mu_);
    access_.clear();
    refresh_.clear();
  }
  int creates() {
    std::lock_guard lock(mu_);
    return creates_;
  }
  int refreshes() {
    std::lock_guard lock(mu_);
    return refreshes_;
  }

 private:
  void Issue(httplib::Response& res) {
    ++issued_;
    const std::string access = "eyJhY2Nlc3Mi.access-jwt-" + std::to_string(issued_);
    const std::string refresh = "eyJyZWZyZXNo.refresh-jwt-" + std::to_string(issued_);
    access_.insert(access);
    refresh_.insert(refresh);
    res.set_content(R"({"did":"did:plc:care","handle":"care.voltwave.com","accessJwt":")" + access +
                        R"(","refreshJwt":")" + refresh + R"(","active":true})",
                    "application/json");
  }

  std::mutex mu_;
  bool require_auth_ = false;
  std::vector<Post> posts_;  // oldest first
  std::set<std::string> access_, refresh_;
  int issued_ = 0, creates_ = 0, refreshes_ = 0;
  int next_ = 1;
  UnixMillis clock_ = NowMillis() - 3'600'000;
};

std::unique_ptr<Connector> MakeBluesky(HttpClient& http, const LocalHttpServer& host,
                                       std::map<std::string, std::string> extra = {}) {
  SourceSpec spec;
  spec.name = "bsky-voltwave";
  spec.kind = "bluesky";
  spec.settings.Set("query", "voltwave");
  spec.settings.Set("service_url", host.Url(""));
  spec.settings.Set("auth_url", host.Url("/"));
  spec.settings.Set("timeout", "5s");
  for (const auto& [k, v] : extra)
    spec.settings.Set(k, v);
  auto c = BlueskyConnectorDescriptor().create(spec, http);
  REQUIRE(c.ok());
  return std::move(c).value();
}

std::vector<RecordedRequest> Requests(const LocalHttpServer& host, const std::string& path) {
  std::vector<RecordedRequest> out;
  for (const auto& r : host.requests()) {
    if (r.path == path) out.push_back(r);
  }
  return out;
}

std::string Param(const RecordedRequest& r, const std::string& name) {
  auto it = r.params.find(name);
  return it == r.params.end() ? "" : it->second;
}

}  // namespace

TEST_CASE("bluesky: a searchPosts page becomes mentions", "[bluesky]") {
  auto page = ParseBlueskyPosts(ReadFile(DataPath("bluesky/search_posts_voltwave.json")), "bs");
  REQUIRE(page.ok());
  CHECK(page->warnings.empty());
  CHECK(page->posts == 3);
  CHECK(page->cursor == "3");
  REQUIRE(page->mentions.size() == 3);
  const Mention& m = page->mentions[0];
  CHECK(m.source == "bs");
  CHECK(m.platform == "bluesky");
  CHECK(m.external_id == "at://did:plc:7xq2mk4r3vbn5wz6ytcd1hfp/app.bsky.feed.post/3lr7kq2vxbc2k");
  CHECK(m.url == "https://bsky.app/profile/mira-codes.bsky.social/post/3lr7kq2vxbc2k");
  CHECK(m.author.id == "did:plc:7xq2mk4r3vbn5wz6ytcd1hfp");
  CHECK(m.author.handle == "mira-codes.bsky.social");
  CHECK(m.author.name == "Mira \xc3\x98stby \xf0\x9f\x9a\xb2");
  CHECK(m.author.profile_url == "https://bsky.app/profile/mira-codes.bsky.social");
  CHECK(m.text == "Third Voltwave battery in a year and support ghosted me #voltwave");
  CHECK(m.lang == "en");
  CHECK(m.created_at == *ParseRfc3339("2025-06-02T08:14:31.507Z"));
  CHECK(page->sort_at[0] == *ParseRfc3339("2025-06-02T08:14:31.507Z"));
  CHECK(m.thread_id == m.external_id);
  CHECK(m.parent_id.empty());
  CHECK(m.engagement.likes == 17);
  CHECK(m.engagement.replies == 4);
  CHECK(m.engagement.shares == 3);
  CHECK_THAT(m.raw, Catch::Contains(
                        "\"cid\":\"bafyreigq3x7w5ikm2ldq4kqz6hv2y5ytp3n6mvlrflxqk7hdpc4tm3shbe\""));

  const Mention& reply = page->mentions[1];
  CHECK(reply.lang == "en");
  CHECK(reply.parent_id ==
        "at://did:plc:7xq2mk4r3vbn5wz6ytcd1hfp/app.bsky.feed.post/3lr7iqo2abc2x");
  CHECK(reply.thread_id ==
        "at://did:plc:7xq2mk4r3vbn5wz6ytcd1hfp/app.bsky.feed.post/3lr7ia6bbbb2y");
  // An invalid handle: the DID names the author instead.
  const Mention& anon = page->mentions[2];
  CHECK(anon.url == "https://bsky.app/profile/did:plc:z3y2x1w0v9u8t7s6r5q4p3o2/post/3lr7hb4lkxs2a");
  CHECK(anon.lang == "de");
  CHECK(anon.author.name.empty());
  CHECK(anon.text ==
        "Mein Voltwave Akku ist nach 3 Monaten tot. Gibt es eine R\xc3\xbc"
        "ckerstattung?");

  const ConnectorDescriptor* d = FindConnector("bluesky");
  REQUIRE(d != nullptr);
  auto parsed = d->parse(ReadFile(DataPath("bluesky/search_posts_voltwave.json")), "saved");
  REQUIRE(parsed.ok());
  CHECK(parsed->size() == 3);
}

TEST_CASE("bluesky: errors, malformed bodies and bad bytes", "[bluesky]") {
  auto fails = [](std::string_view body, const std::string& message) {
    INFO(body);
    auto page = ParseBlueskyPosts(body, "bs");
    REQUIRE_FALSE(page.ok());
    CHECK(page.status().code() == Status::Code::kParseError);
    CHECK(page.status().message() == message);
  };
  fails(ReadFile(DataPath("bluesky/error_expired_token.json")),
        "an error, not posts: ExpiredToken: Token has expired");
  fails("", "invalid JSON at byte 0: The document is empty.");
  fails(R"({"posts":[{"uri":"at://did:plc:x/app.bsky.feed.post/1","record":{"text":"Volt)",
        "invalid JSON at byte 77: Missing a closing quotation mark in string.");
  fails("[]", "expected a searchPosts response object, got an array");
  fails(R"({"posts": {}})", "\"posts\" is an object, not an array");
  fails(R"({"feed": []})", "no \"posts\" array: not a searchPosts response");
  CHECK_FALSE(ParseBlueskyPosts(std::string(100000, '['), "bs").ok());

  auto page = ParseBlueskyPosts(
      "{\"posts\":[7,{\"cid\":\"x\"},{\"uri\":\"at://did:plc:a/app.bsky.feed.post/3k\","
      "\"record\":{\"text\":\"bad \xf0\x9f\x98 bytes \xed\xa0\x80\",\"createdAt\":5,"
      "\"langs\":[\"english\"]},\"likeCount\":\"many\",\"author\":{\"handle\":\"a.b\"}}]}",
      "bs");
  REQUIRE(page.ok());
  CHECK(page->warnings == std::vector<std::string>{"post 0 skipped: a number, not an object",
                                                   "post 1 skipped: no at:// \"uri\""});
  REQUIRE(page->mentions.size() == 1);
  const Mention& m = page->mentions[0];
  CHECK(IsValidUtf8(m.text));
  CHECK(IsValidUtf8(m.raw));
  CHECK_THAT(m.text, Catch::StartsWith("bad \xef\xbf\xbd"));
  CHECK(m.lang.empty());
  CHECK(m.created_at == 0);
  CHECK(m.engagement.likes == 0);
  CHECK(m.url == "https://bsky.app/profile/a.b/post/3k");
  CHECK(page->cursor.empty());

  CHECK(BlueskyPostUrl("at://did:plc:a/app.bsky.feed.like/3k", "a.b", "") == "");
  CHECK(BlueskyPostUrl("https://x", "a.b", "") == "");
  CHECK(BlueskyPostUrl("at://did:plc:a/app.bsky.feed.post/3k", "", "") ==
        "https://bsky.app/profile/did:plc:a/post/3k");
}

TEST_CASE("bluesky: pages down to the cursor, then only what is new", "[bluesky]") {
  LocalHttpServer host;
  FakeBluesky bsky(host, false);
  bsky.Add(250);
  host.Start();
  HttpClient http;
  auto source = MakeBluesky(http, host, {{"limit", "100"}});
  std::atomic<bool> stop{false};

  auto first = source->Poll({}, stop);
  REQUIRE(first.ok());
  CHECK(first->http_status == 200);
  CHECK(first->mentions.size() == 250);
  CHECK_FALSE(first->has_more);
  CHECK(first->mentions.front().url ==
        "https://bsky.app/profile/rider0.bsky.social/post/" + Rkey(250));
  auto searches = Requests(host, "/xrpc/app.bsky.feed.searchPosts");
  REQUIRE(searches.size() == 3);
  CHECK(Param(searches[0], "q") == "voltwave");
  CHECK(Param(searches[0], "sort") == "latest");
  CHECK(Param(searches[0], "limit") == "100");
  CHECK_FALSE(Param(searches[0], "since").empty());
  CHECK(Param(searches[0], "cursor").empty());
  CHECK(Param(searches[1], "cursor") == "100");
  CHECK(Param(searches[2], "cursor") == "200");
  CHECK(searches[0].Header("Authorization").empty());

  auto quiet = source->Poll(first->next_cursor, stop);
  REQUIRE(quiet.ok());
  CHECK(quiet->mentions.empty());
  CHECK(quiet->next_cursor == first->next_cursor);

  bsky.Add(3);
  auto second = source->Poll(quiet->next_cursor, stop);
  REQUIRE(second.ok());
  REQUIRE(second->mentions.size() == 3);
  CHECK(second->mentions[0].url == "https://bsky.app/profile/rider3.bsky.social/post/" + Rkey(253));
  auto third = source->Poll(second->next_cursor, stop);
  REQUIRE(third.ok());
  CHECK(third->mentions.empty());
}

TEST_CASE("bluesky: max_pages bounds a poll; the rest is caught up, none skipped", "[bluesky]") {
  LocalHttpServer host;
  FakeBluesky bsky(host, false);
  bsky.Add(30);
  host.Start();
  HttpClient http;
  auto source = MakeBluesky(http, host, {{"limit", "10"}, {"max_pages", "2"}});
  std::atomic<bool> stop{false};

  auto first = source->Poll({}, stop);
  REQUIRE(first.ok());
  CHECK(first->mentions.size() == 20);
  CHECK(first->has_more);
  std::set<std::string> all;
  for (const auto& m : first->mentions)
    all.insert(m.external_id);
  bsky.Add(5);  // arrives while catching up
  SourceCursor cursor = first->next_cursor;
  std::vector<size_t> sizes;
  bool more = true;
  int again = 0;
  while (more && sizes.size() < 10) {
    auto r = source->Poll(cursor, stop);
    REQUIRE(r.ok());
    for (const auto& m : r->mentions)
      again += all.insert(m.external_id).second ? 0 : 1;
    sizes.push_back(r->mentions.size());
    cursor = r->next_cursor;
    more = r->has_more;
  }
  // The window resumes at the oldest post read, inclusive: that one post comes again (the store
  // keeps it once); nothing older is skipped.
  CHECK(sizes == std::vector<size_t>{11});
  CHECK(again == 1);
  CHECK(all.size() == 30);
  auto next = source->Poll(cursor, stop);
  REQUIRE(next.ok());
  CHECK(next->mentions.size() == 5);
  for (const auto& m : next->mentions)
    CHECK(all.insert(m.external_id).second);
  CHECK(all.size() == 35);
}

TEST_CASE("bluesky: an app password opens a session; expired tokens are refreshed", "[bluesky]") {
  LocalHttpServer host;
  FakeBluesky bsky(host, true);
  bsky.Add(3);
  host.Start();
  HttpClient http;
  auto source =
      MakeBluesky(http, host, {{"identifier", kIdentifier}, {"app_password", kAppPassword}});
  std::atomic<bool> stop{false};

  auto first = source->Poll({}, stop);
  REQUIRE(first.ok());
  CHECK(first->mentions.size() == 3);
  CHECK(bsky.creates() == 1);
  const auto sessions = Requests(host, "/xrpc/com.atproto.server.createSession");
  REQUIRE(sessions.size() == 1);
  CHECK(sessions[0].method == "POST");
  CHECK(sessions[0].Header("Content-Type") == "application/json");
  CHECK(sessions[0].body == std::string(R"({"identifier":")") + kIdentifier + R"(","password":")" +
                                kAppPassword + "\"}");
  CHECK(Requests(host, "/xrpc/app.bsky.feed.searchPosts")[0].Header("Authorization") ==
        "Bearer eyJhY2Nlc3Mi.access-jwt-1");

  bsky.ExpireAccessTokens();
  bsky.Add(2);
  auto second = source->Poll(first->next_cursor, stop);
  REQUIRE(second.ok());
  CHECK(second->mentions.size() == 2);
  CHECK(bsky.refreshes() == 1);
  CHECK(bsky.creates() == 1);
  const auto refreshes = Requests(host, "/xrpc/com.atproto.server.refreshSession");
  REQUIRE(refreshes.size() == 1);
  CHECK(refreshes[0].Header("Authorization") == "Bearer eyJyZWZyZXNo.refresh-jwt-1");
  CHECK(Requests(host, "/xrpc/app.bsky.feed.searchPosts").back().Header("Authorization") ==
        "Bearer eyJhY2Nlc3Mi.access-jwt-2");

  // The refresh token expired too: a new session.
  bsky.ExpireAllTokens();
  bsky.Add(1);
  auto third = source->Poll(second->next_cursor, stop);
  REQUIRE(third.ok());
  CHECK(third->mentions.size() == 1);
  CHECK(bsky.refreshes() == 2);
  CHECK(bsky.creates() == 2);
}

TEST_CASE("bluesky: a wrong app password fails without showing it", "[bluesky]") {
  LocalHttpServer host;
  FakeBluesky bsky(host, true);
  host.Start();
  HttpClient http;
  std::atomic<bool> stop{false};
  auto wrong =
      MakeBluesky(http, host, {{"identifier", kIdentifier}, {"app_password", "wrong-pass-word"}})
          ->Poll({}, stop);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.status().code() == Status::Code::kHttpError);
  CHECK(wrong.status().message() ==
        "createSession: HTTP 401 from " + host.Url("/xrpc/com.atproto.server.createSession") +
            ": AuthenticationRequired: Invalid identifier or password (check identifier and "
            "app_password)");
  CHECK_THAT(wrong.status().message(), !Catch::Contains("wrong-pass-word"));
  CHECK(bsky.creates() == 1);
}

TEST_CASE("bluesky: rate limits, server errors, truncated bodies", "[bluesky]") {
  LocalHttpServer host;
  int calls = 0;
  host.server().Get("/limited/xrpc/app.bsky.feed.searchPosts", [&](const httplib::Request&,
                                                                   httplib::Response& res) {
    ++calls;
    res.status = 429;
    res.set_header("Retry-After", "30");
    res.set_content(R"({"error":"RateLimitExceeded","message":"Rate Limit Exceeded"})",
                    "application/json");
  });
  host.server().Get("/reset/xrpc/app.bsky.feed.searchPosts",
                    [](const httplib::Request&, httplib::Response& res) {
                      res.status = 429;
                      res.set_header("RateLimit-Reset", std::to_string(NowMillis() / 1000 + 120));
                      res.set_content(R"({"error":"RateLimitExceeded"})", "application/json");
                    });
  host.server().Get("/down/xrpc/app.bsky.feed.searchPosts",
                    [](const httplib::Request&, httplib::Response& res) {
                      res.status = 502;
                      res.set_content("<html>Bad Gateway</html>", "text/html");
                    });
  host.server().Get(
      "/cut/xrpc/app.bsky.feed.searchPosts", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"posts":[{"uri":"at://did:plc:a/app.bsky.fe)", "application/json");
      });
  host.server().Get("/bytes/xrpc/app.bsky.feed.searchPosts",
                    [](const httplib::Request&, httplib::Response& res) {
                      res.set_content(
                          "{\"posts\":[{\"uri\":\"at://did:plc:a/app.bsky.feed.post/3k\","
                          "\"author\":{\"handle\":\"a.b\"},\"record\":{\"text\":\"Voltwave "
                          "\xc3\x28 app\",\"createdAt\":\"" +
                              FormatRfc3339(NowMillis() - 1000) + "\"}}]}",
                          "application/json");
                    });
  host.Start();
  HttpClient http;
  std::atomic<bool> stop{false};

  auto limited_source = MakeBluesky(http, host, {{"service_url", host.Url("/limited")}});
  auto limited = limited_source->Poll({}, stop);
  REQUIRE_FALSE(limited.ok());
  CHECK(limited.status().code() == Status::Code::kUnavailable);
  CHECK_THAT(limited.status().message(),
             Catch::StartsWith("HTTP 429 from " + host.Url("/limited")));
  CHECK_THAT(limited.status().message(),
             Catch::EndsWith(", retry after 30 s: RateLimitExceeded: Rate Limit Exceeded"));
  auto waiting = limited_source->Poll({}, stop);
  REQUIRE_FALSE(waiting.ok());
  CHECK(waiting.status().code() == Status::Code::kUnavailable);
  CHECK_THAT(waiting.status().message(),
             Catch::Matches("bluesky rate limit reached: next request in (30|29) s"));
  CHECK(calls == 1);

  auto reset = MakeBluesky(http, host, {{"service_url", host.Url("/reset")}})->Poll({}, stop);
  REQUIRE_FALSE(reset.ok());
  CHECK_THAT(reset.status().message(),
             Catch::Matches(".*, rate limit resets in (120|119) s: RateLimitExceeded"));

  auto down = MakeBluesky(http, host, {{"service_url", host.Url("/down")}})->Poll({}, stop);
  REQUIRE_FALSE(down.ok());
  CHECK(down.status().code() == Status::Code::kHttpError);
  CHECK_THAT(down.status().message(), Catch::StartsWith("HTTP 502 from " + host.Url("/down")));

  auto cut = MakeBluesky(http, host, {{"service_url", host.Url("/cut")}})->Poll({}, stop);
  REQUIRE_FALSE(cut.ok());
  CHECK(cut.status().code() == Status::Code::kParseError);
  CHECK_THAT(cut.status().message(), Catch::Contains(": invalid JSON at byte "));

  auto bytes = MakeBluesky(http, host, {{"service_url", host.Url("/bytes")}})->Poll({}, stop);
  REQUIRE(bytes.ok());
  REQUIRE(bytes->mentions.size() == 1);
  CHECK(bytes->mentions[0].text == "Voltwave \xef\xbf\xbd( app");
}

TEST_CASE("bluesky: settings", "[bluesky]") {
  HttpClient http;
  auto make = [&](std::map<std::string, std::string> values) {
    SourceSpec spec;
    spec.name = "bs";
    for (const auto& [k, v] : values)
      spec.settings.Set(k, v);
    return BlueskyConnectorDescriptor().create(spec, http);
  };
  CHECK(make({{"query", "voltwave"}}).ok());
  CHECK_FALSE(make({}).ok());
  auto half = make({{"query", "voltwave"}, {"identifier", "a.bsky.social"}});
  REQUIRE_FALSE(half.ok());
  CHECK(half.status().message() == "set both identifier and app_password, or neither");
  CHECK_FALSE(make({{"query", "v"}, {"limit", "101"}}).ok());
  CHECK_FALSE(make({{"query", "v"}, {"max_pages", "0"}}).ok());
  CHECK_FALSE(make({{"query", "v"}, {"service_url", "public.api.bsky.app"}}).ok());
}

TEST_CASE("bluesky: recorded Bluesky bodies parse", "[bluesky][shared]") {
  const std::filesystem::path root = std::string(EARSHOT_SHARED_DIR) + "/fixtures/bluesky";
  const std::filesystem::path search =
      root / "bskyr/search/app.bsky.feed.searchPosts_q_redistricting.json";
  if (!std::filesystem::exists(search)) {
    WARN("skipped: " << search << " is absent");
    return;
  }
  auto page = ParseBlueskyPosts(ReadFile(search.string()), "recorded");
  REQUIRE(page.ok());
  CHECK(page->warnings.empty());
  CHECK_FALSE(page->cursor.empty());
  CHECK(page->mentions.size() > 0);
  for (const auto& m : page->mentions) {
    CHECK_THAT(m.url, Catch::StartsWith("https://bsky.app/profile/"));
    CHECK(m.created_at > 0);
    CHECK(IsValidUtf8(m.text));
    CHECK_FALSE(m.author.id.empty());
  }
  for (const char* file :
       {"bskyr/errors/401_createSession.json", "bskyr/errors/400_createRecord.json"}) {
    const auto path = root / file;
    if (!std::filesystem::exists(path)) continue;
    auto error = ParseBlueskyPosts(ReadFile(path.string()), "recorded");
    REQUIRE_FALSE(error.ok());
    CHECK_THAT(error.status().message(), Catch::StartsWith("an error, not posts: "));
  }
  WARN("recorded Bluesky search: " << page->mentions.size() << " mentions");
}
