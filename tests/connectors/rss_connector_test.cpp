// The rss connector against a real HTTP server on loopback, as a feed host would answer.
#include "connectors/feed/rss_connector.h"

#include <catch2/catch.hpp>
#include <thread>

#include "connectors/http/http_client.h"
#include "tests/support/gzip.h"
#include "tests/support/local_http_server.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

constexpr const char* kFeed = R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Shop news</title><link>http://shop.example/</link>
<item><guid>n-1</guid><title>Refund policy</title><description>Refunds take 5 days.</description></item>
<item><guid>n-2</guid><title>Outage</title><description>The app was down.</description></item>
</channel></rss>)";

constexpr const char* kLastModified = "Fri, 20 Nov 2026 10:00:00 GMT";

struct RssOptions {
  std::string timeout = "5s";
  std::string max_bytes = "16777216";
  std::string lang;
  std::string user_agent;
  std::map<std::string, std::string> headers;
};

std::unique_ptr<Connector> MakeRss(HttpClient& http, const std::string& url,
                                   const RssOptions& options = {}) {
  SourceSpec spec;
  spec.name = "shop-news";
  spec.kind = "rss";
  spec.lang = options.lang;
  spec.settings.Set("url", url);
  spec.settings.Set("timeout", options.timeout);
  spec.settings.Set("max_bytes", options.max_bytes);
  if (!options.user_agent.empty()) spec.settings.Set("user_agent", options.user_agent);
  if (!options.headers.empty()) spec.settings.SetMap("headers", options.headers);
  auto c = RssConnectorDescriptor().create(spec, http);
  REQUIRE(c.ok());
  return std::move(c).value();
}

void ServeFeed(LocalHttpServer& host, const std::string& path, const std::string& content_type) {
  host.server().Get(path, [content_type](const httplib::Request&, httplib::Response& res) {
    res.set_content(kFeed, content_type);
  });
}

std::vector<std::string> Ids(const PollResult& result) {
  std::vector<std::string> ids;
  for (const auto& m : result.mentions)
    ids.push_back(m.external_id);
  return ids;
}

}  // namespace

TEST_CASE("rss: 200 parses the feed and keeps ETag and Last-Modified for the next poll") {
  LocalHttpServer host;
  host.server().Get("/feed", [](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("If-None-Match") == "\"abc\"") {
      res.status = 304;
      return;
    }
    res.set_header("ETag", "\"abc\"");
    res.set_header("Last-Modified", kLastModified);
    res.set_content(kFeed, "application/rss+xml; charset=utf-8");
  });
  host.Start();
  HttpClient http;
  auto rss = MakeRss(http, host.Url("/feed"));
  std::atomic<bool> stop{false};

  auto first = rss->Poll({}, stop);
  REQUIRE(first.ok());
  CHECK(first->http_status == 200);
  CHECK_FALSE(first->not_modified);
  CHECK(Ids(*first) == std::vector<std::string>{"n-1", "n-2"});
  CHECK(first->mentions[0].source == "shop-news");
  CHECK(first->mentions[0].fetched_at > 0);
  CHECK(first->mentions[0].lang.empty());  // left to the language detector
  CHECK(first->next_cursor.etag == "\"abc\"");
  CHECK(first->next_cursor.last_modified == kLastModified);
  CHECK(first->next_cursor.position.empty());

  // The server's 304 carries no body: were the connector to parse it, the poll would fail.
  auto second = rss->Poll(first->next_cursor, stop);
  REQUIRE(second.ok());
  CHECK(second->not_modified);
  CHECK(second->http_status == 304);
  CHECK(second->mentions.empty());
  CHECK(second->next_cursor == first->next_cursor);

  const auto seen = host.requests();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].Header("If-None-Match").empty());
  CHECK(seen[0].Header("If-Modified-Since").empty());
  CHECK_THAT(seen[0].Header("User-Agent"), Catch::StartsWith("earshot/"));
  CHECK_THAT(seen[0].Header("Accept"), Catch::Contains("application/rss+xml"));
  CHECK(seen[1].Header("If-None-Match") == "\"abc\"");
  CHECK(seen[1].Header("If-Modified-Since") == kLastModified);
}

