// The rss connector against a real HTTP server on loopback, as a feed host would answer.
#include "connectors/feed/rss_connector.h"

#include <zlib.h>

#include <catch2/catch.hpp>
#include <thread>

#include "connectors/http/http_client.h"
#include "tests/support/local_http_server.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

constexpr const char* kFeed = R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Shop news</title><link>http://shop.example/</link>
<item><guid>n-1</guid><title>Refund policy</title><description>Refunds take 5 days.</description></item>
<item><guid>n-2</guid><title>Outage</title><description>The app was down.</description></item>
</channel></rss>)";

std::string Gzip(const std::string& data) {
  z_stream z{};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(compressBound(static_cast<uLong>(data.size())) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::unique_ptr<Connector> MakeRss(HttpClient& http, const std::string& url,
                                   const std::string& timeout = "5s",
                                   const std::string& max_bytes = "16777216") {
  SourceSpec spec;
  spec.name = "feed";
  spec.kind = "rss";
  spec.settings.Set("url", url);
  spec.settings.Set("timeout", timeout);
  spec.settings.Set("max_bytes", max_bytes);
  auto c = RssConnectorDescriptor().create(spec, http);
  REQUIRE(c.ok());
  return std::move(c).value();
}

}  // namespace

TEST_CASE("rss: 200 parses the feed and keeps ETag and Last-Modified for the next poll") {
  LocalHttpServer host;
  std::string seen_if_none_match, seen_if_modified_since, seen_user_agent;
  host.server().Get("/feed", [&](const httplib::Request& req, httplib::Response& res) {
    seen_if_none_match = req.get_header_value("If-None-Match");
    seen_if_modified_since = req.get_header_value("If-Modified-Since");
    seen_user_agent = req.get_header_value("User-Agent");
    if (seen_if_none_match == "\"abc\"") {
      res.status = 304;
      return;
    }
    res.set_header("ETag", "\"abc\"");
    res.set_header("Last-Modified", "Fri, 20 Nov 2026 10:00:00 GMT");
    res.set_content(kFeed, "application/rss+xml; charset=utf-8");
  });
  host.Start();
  HttpClient http;
  auto rss = MakeRss(http, host.Url("/feed"));
  std::atomic<bool> stop{false};

  auto first = rss->Poll({}, stop);
  REQUIRE(first.ok());
  CHECK(first->http_status == 200);
  REQUIRE(first->mentions.size() == 2);
  CHECK(first->mentions[0].external_id == "n-1");
  CHECK(first->mentions[0].source == "feed");
  CHECK(first->mentions[0].fetched_at > 0);
  CHECK(first->next_cursor.etag == "\"abc\"");
  CHECK(first->next_cursor.last_modified == "Fri, 20 Nov 2026 10:00:00 GMT");
  CHECK(seen_if_none_match.empty());
  CHECK(seen_user_agent.rfind("earshot/", 0) == 0);

  auto second = rss->Poll(first->next_cursor, stop);
  REQUIRE(second.ok());
  CHECK(second->not_modified);
  CHECK(second->http_status == 304);
  CHECK(second->mentions.empty());
  CHECK(second->next_cursor == first->next_cursor);
  CHECK(seen_if_none_match == "\"abc\"");
  CHECK(seen_if_modified_since == "Fri, 20 Nov 2026 10:00:00 GMT");
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
  host.Start();
  HttpClient http;
  std::atomic<bool> stop{false};

  auto failed = MakeRss(http, host.Url("/500"))->Poll({}, stop);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.status().code() == Status::Code::kHttpError);
  CHECK_THAT(failed.status().message(), Catch::Contains("HTTP 500"));

  auto limited = MakeRss(http, host.Url("/429"))->Poll({}, stop);
  REQUIRE_FALSE(limited.ok());
  CHECK(limited.status().code() == Status::Code::kUnavailable);
  CHECK_THAT(limited.status().message(), Catch::Contains("Retry-After: 120"));
}

