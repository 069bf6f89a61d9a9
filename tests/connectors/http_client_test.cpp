// The HTTP client against a real server on loopback: limits, redirects, encodings, failures.
#include "connectors/http/http_client.h"

#include <catch2/catch.hpp>
#include <thread>

#include "tests/support/gzip.h"
#include "tests/support/local_http_server.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

HttpRequest Get(const std::string& url) {
  HttpRequest request;
  request.url = url;
  return request;
}

void Serve(LocalHttpServer& host, const std::string& path, const std::string& body,
           const std::string& content_type = "text/plain") {
  host.server().Get(path, [body, content_type](const httplib::Request&, httplib::Response& res) {
    res.set_content(body, content_type);
  });
}

// A body that declares `declared` bytes, sends `sent` of them and then hangs up.
void ServeCutShort(LocalHttpServer& host, const std::string& path, size_t declared, size_t sent) {
  host.server().Get(path, [=](const httplib::Request&, httplib::Response& res) {
    res.set_content_provider(declared, "application/octet-stream",
                             [sent](size_t offset, size_t, httplib::DataSink& sink) {
                               if (offset > 0) return false;
                               const std::string part(sent, 'x');
                               sink.write(part.data(), part.size());
                               return true;
                             });
  });
}

}  // namespace

TEST_CASE("http client: a GET returns status, body and the response headers lower-cased") {
  LocalHttpServer host;
  host.server().Get("/doc", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("ETag", "W/\"v1\"");
    res.set_header("X-Custom-Thing", "  spaced value  ");
    res.set_content("hello", "application/octet-stream");
  });
  host.Start();
  HttpClient http;

  auto response = http.Send(Get(host.Url("/doc")));
  REQUIRE(response.ok());
  CHECK(response->status == 200);
  CHECK(response->body == "hello");
  CHECK(response->Header("etag") == "W/\"v1\"");
  CHECK(response->Header("x-custom-thing") == "spaced value");
  CHECK(response->Header("content-type") == "application/octet-stream");
  CHECK(response->Header("X-Custom-Thing").empty());  // names are looked up lower-cased
  CHECK(response->effective_url == host.Url("/doc"));

  const auto seen = host.requests();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].method == "GET");
  CHECK(seen[0].Header("User-Agent") == std::string("earshot/") + EARSHOT_VERSION);
  const std::string accepted = seen[0].Header("Accept-Encoding");
  CHECK_THAT(accepted,
             Catch::Contains("gzip") && Catch::Contains("deflate") && Catch::Contains("br"));
  CHECK(seen[0].Header("If-None-Match").empty());
  CHECK(seen[0].Header("If-Modified-Since").empty());
}

TEST_CASE("http client: conditional headers, extra headers and the user agent are sent") {
  LocalHttpServer host;
  host.server().Get("/doc", [](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("If-None-Match") == "\"v1\"") {
      res.status = 304;
      return;
    }
    res.set_content("fresh", "text/plain");
  });
  host.Start();
  HttpClientOptions options;
  options.user_agent = "client-wide/2";
  HttpClient http(options);

  HttpRequest request = Get(host.Url("/doc"));
  request.if_none_match = "\"v1\"";
  request.if_modified_since = "Fri, 20 Nov 2026 10:00:00 GMT";
  request.headers = {{"Accept", "application/rss+xml"}, {"X-Api-Version", "3"}};
  auto not_modified = http.Send(request);
  REQUIRE(not_modified.ok());
  CHECK(not_modified->status == 304);
  CHECK(not_modified->body.empty());

  HttpRequest overridden = Get(host.Url("/doc"));
  overridden.user_agent = "per-request/1";
  auto fresh = http.Send(overridden);
  REQUIRE(fresh.ok());
  CHECK(fresh->status == 200);

  const auto seen = host.requests();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].Header("If-None-Match") == "\"v1\"");
  CHECK(seen[0].Header("If-Modified-Since") == "Fri, 20 Nov 2026 10:00:00 GMT");
  CHECK(seen[0].Header("Accept") == "application/rss+xml");
  CHECK(seen[0].Header("X-Api-Version") == "3");
  CHECK(seen[0].Header("User-Agent") == "client-wide/2");
  CHECK(seen[1].Header("User-Agent") == "per-request/1");
  CHECK(seen[1].Header("If-None-Match").empty());
}

TEST_CASE("http client: error statuses are responses, not failures") {
  LocalHttpServer host;
  host.server().Get("/missing", [](const httplib::Request&, httplib::Response& res) {
    res.status = 404;
    res.set_content("no such feed", "text/plain");
  });
  host.Start();
  HttpClient http;
  auto response = http.Send(Get(host.Url("/missing")));
  REQUIRE(response.ok());
  CHECK(response->status == 404);
  CHECK(response->body == "no such feed");
}