TEST_CASE("rss: Last-Modified alone round-trips, and a cursor field the server omits is kept") {
  LocalHttpServer host;
  std::string current = kLastModified;
  host.server().Get("/feed", [&](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("If-Modified-Since") == current) {
      res.status = 304;
      return;
    }
    res.set_header("Last-Modified", current);
    res.set_content(kFeed, "application/rss+xml");
  });
  host.Start();
  HttpClient http;
  auto rss = MakeRss(http, host.Url("/feed"));
  std::atomic<bool> stop{false};

  SourceCursor earlier;
  earlier.etag = "\"from-an-older-server\"";
  auto first = rss->Poll(earlier, stop);
  REQUIRE(first.ok());
  CHECK(first->mentions.size() == 2);
  CHECK(first->next_cursor.last_modified == kLastModified);
  CHECK(first->next_cursor.etag == "\"from-an-older-server\"");

  auto second = rss->Poll(first->next_cursor, stop);
  REQUIRE(second.ok());
  CHECK(second->not_modified);
  CHECK(host.requests().back().Header("If-Modified-Since") == kLastModified);
}

TEST_CASE("rss: server errors and rate limits are errors for this source with the status") {
  LocalHttpServer host;
  host.server().Get("/500", [](const httplib::Request&, httplib::Response& res) {
    res.status = 500;
    res.set_content("boom", "text/plain");
  });
  host.server().Get("/429", [](const httplib::Request&, httplib::Response& res) {
    res.status = 429;
    res.set_header("Retry-After", "120");
  });
  host.server().Get("/503",
                    [](const httplib::Request&, httplib::Response& res) { res.status = 503; });
  host.Start();
  HttpClient http;
  std::atomic<bool> stop{false};

  auto failed = MakeRss(http, host.Url("/500"))->Poll({}, stop);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.status().code() == Status::Code::kHttpError);
  CHECK(failed.status().message() == "HTTP 500 from " + host.Url("/500"));

  auto limited = MakeRss(http, host.Url("/429"))->Poll({}, stop);
  REQUIRE_FALSE(limited.ok());
  CHECK(limited.status().code() == Status::Code::kUnavailable);
  CHECK(limited.status().message() == "HTTP 429 from " + host.Url("/429") + ", retry after 120 s");

  auto down = MakeRss(http, host.Url("/503"))->Poll({}, stop);
  REQUIRE_FALSE(down.ok());
  CHECK(down.status().code() == Status::Code::kUnavailable);
  CHECK(down.status().message() == "HTTP 503 from " + host.Url("/503"));
}

TEST_CASE("rss: a slow server times out and a truncated body fails") {
  LocalHttpServer host;
  host.server().Get("/slow", [&host](const httplib::Request&, httplib::Response& res) {
    host.HoldUntilStopped();
    res.set_content(kFeed, "application/rss+xml");
  });
  host.server().Get("/truncated", [](const httplib::Request&, httplib::Response& res) {
    const std::string feed = kFeed;
    res.set_content_provider(feed.size() * 2, "application/rss+xml",
                             [feed](size_t offset, size_t, httplib::DataSink& sink) {
                               if (offset > 0) return false;  // hang up halfway
                               sink.write(feed.data(), feed.size());
                               return true;
                             });
  });
  host.Start();
  HttpClient http;
  std::atomic<bool> stop{false};

  RssOptions quick;
  quick.timeout = "300ms";
  auto slow = MakeRss(http, host.Url("/slow"), quick)->Poll({}, stop);
  REQUIRE_FALSE(slow.ok());
  CHECK(slow.status().code() == Status::Code::kNetworkError);
  CHECK_THAT(slow.status().message(),
             Catch::StartsWith("GET " + host.Url("/slow") + ": Timeout was reached after 300 ms"));

  // Half a feed is still well-formed XML up to the cut; it must not be taken as the whole feed.
  auto truncated = MakeRss(http, host.Url("/truncated"))->Poll({}, stop);
  REQUIRE_FALSE(truncated.ok());
  CHECK(truncated.status().code() == Status::Code::kNetworkError);
  CHECK_THAT(truncated.status().message(), Catch::Contains("body cut short"));
}

