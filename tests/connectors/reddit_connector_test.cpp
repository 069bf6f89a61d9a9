// The reddit source: listings parsed offline, and poll cycles against a local server playing
// Reddit's token endpoint and OAuth API (before= paging, token expiry and revocation, rate
// limits, errors).
#include "connectors/reddit/reddit_connector.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <mutex>
#include <set>

#include "connectors/http/http_client.h"
#include "connectors/reddit/reddit_listing.h"
#include "connectors/reddit/reddit_rate_limit.h"
#include "connectors/reddit/reddit_token.h"
#include "core/time.h"
#include "core/utf8.h"
#include "tests/support/local_http_server.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

constexpr const char* kClientId = "vWq3-clientid";
constexpr const char* kClientSecret = "Zx9-very-secret-value";

std::string Base36(int64_t n) {
  std::string s;
  do {
    s.insert(s.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[n % 36]);
    n /= 36;
  } while (n > 0);
  return s;
}

struct Post {
  int64_t n = 0;
  int64_t created = 0;
  std::string title;
};

std::string PostJson(const Post& p, const std::string& text) {
  const std::string id = Base36(p.n);
  return R"({"kind":"t3","data":{"subreddit":"voltwave","selftext":")" + text +
         R"(","author_fullname":"t2_9x8y7","title":")" + p.title + R"(","name":"t3_)" + id +
         R"(","score":3,"id":")" + id + R"(","author":"rider)" + std::to_string(p.n % 7) +
         R"(","num_comments":1,"permalink":"/r/voltwave/comments/)" + id +
         R"(/post/","url":"https://www.reddit.com/r/voltwave/comments/)" + id +
         R"(/post/","created_utc":)" + std::to_string(p.created) + R"(.0,"is_self":true}})";
}

// Reddit's token endpoint and /r/voltwave/new, with before= answering the items just newer than
// the anchor (newest first), and nothing for an anchor it does not list.
class FakeReddit {
 public:
  explicit FakeReddit(LocalHttpServer& host) {
    host.server().Post(
        "/api/v1/access_token", [this](const httplib::Request& req, httplib::Response& res) {
          std::lock_guard lock(mu_);
          if (req.get_header_value("Authorization") !=
                  "Basic " + Base64(std::string(kClientId) + ":" + kClientSecret) ||
              req.body != "grant_type=client_credentials") {
            res.status = 401;
            res.set_content(R"({"message": "Unauthorized", "error": 401})", "application/json");
            return;
          }
          const std::string token = "tok-" + std::to_string(++tokens_issued_);
          valid_tokens_.insert(token);
          res.set_content(R"({"access_token": ")" + token +
                              R"(", "token_type": "bearer", "expires_in": )" +
                              std::to_string(expires_in_) + R"(, "scope": "*"})",
                          "application/json");
        });
    host.server().Get(
        "/r/voltwave/new", [this](const httplib::Request& req, httplib::Response& res) {
          std::lock_guard lock(mu_);
          const std::string auth = req.get_header_value("Authorization");
          if (auth.rfind("bearer ", 0) != 0 || !valid_tokens_.count(auth.substr(7))) {
            res.status = 401;
            res.set_content(R"({"message": "Unauthorized", "error": 401})", "application/json");
            return;
          }
          for (const auto& [name, value] : extra_headers_)
            res.set_header(name, value);
          const size_t limit = std::stoul(req.get_param_value("limit"));
          std::vector<Post> page;  // newest first
          if (req.has_param("before")) {
            const std::string before = req.get_param_value("before");
            auto anchor = std::find_if(posts_.begin(), posts_.end(), [&](const Post& p) {
              return "t3_" + Base36(p.n) == before;
            });
            if (anchor != posts_.end()) {
              for (auto it = anchor + 1; it != posts_.end() && page.size() < limit; ++it)
                page.push_back(*it);
              std::reverse(page.begin(), page.end());
            }
          } else {
            for (auto it = posts_.rbegin(); it != posts_.rend() && page.size() < limit; ++it)
              page.push_back(*it);
          }
          std::string children;
          for (const auto& p : page) {
            auto text = texts_.find(p.n);
            children += (children.empty() ? "" : ",") +
                        PostJson(p, text == texts_.end() ? "Voltwave post" : text->second);
          }
          auto fullname = [](const Post& p) { return "\"t3_" + Base36(p.n) + "\""; };
          res.set_content(R"({"kind": "Listing", "data": {"after": )" +
                              (page.empty() ? "null" : fullname(page.back())) + R"(, "dist": )" +
                              std::to_string(page.size()) +
                              R"(, "modhash": "", "geo_filter": "", "children": [)" + children +
                              R"(], "before": )" +
                              (page.empty() ? "null" : fullname(page.front())) + "}}",
                          "application/json; charset=UTF-8");
        });
  }
  // Posts numbered on, one second apart.
  void Add(int count) {
    std::lock_guard lock(mu_);
    for (int i = 0; i < count; ++i) {
      const int64_t n = next_++;
      posts_.push_back({n, clock_++, "Voltwave post " + std::to_string(n)});
    }
  }
  void Delete(int64_t n) {
    std::lock_guard lock(mu_);
    posts_.erase(
        std::remove_if(posts_.begin(), posts_.end(), [&](const Post& p) { return p.n == n; }),
        posts_.end());
  }
  void Text(int64_t n, std::string text) {
    std::lock_guard lock(mu_);
    texts_[n] = std::move(text);
  }
  void RevokeTokens() {
    std::lock_guard lock(mu_);
    valid_tokens_.clear();
  }
  void Headers(std::vector<std::pair<std::string, std::string>> headers) {
    std::lock_guard lock(mu_);
    extra_headers_ = std::move(headers);
  }
  void ExpiresIn(int seconds) {
    std::lock_guard lock(mu_);
    expires_in_ = seconds;
  }
  int tokens_issued() {
    std::lock_guard lock(mu_);
    return tokens_issued_;
  }

 private:
  std::mutex mu_;
  std::vector<Post> posts_;  // oldest first
  std::map<int64_t, std::string> texts_;
  std::set<std::string> valid_tokens_;
  std::vector<std::pair<std::string, std::string>> extra_headers_;
  int tokens_issued_ = 0;
  int expires_in_ = 86400;
  int64_t next_ = 1'000'000'000;
  int64_t clock_ = NowMillis() / 1000 - 100'000;
};