TEST_CASE("http client: compressed bodies arrive decoded") {
  const std::string text =
      "<rss version=\"2.0\"><channel><title>compressed</title></channel></rss>";
  LocalHttpServer host;
  host.server().Get("/gzip", [&](const httplib::Request&, httplib::Response& res) {
    res.set_header("Content-Encoding", "gzip");
    // A type cpp-httplib does not compress on its own, so the body is gzipped exactly once.
    res.set_content(Gzip(text), "application/rss+xml");
  });
  // cpp-httplib compresses text/* itself, with brotli when the client accepts it.
  Serve(host, "/brotli", text, "text/xml");
  host.Start();
  HttpClient http;

  auto gzip = http.Send(Get(host.Url("/gzip")));
  REQUIRE(gzip.ok());
  CHECK(gzip->Header("content-encoding") == "gzip");
  CHECK(gzip->body == text);

  auto brotli = http.Send(Get(host.Url("/brotli")));
  REQUIRE(brotli.ok());
  CHECK(brotli->Header("content-encoding") == "br");
  CHECK(brotli->body == text);
}

TEST_CASE("http client: bodies over the limit fail while streaming or as soon as declared") {
  LocalHttpServer host;
  Serve(host, "/exact", std::string(1000, 'a'));
  Serve(host, "/one-more", std::string(1001, 'a'));
  host.server().Get("/chunked", [](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("text/plain", [](size_t offset, httplib::DataSink& sink) {
      if (offset >= 100'000) {
        sink.done();
        return true;
      }
      const std::string chunk(1000, 'c');
      return sink.write(chunk.data(), chunk.size());
    });
  });
  // Declares a megabyte, sends ten bytes and then stalls: only an early check can fail it
  // with a size error; reading on would end in the timeout instead.
  host.server().Get("/declared", [&host](const httplib::Request&, httplib::Response& res) {
    res.set_content_provider(1 << 20, "application/octet-stream",
                             [&host](size_t offset, size_t, httplib::DataSink& sink) {
                               if (offset > 0) {
                                 host.HoldUntilStopped();
                                 return false;
                               }
                               sink.write("0123456789", 10);
                               return true;
                             });
  });
  // A megabyte of zeros gzips to about a kilobyte: the limit is on what it decodes to.
  host.server().Get("/bomb", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Content-Encoding", "gzip");
    res.set_content(Gzip(std::string(1 << 20, '\0')), "application/octet-stream");
  });
  host.Start();
  HttpClient http;
  auto limited = [&](const std::string& path) {
    HttpRequest request = Get(host.Url(path));
    request.max_body_bytes = 1000;
    request.timeout_ms = 5'000;
    return http.Send(request);
  };

  auto exact = limited("/exact");
  REQUIRE(exact.ok());
  CHECK(exact->body.size() == 1000);

  for (const std::string path : {"/one-more", "/chunked", "/bomb"}) {
    INFO(path);
    auto over = limited(path);
    REQUIRE_FALSE(over.ok());
    CHECK(over.status().code() == Status::Code::kNetworkError);
    CHECK_THAT(over.status().message(),
               Catch::StartsWith("GET " + host.Url(path) + ": body larger than 1000 bytes"));
  }

  auto declared = limited("/declared");
  REQUIRE_FALSE(declared.ok());
  CHECK(declared.status().message() ==
        "GET " + host.Url("/declared") +
            ": body larger than 1000 bytes (Content-Length: " + std::to_string(1 << 20) + ")");
}

TEST_CASE("http client: redirects are followed up to the limit, keeping the last headers") {
  LocalHttpServer host;
  // /hop/N redirects to /hop/N-1; /hop/0 is the document.
  host.server().Get(R"(/hop/(\d+))", [&host](const httplib::Request& req, httplib::Response& res) {
    const int n = std::stoi(req.matches[1]);
    if (n == 0) {
      res.set_header("X-Final", "yes");
      res.set_content("arrived", "text/plain");
      return;
    }
    res.set_header("X-Hop", std::to_string(n));
    res.set_redirect(host.Url("/hop/" + std::to_string(n - 1)));
    res.set_content("<html>moved</html>", "text/html");
  });
  host.Start();
  HttpClient http;

  HttpRequest within = Get(host.Url("/hop/3"));
  within.max_redirects = 3;
  auto followed = http.Send(within);
  REQUIRE(followed.ok());
  CHECK(followed->status == 200);
  CHECK(followed->body == "arrived");
  CHECK(followed->effective_url == host.Url("/hop/0"));
  CHECK(followed->Header("x-final") == "yes");
  CHECK(followed->Header("x-hop").empty());
  CHECK(followed->Header("location").empty());

  HttpRequest beyond = Get(host.Url("/hop/4"));
  beyond.max_redirects = 3;
  auto too_many = http.Send(beyond);
  REQUIRE_FALSE(too_many.ok());
  CHECK(too_many.status().code() == Status::Code::kNetworkError);
  CHECK_THAT(too_many.status().message(),
             Catch::StartsWith("GET " + host.Url("/hop/4") + ": more than 3 redirects"));

  HttpRequest unfollowed = Get(host.Url("/hop/1"));
  unfollowed.max_redirects = 0;
  auto raw = http.Send(unfollowed);
  REQUIRE(raw.ok());
  CHECK(raw->status == 302);
  CHECK(raw->Header("location") == host.Url("/hop/0"));
}

