// A source's own request limits, enforced by HttpClient against a real loopback server.
#include "connectors/http/request_gate.h"

#include <catch2/catch.hpp>
#include <chrono>

#include "connectors/http/http_client.h"
#include "tests/support/local_http_server.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

struct Server {
  LocalHttpServer host;
  Server() {
    host.server().Get("/feed", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("ok", "text/plain");
    });
    host.Start();
  }
};

HttpRequest Get(const Server& s) {
  HttpRequest r;
  r.url = const_cast<LocalHttpServer&>(s.host).Url("/feed");
  return r;
}

}  // namespace

TEST_CASE("request gate: a daily budget stops requests before they are sent", "[gate]") {
  Server server;
  HttpClient http;
  RequestGate gate({0, 3});
  ScopedRequestGate scope(&gate);
  for (int i = 0; i < 3; ++i)
    CHECK(http.Send(Get(server)).ok());
  auto fourth = http.Send(Get(server));
  REQUIRE_FALSE(fourth.ok());
  CHECK(fourth.status().code() == Status::Code::kUnavailable);
  CHECK(fourth.status().message().find("daily budget of 3 requests is used up") !=
        std::string::npos);
  CHECK(server.host.request_count() == 3);
  CHECK(gate.used_today() == 3);
}

TEST_CASE("request gate: the token bucket spaces requests and gives up past its wait", "[gate]") {
  Server server;
  HttpClient http;
  RequestGate gate({600, 0});  // 10 a second, a burst of up to 600
  {
    ScopedRequestGate scope(&gate);
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 5; ++i)
      CHECK(http.Send(Get(server)).ok());
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  }
  RequestGate slow({1, 0});  // one a minute: the second request would wait 60 s
  CHECK(slow.Acquire(nullptr, 100).ok());
  Status second = slow.Acquire(nullptr, 100);
  CHECK(second.code() == Status::Code::kUnavailable);
  CHECK(second.message().find("rate limit of 1 requests per minute") != std::string::npos);
  std::atomic<bool> cancel{true};
  CHECK(slow.Acquire(&cancel, 120'000).code() == Status::Code::kAborted);
}

TEST_CASE("request gate: without a gate in scope nothing is limited", "[gate]") {
  Server server;
  HttpClient http;
  RequestGate gate({0, 1});
  { ScopedRequestGate scope(&gate); }
  CHECK(ScopedRequestGate::Current() == nullptr);
  for (int i = 0; i < 3; ++i)
    CHECK(http.Send(Get(server)).ok());
  CHECK(gate.used_today() == 0);
}