TEST_CASE("rss: a slow server times out and a truncated body fails") {
  LocalHttpServer host;
  host.server().Get("/slow", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
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

  auto slow = MakeRss(http, host.Url("/slow"), "300ms")->Poll({}, stop);
  REQUIRE_FALSE(slow.ok());
  CHECK(slow.status().code() == Status::Code::kNetworkError);
  CHECK_THAT(slow.status().message(), Catch::Contains("timed out"));

  auto truncated = MakeRss(http, host.Url("/truncated"))->Poll({}, stop);
  REQUIRE_FALSE(truncated.ok());
  CHECK(truncated.status().code() == Status::Code::kNetworkError);
}

TEST_CASE("rss: an HTML page where a feed should be says so") {
  LocalHttpServer host;
  host.server().Get("/page", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("<!doctype html><html><body><p>Login</p></body></html>", "text/html");
  });
  host.Start();
  HttpClient http;
  std::atomic<bool> stop{false};
  auto page = MakeRss(http, host.Url("/page"))->Poll({}, stop);
  REQUIRE_FALSE(page.ok());
  CHECK(page.status().code() == Status::Code::kParseError);
  CHECK_THAT(page.status().message(), Catch::Contains("expected a feed, got text/html"));
}

TEST_CASE("rss: gzip bodies are decoded and oversized bodies refused") {
  LocalHttpServer host;
  host.server().Get("/gzip", [](const httplib::Request& req, httplib::Response& res) {
    REQUIRE(req.get_header_value("Accept-Encoding").find("gzip") != std::string::npos);
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
  CHECK(gz->mentions.size() == 2);

  auto big = MakeRss(http, host.Url("/big"), "5s", "1000")->Poll({}, stop);
  REQUIRE_FALSE(big.ok());
  CHECK_THAT(big.status().message(), Catch::Contains("larger than 1000 bytes"));
}

TEST_CASE("http: redirects are bounded and only to http or https") {
  LocalHttpServer host;
  host.server().Get("/loop", [&](const httplib::Request&, httplib::Response& res) {
    res.set_redirect(host.Url("/loop"));
  });
  host.server().Get("/ftp", [](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("ftp://127.0.0.1/feed");
  });
  host.server().Get("/once", [&](const httplib::Request&, httplib::Response& res) {
    res.set_redirect(host.Url("/feed"));
  });
  host.server().Get("/feed", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(kFeed, "application/rss+xml");
  });
  host.Start();
  HttpClient http;

  HttpRequest loop;
  loop.url = host.Url("/loop");
  auto looped = http.Send(loop);
  REQUIRE_FALSE(looped.ok());
  CHECK_THAT(looped.status().message(), Catch::Contains("redirects"));

  HttpRequest ftp;
  ftp.url = host.Url("/ftp");
  CHECK_FALSE(http.Send(ftp).ok());

  HttpRequest once;
  once.url = host.Url("/once");
  auto followed = http.Send(once);
  REQUIRE(followed.ok());
  CHECK(followed->status == 200);
  CHECK(followed->effective_url == host.Url("/feed"));
}

TEST_CASE("http: secrets in URLs never reach error messages and a stop request cancels") {
  LocalHttpServer host;
  host.server().Get("/api", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    res.status = 500;
  });
  host.Start();
  HttpClient http;
  std::atomic<bool> stop{false};

  auto failed = MakeRss(http, host.Url("/api?q=voltwave&api_key=SECRET123"))->Poll({}, stop);
  REQUIRE_FALSE(failed.ok());
  CHECK_THAT(failed.status().message(), !Catch::Contains("SECRET123"));
  CHECK_THAT(failed.status().message(), Catch::Contains("api_key=REDACTED"));

  HttpRequest slow;
  slow.url = host.Url("/api?token=SECRET123");
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    stop = true;
  });
  auto cancelled = http.Send(slow, &stop);
  canceller.join();
  REQUIRE_FALSE(cancelled.ok());
  CHECK(cancelled.status().code() == Status::Code::kAborted);
  CHECK_THAT(cancelled.status().message(), !Catch::Contains("SECRET123"));
}