TEST_CASE("http client: only http and https, for the URL and for every redirect") {
  LocalHttpServer host;
  host.server().Get("/to-ftp", [](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("ftp://127.0.0.1/feed.xml");
  });
  host.server().Get("/to-file", [](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("file:///etc/passwd");
  });
  host.Start();
  HttpClient http;

  auto ftp = http.Send(Get(host.Url("/to-ftp")));
  REQUIRE_FALSE(ftp.ok());
  CHECK(ftp.status().code() == Status::Code::kNetworkError);
  CHECK_THAT(ftp.status().message(),
             Catch::StartsWith("GET " + host.Url("/to-ftp") + ": refused redirect to ftp://"));

  auto file = http.Send(Get(host.Url("/to-file")));
  REQUIRE_FALSE(file.ok());
  CHECK_THAT(file.status().message(), Catch::Contains("refused redirect to file:///etc/passwd"));

  auto direct = http.Send(Get("file:///etc/passwd"));
  REQUIRE_FALSE(direct.ok());
  CHECK(direct.status().code() == Status::Code::kInvalidArgument);
  CHECK(host.request_count() == 2);
}

TEST_CASE("http client: a silent server times out with what and where") {
  LocalHttpServer host;
  host.server().Get("/silent", [&host](const httplib::Request&, httplib::Response& res) {
    host.HoldUntilStopped();
    res.set_content("too late", "text/plain");
  });
  host.server().Get("/moved", [&host](const httplib::Request&, httplib::Response& res) {
    res.set_redirect(host.Url("/silent?session=SECRET"));
  });
  host.Start();
  HttpClient http;
  HttpRequest request = Get(host.Url("/silent"));
  request.timeout_ms = 300;
  auto slow = http.Send(request);
  REQUIRE_FALSE(slow.ok());
  CHECK(slow.status().code() == Status::Code::kNetworkError);
  CHECK_THAT(slow.status().message(), Catch::StartsWith("GET " + host.Url("/silent") +
                                                        ": Timeout was reached after 300 ms"));

  HttpRequest moved = Get(host.Url("/moved"));
  moved.timeout_ms = 300;
  auto after_redirect = http.Send(moved);
  REQUIRE_FALSE(after_redirect.ok());
  CHECK_THAT(after_redirect.status().message(),
             Catch::StartsWith("GET " + host.Url("/moved") + ": Timeout was reached") &&
                 Catch::EndsWith("(redirected to " + host.Url("/silent?session=REDACTED") + ")"));
}

TEST_CASE("http client: a body cut short and a refused connection are network errors") {
  LocalHttpServer host;
  ServeCutShort(host, "/cut", 5000, 100);
  host.Start();
  HttpClient http;

  auto cut = http.Send(Get(host.Url("/cut")));
  REQUIRE_FALSE(cut.ok());
  CHECK(cut.status().code() == Status::Code::kNetworkError);
  CHECK_THAT(cut.status().message(),
             Catch::StartsWith("GET " + host.Url("/cut") + ": body cut short"));

  const std::string gone = host.Url("/feed");
  host.Stop();
  auto refused = http.Send(Get(gone));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == Status::Code::kNetworkError);
  CHECK_THAT(refused.status().message(), Catch::StartsWith("GET " + gone + ": "));
}