struct RedditOptions {
  std::string subreddit = "r/voltwave";
  std::string query;
  std::string secret = kClientSecret;
  std::string api_path;
};

std::unique_ptr<Connector> MakeReddit(HttpClient& http, const LocalHttpServer& host,
                                      const RedditOptions& o = {}) {
  SourceSpec spec;
  spec.name = "reddit-voltwave";
  spec.kind = "reddit";
  if (!o.subreddit.empty()) spec.settings.Set("subreddit", o.subreddit);
  if (!o.query.empty()) spec.settings.Set("query", o.query);
  spec.settings.Set("client_id", kClientId);
  spec.settings.Set("client_secret", o.secret);
  spec.settings.Set("user_agent", "linux:earshot-test:1.0 (by /u/earshot)");
  spec.settings.Set("auth_url", host.Url(""));
  spec.settings.Set("api_url", host.Url(o.api_path + "/"));
  spec.settings.Set("timeout", "5s");
  auto c = RedditConnectorDescriptor().create(spec, http);
  REQUIRE(c.ok());
  return std::move(c).value();
}

std::vector<std::string> Ids(const PollResult& r) {
  std::vector<std::string> ids;
  for (const auto& m : r.mentions)
    ids.push_back(m.external_id);
  return ids;
}

std::vector<RecordedRequest> Requests(const LocalHttpServer& host, const std::string& path) {
  std::vector<RecordedRequest> out;
  for (const auto& r : host.requests()) {
    if (r.path == path) out.push_back(r);
  }
  return out;
}

}  // namespace

