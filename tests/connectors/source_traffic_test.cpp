// A source's request limits, circuit breaker and the platform's rate-limit headers, enforced and
// read by HttpClient against a real loopback server; and several requests at once from one thread.
#include "connectors/http/source_traffic.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

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
  SourceTraffic traffic({0, 3});
  RequestGate& gate = traffic.gate();
  ScopedSourceTraffic scope(&traffic);
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
  SourceTraffic traffic({600, 0});  // 10 a second, a burst of up to 600
  {
    ScopedSourceTraffic scope(&traffic);
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
  SourceTraffic traffic({0, 1});
  { ScopedSourceTraffic scope(&traffic); }
  CHECK(ScopedSourceTraffic::Current() == nullptr);
  for (int i = 0; i < 3; ++i)
    CHECK(http.Send(Get(server)).ok());
  CHECK(traffic.gate().used_today() == 0);
}

TEST_CASE("circuit breaker: opens after failures in a row, one trial, doubling open periods",
          "[breaker]") {
  CircuitBreaker breaker({3, 1'000, 3'000});
  const UnixMillis t = 1'000'000;
  for (int i = 0; i < 2; ++i) {
    REQUIRE(breaker.Allow(t).ok());
    breaker.RecordFailure("HTTP 503", t);
  }
  CHECK(breaker.state(t) == CircuitState::kClosed);
  REQUIRE(breaker.Allow(t).ok());
  breaker.RecordSuccess();  // a success in between starts the count again
  for (int i = 0; i < 3; ++i) {
    REQUIRE(breaker.Allow(t).ok());
    breaker.RecordFailure("HTTP 503", t);
  }
  CHECK(breaker.state(t) == CircuitState::kOpen);
  CHECK(breaker.open_until() == t + 1'000);
  Status refused = breaker.Allow(t + 400);
  CHECK(refused.code() == Status::Code::kUnavailable);
  CHECK(refused.message() ==
        "circuit open after 3 failed requests in a row (last: HTTP 503): next trial in 1 s");

  // The open period is over: one trial goes out, the others wait for its answer.
  CHECK(breaker.state(t + 1'000) == CircuitState::kHalfOpen);
  REQUIRE(breaker.Allow(t + 1'000).ok());
  CHECK(breaker.Allow(t + 1'001).message().ends_with("a trial request is in flight"));
  breaker.RecordFailure("connection refused", t + 1'100);
  CHECK(breaker.open_until() == t + 1'100 + 2'000);  // twice as long
  REQUIRE(breaker.Allow(t + 3'100).ok());
  breaker.RecordFailure("connection refused", t + 3'100);
  CHECK(breaker.open_until() == t + 3'100 + 3'000);  // capped at max_open
  REQUIRE(breaker.Allow(t + 6'100).ok());
  breaker.RecordAbandoned();  // a cancelled trial: the next caller gets it
  REQUIRE(breaker.Allow(t + 6'200).ok());
  breaker.RecordSuccess();
  CHECK(breaker.state(t + 6'200) == CircuitState::kClosed);
  CHECK(breaker.open_until() == 0);
  CHECK(breaker.times_opened() == 3);

  CircuitBreaker never({0, 1'000, 1'000});
  for (int i = 0; i < 50; ++i)
    never.RecordFailure("HTTP 500", t);
  CHECK(never.Allow(t).ok());
}

TEST_CASE("circuit breaker: 5xx and refused connections open it, then requests stay home",
          "[breaker]") {
  LocalHttpServer host;
  std::atomic<int> status{503};
  host.server().Get("/api", [&](const httplib::Request&, httplib::Response& res) {
    res.status = status.load();
    res.set_content(R"({"error":"busy"})", "application/json");
  });
  host.Start();
  HttpClient http;
  SourceTraffic traffic({}, {2, 1, 1});  // opens after 2 failures, for 1 ms
  ScopedSourceTraffic scope(&traffic);
  HttpRequest request;
  request.url = host.Url("/api");

  for (int i = 0; i < 2; ++i) {
    auto answered = http.Send(request);
    REQUIRE(answered.ok());  // a 5xx is still an answer for the connector to explain
    CHECK(answered->status == 503);
  }
  CHECK(traffic.breaker().times_opened() == 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  status = 200;
  auto trial = http.Send(request);
  REQUIRE(trial.ok());
  CHECK(trial->status == 200);
  CHECK(traffic.breaker().state() == CircuitState::kClosed);
  CHECK(host.request_count() == 3);

  // 429 and 404 are the platform answering: they never open the circuit.
  for (int code : {429, 404, 429, 404}) {
    status = code;
    REQUIRE(http.Send(request).ok());
  }
  CHECK(traffic.breaker().state() == CircuitState::kClosed);

  // Nothing listens on a port just freed: refused connections count too. Once open, a request
  // fails at once with the reason and never reaches the network.
  int closed_port = 0;
  {
    LocalHttpServer gone;
    gone.Start();
    closed_port = gone.port();
  }
  SourceTraffic down({}, {2, 60'000, 60'000});
  ScopedSourceTraffic down_scope(&down);
  HttpRequest unreachable;
  unreachable.url = "http://127.0.0.1:" + std::to_string(closed_port) + "/api?key=s3cret";
  for (int i = 0; i < 2; ++i)
    CHECK(http.Send(unreachable).status().code() == Status::Code::kNetworkError);
  auto refused = http.Send(unreachable);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == Status::Code::kUnavailable);
  CHECK(refused.status().message().find("circuit open after 2 failed requests in a row") !=
        std::string::npos);
  CHECK(refused.status().message().find("next trial in 60 s") != std::string::npos);
  CHECK(refused.status().message().find("s3cret") == std::string::npos);
  CHECK(down.gate().used_today() == 2);  // an open circuit spends no budget
}

TEST_CASE("source traffic: the platform's rate-limit headers are read from every response",
          "[traffic]") {
  LocalHttpServer host;
  host.server().Get("/reddit", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("x-ratelimit-remaining", "598.0");
    res.set_content("{}", "application/json");
  });
  host.server().Get("/x", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("x-rate-limit-remaining", "41");
    res.set_content("{}", "application/json");
  });
  host.server().Get("/bluesky", [](const httplib::Request&, httplib::Response& res) {
    res.status = 429;
    res.set_header("RateLimit-Remaining", "0");
    res.set_content("{}", "application/json");
  });
  host.server().Get("/plain", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("x-ratelimit-remaining", "soon");
    res.set_content("{}", "application/json");
  });
  host.Start();
  HttpClient http;
  SourceTraffic traffic;
  ScopedSourceTraffic scope(&traffic);
  auto get = [&](const std::string& path) {
    HttpRequest r;
    r.url = host.Url(path);
    REQUIRE(http.Send(r).ok());
  };
  CHECK_FALSE(traffic.rate_limit_remaining());
  get("/reddit");
  CHECK(traffic.rate_limit_remaining() == 598);
  get("/x");
  CHECK(traffic.rate_limit_remaining() == 41);
  get("/plain");  // unreadable: the last figure stands
  CHECK(traffic.rate_limit_remaining() == 41);
  get("/bluesky");
  CHECK(traffic.rate_limit_remaining() == 0);
}

TEST_CASE("http client: SendAll runs requests at once from one thread, results in order",
          "[http][multi]") {
  LocalHttpServer host;
  std::mutex mu;
  std::condition_variable cv;
  int in_flight = 0, most_in_flight = 0, wanted = 3;
  // Each request waits (up to 2 s) for three to be in flight together: only concurrent requests
  // finish quickly, and the server sees how many overlapped.
  host.server().Get("/page", [&](const httplib::Request& req, httplib::Response& res) {
    std::unique_lock lock(mu);
    most_in_flight = std::max(most_in_flight, ++in_flight);
    cv.notify_all();
    cv.wait_for(lock, std::chrono::seconds(2), [&] { return most_in_flight >= wanted; });
    --in_flight;
    res.set_content("page " + req.get_param_value("n"), "text/plain");
  });
  host.Start();
  HttpClient http;
  std::vector<HttpRequest> requests(4);
  for (int i = 0; i < 4; ++i)
    requests[i].url = host.Url("/page?n=" + std::to_string(i));
  requests[2].url = "ftp://127.0.0.1/page";  // refused before sending; the others still go

  SourceTraffic traffic({0, 100});
  ScopedSourceTraffic scope(&traffic);
  requests.push_back(requests[0]);
  requests.back().url = host.Url("/page?n=4");
  auto results = http.SendAll(requests, nullptr, 3);
  REQUIRE(results.size() == 5);
  for (int i : {0, 1, 3, 4}) {
    REQUIRE(results[i].ok());
    CHECK(results[i]->body == "page " + std::to_string(i));
  }
  CHECK(results[2].status().code() == Status::Code::kInvalidArgument);
  CHECK(most_in_flight == 3);
  CHECK(traffic.gate().used_today() == 4);

  {
    std::lock_guard lock(mu);
    most_in_flight = 0;
    wanted = 1;
  }
  std::vector<HttpRequest> two(requests.begin(), requests.begin() + 2);
  auto one_at_a_time = http.SendAll(two, nullptr, 1);
  CHECK(one_at_a_time[0].ok());
  CHECK(one_at_a_time[1].ok());
  CHECK(most_in_flight == 1);

  std::atomic<bool> cancel{true};
  auto cancelled = http.SendAll(two, &cancel);
  CHECK(cancelled[0].status().code() == Status::Code::kAborted);
  CHECK(cancelled[1].status().code() == Status::Code::kAborted);
}