TEST_CASE("http client: a cancel request stops a transfer that waits on a silent server") {
  LocalHttpServer host;
  host.server().Get("/silent", [&host](const httplib::Request&, httplib::Response& res) {
    host.HoldUntilStopped();
    res.set_content("too late", "text/plain");
  });
  host.Start();
  HttpClient http;
  std::atomic<bool> cancel{false};

  HttpRequest request = Get(host.Url("/silent?token=SECRET123"));
  request.timeout_ms = 60'000;
  std::thread canceller([&] {
    while (host.request_count() == 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    cancel = true;
  });
  auto cancelled = http.Send(request, &cancel);
  canceller.join();
  REQUIRE_FALSE(cancelled.ok());
  CHECK(cancelled.status().code() == Status::Code::kAborted);
  CHECK_THAT(cancelled.status().message(), !Catch::Contains("SECRET123"));

  // Already cancelled: nothing is sent.
  auto early = http.Send(Get(host.Url("/silent")), &cancel);
  REQUIRE_FALSE(early.ok());
  CHECK(early.status().code() == Status::Code::kAborted);
  CHECK(host.request_count() == 1);
}

TEST_CASE("http client: secrets in URLs never reach error messages") {
  LocalHttpServer host;
  host.server().Get("/silent", [&host](const httplib::Request&, httplib::Response& res) {
    host.HoldUntilStopped();
    res.status = 500;
  });
  host.server().Get("/bounce", [](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("ftp://127.0.0.1/x?access_token=SECRET3");
  });
  host.Start();
  HttpClient http;

  HttpRequest timed = Get(host.Url("/silent?q=voltwave&api_key=SECRET1&sig=SECRET2"));
  timed.timeout_ms = 200;
  auto slow = http.Send(timed);
  REQUIRE_FALSE(slow.ok());
  CHECK_THAT(slow.status().message(), Catch::Contains("/silent?q=voltwave&api_key=REDACTED&sig="));
  CHECK_THAT(slow.status().message(), !Catch::Contains("SECRET"));

  auto bounced = http.Send(Get(host.Url("/bounce?password=SECRET4")));
  REQUIRE_FALSE(bounced.ok());
  CHECK_THAT(bounced.status().message(), Catch::Contains("access_token=REDACTED"));
  CHECK_THAT(bounced.status().message(), !Catch::Contains("SECRET"));

  HttpRequest with_user =
      Get("http://reader:SECRET5@127.0.0.1:" + std::to_string(host.port()) + "/silent");
  with_user.timeout_ms = 200;
  auto credentials = http.Send(with_user);
  REQUIRE_FALSE(credentials.ok());
  CHECK_THAT(credentials.status().message(), Catch::Contains("http://REDACTED@127.0.0.1:"));
  CHECK_THAT(credentials.status().message(), !Catch::Contains("SECRET"));
}

TEST_CASE("http client: header injection is refused before anything is sent") {
  LocalHttpServer host;
  Serve(host, "/doc", "ok");
  host.Start();
  HttpClient http;
  HttpRequest request = Get(host.Url("/doc"));
  request.headers = {{"X-Note", "a\r\nX-Injected: 1"}};
  auto refused = http.Send(request);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == Status::Code::kInvalidArgument);

  HttpRequest bad_name = Get(host.Url("/doc"));
  bad_name.headers = {{"X Bad", "1"}};
  CHECK(http.Send(bad_name).status().code() == Status::Code::kInvalidArgument);
  CHECK(host.request_count() == 0);
}

TEST_CASE("http client: POST and HEAD") {
  LocalHttpServer host;
  host.server().Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content("got " + req.body, "text/plain");
  });
  host.server().Get("/doc", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(5000, 'd'), "application/octet-stream");
  });
  host.Start();
  HttpClient http;

  HttpRequest post = Get(host.Url("/echo"));
  post.method = "POST";
  post.body = R"({"q":"voltwave"})";
  post.headers = {{"Content-Type", "application/json"}};
  auto echoed = http.Send(post);
  REQUIRE(echoed.ok());
  CHECK(echoed->body == R"(got {"q":"voltwave"})");

  HttpRequest head = Get(host.Url("/doc"));
  head.method = "HEAD";
  head.max_body_bytes = 10;  // the declared length is not a body that arrives
  auto headed = http.Send(head);
  REQUIRE(headed.ok());
  CHECK(headed->status == 200);
  CHECK(headed->body.empty());
  CHECK(headed->Header("content-length") == "5000");
}

TEST_CASE("http client: one client serves many threads at once") {
  LocalHttpServer host;
  host.server().Get(R"(/item/(\d+))", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content("item " + std::string(req.matches[1]), "text/plain");
  });
  host.Start();
  HttpClient http;
  constexpr int kThreads = 6, kEach = 5;
  std::atomic<int> correct{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string id = std::to_string(t * 100 + i);
        auto r = http.Send(Get(host.Url("/item/" + id)));
        if (r.ok() && r->status == 200 && r->body == "item " + id) ++correct;
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  CHECK(correct == kThreads * kEach);
}