TEST_CASE("reddit: a listing of new posts becomes mentions", "[reddit]") {
  auto listing = ParseRedditListing(ReadFile(DataPath("reddit/r_voltwave_new.json")), "rv");
  REQUIRE(listing.ok());
  CHECK(listing->warnings.empty());
  CHECK(listing->children == 3);
  CHECK(listing->newest == "t3_1g5xk2a");
  CHECK(listing->newest_created == 1729156492);
  CHECK(listing->after == "t3_1g5vv01");
  CHECK(listing->before.empty());
  REQUIRE(listing->mentions.size() == 3);

  const Mention& post = listing->mentions[0];
  CHECK(post.source == "rv");
  CHECK(post.platform == "reddit");
  CHECK(post.external_id == "t3_1g5xk2a");
  CHECK(post.url ==
        "https://www.reddit.com/r/voltwave/comments/1g5xk2a/battery_died_after_3_months/");
  CHECK(post.title == "Battery died after 3 months");
  CHECK(post.text ==
        "Voltwave support closed my ticket twice.\n\nAnyone got a **refund**? \xf0\x9f\x98\xa1");
  CHECK(post.author.handle == "kestrel_dev");
  CHECK(post.author.id == "t2_kestre9");
  CHECK(post.author.profile_url == "https://www.reddit.com/user/kestrel_dev");
  CHECK(post.created_at == 1729156492000);
  CHECK(post.engagement.likes == 57);
  CHECK(post.engagement.replies == 12);
  CHECK(post.thread_id == "t3_1g5xk2a");
  CHECK(post.parent_id.empty());
  CHECK_THAT(post.raw, Catch::Contains("\"name\":\"t3_1g5xk2a\""));

  CHECK(listing->mentions[1].title == "Voltwave Go firmware 2.3 & the new app");
  CHECK(listing->mentions[1].text.empty());       // a link post
  const Mention& removed = listing->mentions[2];  // a moderator removed it
  CHECK(removed.deleted);
  CHECK(removed.text.empty());
  CHECK(removed.author.handle == "[deleted]");
  CHECK(removed.author.profile_url.empty());
}

TEST_CASE("reddit: comments, replies, deleted comments and more stubs", "[reddit]") {
  auto listing = ParseRedditListing(ReadFile(DataPath("reddit/r_voltwave_comments.json")), "rv");
  REQUIRE(listing.ok());
  CHECK(listing->children == 3);
  CHECK(listing->newest == "t1_lrk50zz");
  REQUIRE(listing->mentions.size() == 3);  // the deleted comment comes as a deletion
  CHECK(listing->mentions[1].external_id == "t1_lrk4y7b");
  CHECK(listing->mentions[1].deleted);
  CHECK(listing->mentions[1].text.empty());
  CHECK_FALSE(listing->mentions[0].deleted);
  CHECK(listing->mentions[0].edited_at == 0);  // "edited": false
  const Mention& reply = listing->mentions[0];
  CHECK(reply.external_id == "t1_lrk50zz");
  CHECK(reply.text == "Did you try the \"battery health\" reset? > hold the power button 10s");
  CHECK(reply.title.empty());
  CHECK(reply.thread_id == "t3_1g5xk2a");
  CHECK(reply.parent_id == "t1_lrk4x1a");
  CHECK(reply.created_at == 1729157203500);
  CHECK(reply.engagement.likes == 3);
  CHECK(reply.url ==
        "https://www.reddit.com/r/voltwave/comments/1g5xk2a/battery_died_after_3_months/lrk50zz/");

  // A comments page: [the post's listing, the comment tree's listing].
  const ConnectorDescriptor* d = FindConnector("reddit");
  REQUIRE(d != nullptr);
  auto page = d->parse(ReadFile(DataPath("reddit/comments_1g5xk2a.json")), "saved");
  REQUIRE(page.ok());
  std::vector<std::string> ids;
  for (const auto& m : *page)
    ids.push_back(m.external_id);
  CHECK(ids ==
        std::vector<std::string>{"t3_1g5xk2a", "t1_lrk4x1a", "t1_lrk4y7b", "t1_lrk50zz"});
  CHECK((*page)[2].deleted);
}

TEST_CASE("reddit: \"edited\" in epoch seconds is the edit time", "[reddit]") {
  auto listing = ParseRedditListing(R"({"kind":"Listing","data":{"children":[
    {"kind":"t1","data":{"name":"t1_lrk9a01","body":"Edit: they refunded me after all",
     "author":"kestrel_dev","link_id":"t3_1g5xk2a","parent_id":"t3_1g5xk2a",
     "permalink":"/r/voltwave/comments/1g5xk2a/x/lrk9a01/","created_utc":1729157203.0,
     "edited":1729160803.25,"score":4}},
    {"kind":"t3","data":{"name":"t3_1g5zz01","title":"Voltwave?","selftext":"[deleted]",
     "author":"[deleted]","permalink":"/r/voltwave/comments/1g5zz01/x/","created_utc":1729157000,
     "edited":false}}]}})",
                                    "rv");
  REQUIRE(listing.ok());
  REQUIRE(listing->mentions.size() == 2);
  CHECK(listing->mentions[0].edited_at == 1729160803250);
  CHECK_FALSE(listing->mentions[0].deleted);
  CHECK(listing->mentions[1].deleted);
  CHECK(listing->mentions[1].edited_at == 0);
}