TEST_CASE("rss: an HTML page where a feed should be says so; a feed under any label parses") {
  LocalHttpServer host;
  host.server().Get("/page", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("<!doctype html><html><body><p>Login</p></body></html>",
                    "text/html; charset=utf-8");
  });
  host.server().Get("/garbage", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("this is not xml at all", "application/xml");
  });
  ServeFeed(host, "/feed-as-html", "text/html");
  ServeFeed(host, "/feed-as-text", "text/plain");
  ServeFeed(host, "/feed-unlabelled", "");
  host.Start();
  HttpClient http;
  std::atomic<bool> stop{false};

  auto page = MakeRss(http, host.Url("/page"))->Poll({}, stop);
  REQUIRE_FALSE(page.ok());
  CHECK(page.status().code() == Status::Code::kParseError);
  CHECK_THAT(page.status().message(),
             Catch::StartsWith("GET " + host.Url("/page") + ": expected a feed, got text/html: "));

  auto garbage = MakeRss(http, host.Url("/garbage"))->Poll({}, stop);
  REQUIRE_FALSE(garbage.ok());
  CHECK(garbage.status().code() == Status::Code::kParseError);
  CHECK_THAT(garbage.status().message(), !Catch::Contains("expected a feed"));

  for (const std::string path : {"/feed-as-html", "/feed-as-text", "/feed-unlabelled"}) {
    INFO(path);
    auto parsed = MakeRss(http, host.Url(path))->Poll({}, stop);
    REQUIRE(parsed.ok());
    CHECK(parsed->mentions.size() == 2);
  }
}

TEST_CASE("rss: gzip bodies are decoded and oversized bodies refused") {
  LocalHttpServer host;
  host.server().Get("/gzip", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Content-Encoding", "gzip");
    res.set_content(Gzip(kFeed), "application/rss+xml");
  });
  host.server().Get("/big", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(64 * 1024, 'x'), "application/rss+xml");
  });
  host.Start();
  HttpClient http;
  std::atomic<bool> stop{false};

  auto gz = MakeRss(http, host.Url("/gzip"))->Poll({}, stop);
  REQUIRE(gz.ok());
  CHECK(Ids(*gz) == std::vector<std::string>{"n-1", "n-2"});
  CHECK_THAT(host.requests()[0].Header("Accept-Encoding"), Catch::Contains("gzip"));

  RssOptions small;
  small.max_bytes = "1000";
  auto big = MakeRss(http, host.Url("/big"), small)->Poll({}, stop);
  REQUIRE_FALSE(big.ok());
  CHECK(big.status().code() == Status::Code::kNetworkError);
  CHECK_THAT(big.status().message(), Catch::Contains("body larger than 1000 bytes"));
}

TEST_CASE("rss: settings reach the request; a forced language reaches every mention") {
  LocalHttpServer host;
  ServeFeed(host, "/feed", "application/rss+xml");
  host.server().Get("/moved", [&host](const httplib::Request&, httplib::Response& res) {
    res.set_redirect(host.Url("/feed"), 301);
  });
  host.Start();
  HttpClient http;
  std::atomic<bool> stop{false};

  RssOptions options;
  options.lang = "de";
  options.user_agent = "ShopMonitor/1.0";
  options.headers = {{"X-Tenant", "shop"}, {"Accept-Language", "de"}};
  auto rss = MakeRss(http, host.Url("/moved"), options);
  auto polled = rss->Poll({}, stop);
  REQUIRE(polled.ok());
  REQUIRE(polled->mentions.size() == 2);
  for (const auto& m : polled->mentions)
    CHECK(m.lang == "de");

  const auto seen = host.requests();
  REQUIRE(seen.size() == 2);  // the redirect, then the feed
  CHECK(seen[1].path == "/feed");
  CHECK(seen[1].Header("User-Agent") == "ShopMonitor/1.0");
  CHECK(seen[1].Header("X-Tenant") == "shop");
  CHECK(seen[1].Header("Accept-Language") == "de");
}