TEST_CASE("reddit: error bodies and malformed listings fail clearly", "[reddit]") {
  auto fails = [](std::string_view body, const std::string& message) {
    INFO(body);
    auto listing = ParseRedditListing(body, "rv");
    REQUIRE_FALSE(listing.ok());
    CHECK(listing.status().code() == Status::Code::kParseError);
    CHECK(listing.status().message() == message);
  };
  fails(ReadFile(DataPath("reddit/error_403_private.json")),
        "an error, not a listing: Forbidden: private");
  fails(R"({"json": {"errors": [["SUBREDDIT_NOEXIST", "that subreddit doesn't exist", "sr"]]}})",
        "an error, not a listing: SUBREDDIT_NOEXIST: that subreddit doesn't exist");
  fails("", "invalid JSON at byte 0: The document is empty.");
  fails(R"({"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"name": "t3_a)",
        "invalid JSON at byte 79: Missing a closing quotation mark in string.");
  fails("<html><body>Too Many Requests</body></html>", "invalid JSON at byte 0: Invalid value.");
  fails("42", "expected a Listing object, got a number");
  fails(R"({"kind": "t3", "data": {}})", "expected a Listing, got kind \"t3\"");
  fails(R"({"kind": "Listing"})", "Listing without a \"data\" object");
  fails(R"({"kind": "Listing", "data": {"children": {}}})",
        "Listing \"children\" is an object, not an array");
  fails(R"([{"kind": "Listing", "data": {"children": []}}, 5])",
        "expected a Listing object, got a number");
  fails(R"({"kind": "Listing", "data": {"modhash": ""}})",
        "Listing \"children\" is missing, not an array");
  CHECK_FALSE(ParseRedditListing(std::string(200000, '{'), "rv").ok());

  auto listing = ParseRedditListing(
      R"({"kind": "Listing", "data": {"after": 5, "children": [3, {"kind": "t5", "data": {}},)"
      R"({"kind": "t3"}, {"kind": "t3", "data": {"name": "t1_x"}},)"
      R"({"kind": "t3", "data": {"name": "t3_ok", "title": 7, "score": "high", "created_utc": "1",)"
      R"("num_comments": -4, "permalink": null}}]}})",
      "rv");
  REQUIRE(listing.ok());
  CHECK(listing->warnings ==
        std::vector<std::string>{"child 0 skipped: a number, not an object",
                                 "child 1 skipped: kind \"t5\" is not a post or comment",
                                 "child 2 skipped: no \"data\" object",
                                 "child 3 skipped: no fullname in \"name\""});
  CHECK(listing->after.empty());
  REQUIRE(listing->mentions.size() == 1);
  const Mention& m = listing->mentions[0];
  CHECK(m.external_id == "t3_ok");
  CHECK(m.title.empty());
  CHECK(m.created_at == 0);
  CHECK(m.engagement.likes == 0);
  CHECK(m.engagement.replies == 0);
  CHECK(listing->newest == "t3_ok");
}

TEST_CASE("reddit: invalid UTF-8 in a post becomes U+FFFD", "[reddit]") {
  auto listing = ParseRedditListing(
      "{\"kind\":\"Listing\",\"data\":{\"children\":[" +
          PostJson({7, 1729156492, "Voltwave \xe9t\xe9"}, "bad \xf0\x9f\x98 bytes \xed\xa0\x80") +
          "]}}",
      "rv");
  REQUIRE(listing.ok());
  REQUIRE(listing->mentions.size() == 1);
  const Mention& m = listing->mentions[0];
  CHECK(IsValidUtf8(m.title));
  CHECK(IsValidUtf8(m.text));
  CHECK(IsValidUtf8(m.raw));
  CHECK_THAT(m.title, Catch::StartsWith("Voltwave \xef\xbf\xbd"));
  CHECK_THAT(m.text, Catch::StartsWith("bad \xef\xbf\xbd"));
}

TEST_CASE("reddit: rate-limit headers and Basic credentials", "[reddit]") {
  HttpResponse r;
  r.headers = {
      {"x-ratelimit-used", "600"}, {"x-ratelimit-remaining", "0.0"}, {"x-ratelimit-reset", "287"}};
  RedditRateLimit limit = ReadRedditRateLimit(r);
  CHECK(limit.Exhausted());
  CHECK(limit.reset_seconds == 287);
  r.headers = {{"x-ratelimit-remaining", "598.0"}, {"x-ratelimit-reset", "bogus"}};
  limit = ReadRedditRateLimit(r);
  CHECK_FALSE(limit.Exhausted());
  CHECK_FALSE(limit.reset_seconds.has_value());
  CHECK_FALSE(ReadRedditRateLimit(HttpResponse{}).Exhausted());

  CHECK(Base64("") == "");
  CHECK(Base64("f") == "Zg==");
  CHECK(Base64("fo") == "Zm8=");
  CHECK(Base64("foo") == "Zm9v");
  CHECK(Base64("id:secret") == "aWQ6c2VjcmV0");
}

TEST_CASE("reddit: a token, then new posts with before=, paged, never twice", "[reddit]") {
  LocalHttpServer host;
  FakeReddit reddit(host);
  reddit.Add(150);
  host.Start();
  HttpClient http;
  auto source = MakeReddit(http, host);
  std::atomic<bool> stop{false};

  auto first = source->Poll({}, stop);
  REQUIRE(first.ok());
  CHECK(first->http_status == 200);
  CHECK(first->mentions.size() == 100);  // the newest page; no backfill
  CHECK_FALSE(first->has_more);
  const std::string newest = "t3_" + Base36(1'000'000'149);
  CHECK(first->mentions.front().external_id == newest);
  CHECK_THAT(first->next_cursor.position, Catch::StartsWith(newest + "@"));
  CHECK(first->mentions.front().url ==
        "https://www.reddit.com/r/voltwave/comments/" + Base36(1'000'000'149) + "/post/");

  const auto token_requests = Requests(host, "/api/v1/access_token");
  REQUIRE(token_requests.size() == 1);
  CHECK(token_requests[0].method == "POST");
  // (The fake checks the body and the Basic credentials before it issues a token.)
  CHECK(token_requests[0].Header("User-Agent") == "linux:earshot-test:1.0 (by /u/earshot)");
  auto listings = Requests(host, "/r/voltwave/new");
  REQUIRE(listings.size() == 1);
  CHECK(listings[0].Header("Authorization") == "bearer tok-1");
  CHECK(listings[0].params.find("limit")->second == "100");
  CHECK(listings[0].params.find("raw_json")->second == "1");
  CHECK(listings[0].params.count("before") == 0);

  auto quiet = source->Poll(first->next_cursor, stop);
  REQUIRE(quiet.ok());
  CHECK(quiet->mentions.empty());
  CHECK(quiet->next_cursor == first->next_cursor);
  CHECK(Requests(host, "/r/voltwave/new")[1].params.find("before")->second == newest);

  reddit.Add(230);
  std::set<std::string> all;
  SourceCursor cursor = quiet->next_cursor;
  std::vector<size_t> sizes;
  bool more = true;
  while (more && sizes.size() < 10) {
    auto r = source->Poll(cursor, stop);
    REQUIRE(r.ok());
    for (const auto& id : Ids(*r))
      CHECK(all.insert(id).second);
    sizes.push_back(r->mentions.size());
    cursor = r->next_cursor;
    more = r->has_more;
  }
  CHECK(sizes == std::vector<size_t>{100, 100, 30});
  CHECK(all.size() == 230);
  CHECK(all.count(newest) == 0);
  CHECK_THAT(cursor.position, Catch::StartsWith("t3_" + Base36(1'000'000'379) + "@"));
  CHECK(reddit.tokens_issued() == 1);  // one token for every request
}

TEST_CASE("reddit: a refused token is replaced once; an expired one is renewed", "[reddit]") {
  LocalHttpServer host;
  FakeReddit reddit(host);
  reddit.Add(3);
  host.Start();
  HttpClient http;
  auto source = MakeReddit(http, host);
  std::atomic<bool> stop{false};

  auto first = source->Poll({}, stop);
  REQUIRE(first.ok());
  CHECK(reddit.tokens_issued() == 1);

  reddit.RevokeTokens();
  reddit.Add(2);
  auto second = source->Poll(first->next_cursor, stop);
  REQUIRE(second.ok());
  CHECK(second->mentions.size() == 2);
  CHECK(reddit.tokens_issued() == 2);
  const auto listings = Requests(host, "/r/voltwave/new");
  REQUIRE(listings.size() == 3);
  CHECK(listings[1].Header("Authorization") == "bearer tok-1");
  CHECK(listings[2].Header("Authorization") == "bearer tok-2");

  // Tokens that expire within the renewal margin are fetched again for each request.
  reddit.ExpiresIn(30);
  reddit.RevokeTokens();
  reddit.Add(1);
  auto third = source->Poll(second->next_cursor, stop);
  REQUIRE(third.ok());
  CHECK(third->mentions.size() == 1);
  CHECK(reddit.tokens_issued() == 3);
  reddit.Add(1);
  REQUIRE(source->Poll(third->next_cursor, stop).ok());
  CHECK(reddit.tokens_issued() == 4);
}

TEST_CASE("reddit: wrong credentials fail without showing them", "[reddit]") {
  LocalHttpServer host;
  FakeReddit reddit(host);
  host.server().Post(
      "/bad-grant/api/v1/access_token", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"error": "unsupported_grant_type"})", "application/json");
      });
  host.server().Get(
      "/always-401/r/voltwave/new", [](const httplib::Request&, httplib::Response& res) {
        res.status = 401;
        res.set_content(R"({"message": "Unauthorized", "error": 401})", "application/json");
      });
  host.Start();
  HttpClient http;
  std::atomic<bool> stop{false};

  RedditOptions wrong;
  wrong.secret = "not-the-secret";
  auto refused = MakeReddit(http, host, wrong)->Poll({}, stop);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == Status::Code::kHttpError);
  CHECK(refused.status().message() == "access token: HTTP 401 from " +
                                          host.Url("/api/v1/access_token") +
                                          ": check client_id and client_secret");

  // A token is issued but every listing request is refused: one retry, then an error.
  RedditOptions refusing;
  refusing.api_path = "/always-401";
  auto denied = MakeReddit(http, host, refusing)->Poll({}, stop);
  REQUIRE_FALSE(denied.ok());
  CHECK_THAT(denied.status().message(), Catch::StartsWith("HTTP 401 from "));
  CHECK_THAT(denied.status().message(), Catch::EndsWith(": a new token was refused too"));
  CHECK(Requests(host, "/always-401/r/voltwave/new").size() == 2);

  SourceSpec spec;
  spec.name = "rv";
  spec.settings.Set("subreddit", "voltwave");
  spec.settings.Set("client_id", kClientId);
  spec.settings.Set("client_secret", kClientSecret);
  spec.settings.Set("auth_url", host.Url("/bad-grant"));
  spec.settings.Set("api_url", host.Url(""));
  auto c = RedditConnectorDescriptor().create(spec, http);
  REQUIRE(c.ok());
  auto grant = (*c)->Poll({}, stop);
  REQUIRE_FALSE(grant.ok());
  CHECK(grant.status().message() ==
        "access token: POST " + host.Url("/bad-grant/api/v1/access_token") +
            ": no access_token in the response: unsupported_grant_type");
  for (const auto& s : {refused.status(), denied.status(), grant.status()}) {
    CHECK_THAT(s.message(), !Catch::Contains(kClientSecret));
    CHECK_THAT(s.message(), !Catch::Contains(kClientId));
    CHECK_THAT(s.message(), !Catch::Contains("tok-"));
  }
}

TEST_CASE("reddit: rate limits stop polling until the reset", "[reddit]") {
  LocalHttpServer host;
  FakeReddit reddit(host);
  reddit.Add(2);
  host.server().Get("/limited/r/voltwave/new", [](const httplib::Request&, httplib::Response& res) {
    res.status = 429;
    res.set_header("Retry-After", "42");
    res.set_content(R"({"message": "Too Many Requests", "error": 429})", "application/json");
  });
  host.server().Get("/reset/r/voltwave/new", [](const httplib::Request&, httplib::Response& res) {
    res.status = 429;
    res.set_header("X-Ratelimit-Remaining", "0");
    res.set_header("X-Ratelimit-Reset", "120");
    res.set_content("<html>Too Many Requests</html>", "text/html");
  });
  host.Start();
  HttpClient http;
  std::atomic<bool> stop{false};

  RedditOptions limited_options;
  limited_options.api_path = "/limited";
  auto limited_source = MakeReddit(http, host, limited_options);
  auto limited = limited_source->Poll({}, stop);
  REQUIRE_FALSE(limited.ok());
  CHECK(limited.status().code() == Status::Code::kUnavailable);
  CHECK(limited.status().message() == "HTTP 429 from " +
                                          host.Url("/limited/r/voltwave/new?limit=100&raw_json=1") +
                                          ", retry after 42 s: Too Many Requests");
  // Until then, no request is made at all.
  const size_t sent = host.request_count();
  auto waiting = limited_source->Poll({}, stop);
  REQUIRE_FALSE(waiting.ok());
  CHECK(waiting.status().code() == Status::Code::kUnavailable);
  CHECK_THAT(waiting.status().message(),
             Catch::Matches("reddit rate limit used up: resets in (42|41) s"));
  CHECK(host.request_count() == sent);

  RedditOptions reset_options;
  reset_options.api_path = "/reset";
  auto reset = MakeReddit(http, host, reset_options)->Poll({}, stop);
  REQUIRE_FALSE(reset.ok());
  CHECK(reset.status().code() == Status::Code::kUnavailable);
  CHECK_THAT(reset.status().message(), Catch::EndsWith(", rate limit resets in 120 s"));

  // The last request of a window succeeds, says so, and the next poll waits.
  reddit.Headers(
      {{"X-Ratelimit-Used", "600"}, {"X-Ratelimit-Remaining", "0.0"}, {"X-Ratelimit-Reset", "15"}});
  auto source = MakeReddit(http, host);
  auto last = source->Poll({}, stop);
  REQUIRE(last.ok());
  CHECK(last->mentions.size() == 2);
  CHECK(last->warnings ==
        std::vector<std::string>{"reddit rate limit used up: no request for 15 s"});
  auto next = source->Poll(last->next_cursor, stop);
  REQUIRE_FALSE(next.ok());
  CHECK(next.status().code() == Status::Code::kUnavailable);
}

TEST_CASE("reddit: server errors and bad bodies fail the poll; bad bytes are repaired",
          "[reddit]") {
  LocalHttpServer host;
  FakeReddit reddit(host);
  reddit.Add(2);
  reddit.Text(1'000'000'001, "Voltwave \xc3\x28 app");
  host.server().Get("/down/r/voltwave/new", [](const httplib::Request&, httplib::Response& res) {
    res.status = 500;
    res.set_content(R"({"message": "Internal Server Error", "error": 500})", "application/json");
  });
  host.server().Get("/cut/r/voltwave/new", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"kind": "Listing", "data": {"children": [{"kind": "t3", "da)",
                    "application/json");
  });
  host.Start();
  HttpClient http;
  std::atomic<bool> stop{false};

  RedditOptions down_options;
  down_options.api_path = "/down";
  auto down = MakeReddit(http, host, down_options)->Poll({}, stop);
  REQUIRE_FALSE(down.ok());
  CHECK(down.status().code() == Status::Code::kHttpError);
  CHECK(down.status().message() == "HTTP 500 from " +
                                       host.Url("/down/r/voltwave/new?limit=100&raw_json=1") +
                                       ": Internal Server Error");

  RedditOptions cut_options;
  cut_options.api_path = "/cut";
  auto cut = MakeReddit(http, host, cut_options)->Poll({}, stop);
  REQUIRE_FALSE(cut.ok());
  CHECK(cut.status().code() == Status::Code::kParseError);
  CHECK_THAT(cut.status().message(),
             Catch::StartsWith("GET " + host.Url("/cut/r/voltwave/new?limit=100&raw_json=1") +
                               ": invalid JSON at byte 60"));

  auto ok = MakeReddit(http, host)->Poll({}, stop);
  REQUIRE(ok.ok());
  REQUIRE(ok->mentions.size() == 2);
  CHECK(ok->mentions[0].text == "Voltwave \xef\xbf\xbd( app");
}

TEST_CASE("reddit: a cursor on a deleted post does not stall the source", "[reddit]") {
  LocalHttpServer host;
  FakeReddit reddit(host);
  reddit.Add(5);
  host.Start();
  HttpClient http;
  auto source = MakeReddit(http, host);
  std::atomic<bool> stop{false};

  auto first = source->Poll({}, stop);
  REQUIRE(first.ok());
  reddit.Delete(1'000'000'004);  // the anchor
  auto quiet = source->Poll(first->next_cursor, stop);
  REQUIRE(quiet.ok());
  CHECK(quiet->mentions.empty());
  CHECK(quiet->next_cursor == first->next_cursor);

  reddit.Add(3);
  auto second = source->Poll(quiet->next_cursor, stop);
  REQUIRE(second.ok());
  CHECK(second->mentions.size() == 3);
  REQUIRE(second->warnings.size() == 1);
  CHECK_THAT(second->warnings[0], Catch::Contains("no longer listed"));
  CHECK_THAT(second->next_cursor.position, Catch::StartsWith("t3_" + Base36(1'000'000'007)));
  auto third = source->Poll(second->next_cursor, stop);
  REQUIRE(third.ok());
  CHECK(third->mentions.empty());
  CHECK(third->warnings.empty());
}

TEST_CASE("reddit: searches and settings", "[reddit]") {
  LocalHttpServer host;
  host.server().Get(
      R"(/(r/voltwave/)?search)", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(
            R"({"kind": "Listing", "data": {"children": [], "after": null, "before": null}})",
            "application/json");
      });
  FakeReddit reddit(host);
  host.Start();
  HttpClient http;
  std::atomic<bool> stop{false};

  RedditOptions everywhere;
  everywhere.subreddit.clear();
  everywhere.query = "voltwave refund";
  REQUIRE(MakeReddit(http, host, everywhere)->Poll({}, stop).ok());
  RedditOptions there;
  there.query = "refund";
  SourceCursor cursor;
  cursor.position = "t3_abc123@1729156492";
  REQUIRE(MakeReddit(http, host, there)->Poll(cursor, stop).ok());
  const auto requests = host.requests();
  std::vector<RecordedRequest> searches;
  for (const auto& r : requests) {
    if (r.path.find("search") != std::string::npos) searches.push_back(r);
  }
  REQUIRE(searches.size() >= 2);
  CHECK(searches[0].path == "/search");
  CHECK(searches[0].params.find("q")->second == "voltwave refund");
  CHECK(searches[0].params.find("sort")->second == "new");
  CHECK(searches[1].path == "/r/voltwave/search");
  CHECK(searches[1].params.find("restrict_sr")->second == "1");
  CHECK(searches[1].params.find("before")->second == "t3_abc123");

  auto make = [&](std::map<std::string, std::string> values) {
    SourceSpec spec;
    spec.name = "rv";
    spec.settings.Set("client_id", kClientId);
    spec.settings.Set("client_secret", kClientSecret);
    for (const auto& [k, v] : values)
      spec.settings.Set(k, v);
    return RedditConnectorDescriptor().create(spec, http);
  };
  CHECK(make({{"subreddit", "voltwave+ebikes"}}).ok());
  CHECK(make({{"subreddit", "voltwave"}, {"listing", "comments"}}).ok());
  auto none = make({});
  REQUIRE_FALSE(none.ok());
  CHECK(none.status().message() == "set subreddit, query or both");
  CHECK_FALSE(make({{"subreddit", "volt wave"}}).ok());
  CHECK_FALSE(make({{"subreddit", "voltwave"}, {"listing", "hot"}}).ok());
  CHECK_FALSE(make({{"subreddit", "voltwave"}, {"limit", "500"}}).ok());
  CHECK_FALSE(make({{"subreddit", "voltwave"}, {"api_url", "oauth.reddit.com"}}).ok());
  CHECK_FALSE(make({{"subreddit", "voltwave"}, {"client_secret", ""}}).ok());
}

TEST_CASE("reddit: recorded Reddit bodies parse", "[reddit][shared]") {
  const std::filesystem::path root = std::string(EARSHOT_SHARED_DIR) + "/fixtures/reddit";
  if (!std::filesystem::exists(root)) {
    WARN("skipped: " << root << " is absent");
    return;
  }
  int files = 0, mentions = 0, refused = 0;
  for (const char* dir : {"listings", "streams", "search", "comments", "communal"}) {
    if (!std::filesystem::exists(root / dir)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(root / dir)) {
      const std::string name = entry.path().filename().string();
      if (entry.path().extension() != ".json" || name.find(".meta.json") != std::string::npos) {
        continue;
      }
      INFO(entry.path());
      auto listing = ParseRedditListing(ReadFile(entry.path().string()), "recorded");
      if (!listing.ok()) {
        ++refused;  // e.g. a morechildren result, which is not a listing
        continue;
      }
      ++files;
      for (const auto& m : listing->mentions) {
        ++mentions;
        CHECK(m.external_id.rfind("t", 0) == 0);
        CHECK_THAT(m.url, Catch::StartsWith("https://"));
        CHECK(m.created_at > 0);
        CHECK(IsValidUtf8(m.text));
        CHECK(IsValidUtf8(m.title));
      }
    }
  }
  for (const auto& entry : std::filesystem::directory_iterator(root / "errors")) {
    if (entry.path().extension() != ".json" ||
        entry.path().filename().string().find(".meta.json") != std::string::npos) {
      continue;
    }
    INFO(entry.path());
    CHECK_FALSE(ParseRedditListing(ReadFile(entry.path().string()), "recorded").ok());
  }
  WARN("recorded Reddit bodies: " << files << " listings, " << mentions << " mentions, " << refused
                                  << " bodies that are not listings");
  CHECK(mentions > 0);
}