TEST_CASE("rss: a stop request ends a poll that waits on a silent server") {
  LocalHttpServer host;
  host.server().Get("/silent", [&host](const httplib::Request&, httplib::Response& res) {
    host.HoldUntilStopped();
    res.set_content(kFeed, "application/rss+xml");
  });
  host.Start();
  HttpClient http;
  std::atomic<bool> stop{false};
  RssOptions patient;
  patient.timeout = "60s";
  auto rss = MakeRss(http, host.Url("/silent"), patient);
  std::thread stopper([&] {
    while (host.request_count() == 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    stop = true;
  });
  auto stopped = rss->Poll({}, stop);
  stopper.join();
  REQUIRE_FALSE(stopped.ok());
  CHECK(stopped.status().code() == Status::Code::kAborted);
}

TEST_CASE("rss: secrets in the feed URL never reach error messages") {
  LocalHttpServer host;
  host.server().Get("/api",
                    [](const httplib::Request&, httplib::Response& res) { res.status = 500; });
  host.server().Get("/page", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("<html><body>sign in</body></html>", "text/html");
  });
  host.Start();
  HttpClient http;
  std::atomic<bool> stop{false};

  auto failed = MakeRss(http, host.Url("/api?q=voltwave&api_key=SECRET123"))->Poll({}, stop);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.status().message() ==
        "HTTP 500 from " + host.Url("/api?q=voltwave&api_key=REDACTED"));

  auto page = MakeRss(http, host.Url("/page?token=SECRET123"))->Poll({}, stop);
  REQUIRE_FALSE(page.ok());
  CHECK_THAT(page.status().message(), Catch::Contains("token=REDACTED"));
  CHECK_THAT(page.status().message(), !Catch::Contains("SECRET123"));
}

TEST_CASE("rss: the descriptor declares its settings, refuses other schemes and parses offline") {
  const ConnectorDescriptor d = RssConnectorDescriptor();
  CHECK(d.kind == "rss");
  CHECK_FALSE(d.summary.empty());
  auto spec_of = [&](const std::string& name) -> const SettingSpec* {
    for (const auto& s : d.settings)
      if (s.name == name) return &s;
    return nullptr;
  };
  REQUIRE(spec_of("url"));
  CHECK(spec_of("url")->required);
  CHECK(spec_of("url")->type == SettingType::kString);
  REQUIRE(spec_of("headers"));
  CHECK(spec_of("headers")->type == SettingType::kStringMap);
  REQUIRE(spec_of("timeout"));
  CHECK(spec_of("timeout")->type == SettingType::kDuration);
  CHECK(spec_of("timeout")->default_value == "30s");
  REQUIRE(spec_of("max_bytes"));
  CHECK(spec_of("max_bytes")->type == SettingType::kInt);
  CHECK(spec_of("max_bytes")->default_value == "16777216");
  REQUIRE(spec_of("user_agent"));
  CHECK_FALSE(spec_of("user_agent")->required);

  HttpClient http;
  SourceSpec spec;
  spec.name = "local";
  spec.kind = "rss";
  spec.settings.Set("url", "file:///etc/passwd");
  auto refused = d.create(spec, http);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == Status::Code::kInvalidArgument);

  auto offline = d.parse(kFeed, "saved");
  REQUIRE(offline.ok());
  REQUIRE(offline->size() == 2);
  CHECK((*offline)[0].source == "saved");
  CHECK_FALSE(d.parse("<html></html>", "saved").ok());
}
