// The metrics registry and its exposition format, the systemd notifier against a real datagram
// socket, and /readyz and /metrics on the web server with and without tokens.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <thread>

#include "daemon/metrics/daemon_metrics.h"
#include "daemon/metrics/registry.h"
#include "daemon/systemd_notify.h"
#include "daemon/web/auth.h"
#include "daemon/web/web_server.h"
#include "store/sqlite_store.h"
#include "tests/support/exposition.h"
#include "tests/support/notify_listener.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

TEST_CASE("The registry renders counters, gauges and histograms in the exposition format",
          "[metrics]") {
  metrics::Registry registry;
  auto& polls = registry.AddCounter("t_polls_total", "Polls.\nTwo lines \\ here.", {"source"});
  polls.With({"a"}).Inc();
  polls.With({"a"}).Inc(2);
  polls.With({"we\"ird\\\nname"}).Inc();
  polls.With({"a"}).Inc(-5);  // counters never go down
  auto& depth = registry.AddGauge("t_depth", "Depth.").With({});
  depth.Set(7);
  depth.Inc(-2);
  auto& hist = registry.AddHistogram("t_seconds", "Durations.", {0.1, 0.5, 1}).With({});
  for (double v : {0.05, 0.1, 0.3, 0.7, 3.0})
    hist.Observe(v);
  int collected = 0;
  registry.AddCollector([&] { ++collected; });

  const std::string text = registry.Render();
  INFO(text);
  CHECK(collected == 1);
  CHECK(text.find("# HELP t_polls_total Polls.\\nTwo lines \\\\ here.\n") != std::string::npos);
  CHECK(text.find("# TYPE t_seconds histogram\n") != std::string::npos);
  CHECK(text.find("t_seconds_bucket{le=\"0.1\"} 2\n") != std::string::npos);
  CHECK(text.find("t_seconds_bucket{le=\"+Inf\"} 5\n") != std::string::npos);
  CHECK(text.find("t_polls_total{source=\"we\\\"ird\\\\\\nname\"} 1\n") != std::string::npos);

  Exposition e = ParseExposition(text);
  CHECK(e.errors.empty());
  for (const auto& error : e.errors)
    UNSCOPED_INFO(error);
  CHECK(e.types["t_polls_total"] == "counter");
  CHECK(e.Value("t_polls_total", {{"source", "a"}}) == 3);
  CHECK(e.Value("t_polls_total", {{"source", "we\"ird\\\nname"}}) == 1);
  CHECK(e.Value("t_depth") == 5);
  CHECK(e.Value("t_seconds_bucket", {{"le", "0.5"}}) == 3);
  CHECK(e.Value("t_seconds_bucket", {{"le", "1"}}) == 4);
  CHECK(e.Value("t_seconds_count") == 5);
  CHECK(e.Value("t_seconds_sum") == Approx(4.15));
}

TEST_CASE("The exposition reader catches malformed text", "[metrics]") {
  CHECK_FALSE(ParseExposition("x 1\n").errors.empty());  // no TYPE
  CHECK_FALSE(ParseExposition("# TYPE x gauge\nx{a=\"1} 1\n").errors.empty());
  CHECK_FALSE(ParseExposition("# TYPE x gauge\nx one\n").errors.empty());
  CHECK_FALSE(ParseExposition("# TYPE x gauge\nx 1\nx 2\n").errors.empty());
  CHECK_FALSE(ParseExposition("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\n"
                              "h_count 1\nh_sum 1\n")
                  .errors.empty());
  CHECK(ParseExposition("# TYPE x gauge\nx{a=\"1\",b=\"2\"} -Inf 123\n").errors.empty());
}

TEST_CASE("Histograms and counters stay exact under concurrent updates", "[metrics]") {
  metrics::Registry registry;
  auto& counter = registry.AddCounter("c_total", "c").With({});
  auto& hist = registry.AddHistogram("h", "h", metrics::ExponentialBuckets(0.001, 10, 4)).With({});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        counter.Inc();
        hist.Observe(0.002);
      }
    });
  }
  for (auto& t : threads)
    t.join();
  CHECK(counter.value() == 40000);
  auto snapshot = hist.Read();
  CHECK(snapshot.count == 40000);
  CHECK(snapshot.cumulative[0] == 0);
  CHECK(snapshot.cumulative[1] == 40000);
}

TEST_CASE("Daemon metrics count polls and read outbox and cases from the store", "[metrics]") {
  TempDir dir;
  auto store = OpenSqliteStore(dir.File("m.db"));
  REQUIRE(store.ok());
  UnixMillis now = 1'800'000'000'000;
  metrics::DaemonMetrics m(store->get(), [&] { return now; });
  PollOutcome ok;
  ok.inserted = 4;
  ok.fetched = 6;
  ok.edited = 2;
  ok.deleted = 1;
  ok.newest_mention_at = now - 90'000;
  ok.rate_limit_remaining = 598;
  m.RecordPoll("feed", ok);
  PollOutcome failed;
  failed.status = Status::NetworkError("down");
  failed.circuit = CircuitState::kOpen;
  m.RecordPoll("feed", failed);
  m.RecordDelivery(3, 2, 1);
  m.RecordReload(false);

  Exposition e = ParseExposition(m.Render());
  for (const auto& error : e.errors)
    UNSCOPED_INFO(error);
  CHECK(e.errors.empty());
  CHECK(e.Value("earshot_source_polls_total", {{"source", "feed"}}) == 2);
  CHECK(e.Value("earshot_source_poll_failures_total", {{"source", "feed"}}) == 1);
  CHECK(e.Value("earshot_source_mentions_total", {{"source", "feed"}}) == 4);
  CHECK(e.Value("earshot_source_lag_seconds", {{"source", "feed"}}) == 90);
  CHECK(e.Value("earshot_source_rate_limit_remaining", {{"source", "feed"}}) == 598);
  CHECK(e.Value("earshot_source_circuit_state", {{"source", "feed"}}) == 2);
  CHECK(e.Value("earshot_source_edited_total", {{"source", "feed"}}) == 2);
  CHECK(e.Value("earshot_source_deleted_total", {{"source", "feed"}}) == 1);
  CHECK(e.Value("earshot_alerts_delivered_total") == 3);
  CHECK(e.Value("earshot_alert_delivery_failures_total") == 2);
  CHECK(e.Value("earshot_config_reloads_total", {{"result", "error"}}) == 1);
  CHECK(e.Value("earshot_config_last_reload_successful") == 0);
  CHECK(e.Value("earshot_outbox_depth") == 0);
  CHECK(e.Value("earshot_cases_open", {{"state", "new"}}) == 0);
  CHECK(e.Value("earshot_store_up") == 1);
  CHECK(e.types["earshot_classify_seconds"] == "histogram");
  CHECK(e.types["earshot_rules_seconds"] == "histogram");

  m.ForgetSource("feed");
  e = ParseExposition(m.Render());
  CHECK_FALSE(e.Value("earshot_source_lag_seconds", {{"source", "feed"}}));
}

TEST_CASE("The systemd notifier sends datagrams to abstract and path sockets", "[systemd]") {
  const std::string abstract = UniqueAbstractName("unit");
  NotifyListener listener(abstract);
  SystemdNotifier notifier(abstract, std::chrono::microseconds(10'000'000));
  REQUIRE(notifier.enabled());
  CHECK(notifier.watchdog_ping_interval() == std::chrono::microseconds(5'000'000));
  REQUIRE(notifier.Notify("READY=1\nSTATUS=hello").ok());
  CHECK(listener.Receive(2000) == "READY=1\nSTATUS=hello");

  TempDir dir;
  const std::string path = dir.File("notify.sock");
  NotifyListener by_path(path);
  SystemdNotifier to_path(path, std::nullopt);
  CHECK_FALSE(to_path.watchdog_ping_interval());
  REQUIRE(to_path.Notify("STOPPING=1").ok());
  CHECK(by_path.Receive(2000) == "STOPPING=1");

  CHECK(SystemdNotifier().Notify("READY=1").ok());  // no socket: nothing to do
  CHECK_FALSE(SystemdNotifier("relative/path", std::nullopt).Notify("READY=1").ok());
  CHECK_FALSE(SystemdNotifier(UniqueAbstractName("nobody"), std::nullopt).Notify("READY=1").ok());
}

TEST_CASE("/readyz follows readiness and /metrics wants a token when tokens are set", "[ops-web]") {
  TempDir dir;
  auto store = OpenSqliteStore(dir.File("w.db"));
  REQUIRE(store.ok());
  const std::string token = "0123456789abcdef0123456789abcdef";
  std::atomic<bool> ready{false};

  WebOptions options;
  options.users.push_back({"prometheus", "viewer", web::Sha256(token)});
  options.ready = [&] { return ready.load(); };
  options.metrics = [] { return std::string("# TYPE up gauge\nup 1\n"); };
  WebServer server(**store, options);
  REQUIRE(server.Start("127.0.0.1:0").ok());
  httplib::Client client("127.0.0.1", server.port());

  auto not_ready = client.Get("/readyz");
  REQUIRE(not_ready);
  CHECK(not_ready->status == 503);
  ready = true;
  auto is_ready = client.Get("/readyz", {{"Host", "prober.internal"}});  // any Host will do
  REQUIRE(is_ready);
  CHECK(is_ready->status == 200);

  auto anonymous = client.Get("/metrics");
  REQUIRE(anonymous);
  CHECK(anonymous->status == 401);
  auto wrong = client.Get("/metrics", {{"Authorization", "Bearer nope-nope-nope-nope"}});
  REQUIRE(wrong);
  CHECK(wrong->status == 401);
  auto scraped = client.Get("/metrics", {{"Authorization", "Bearer " + token}});
  REQUIRE(scraped);
  CHECK(scraped->status == 200);
  CHECK(scraped->get_header_value("Content-Type").starts_with("text/plain; version=0.0.4"));
  CHECK(scraped->body == "# TYPE up gauge\nup 1\n");
  server.Stop();

  options.metrics_public = true;
  WebServer open_metrics(**store, options);
  REQUIRE(open_metrics.Start("127.0.0.1:0").ok());
  httplib::Client second("127.0.0.1", open_metrics.port());
  auto public_scrape = second.Get("/metrics");
  REQUIRE(public_scrape);
  CHECK(public_scrape->status == 200);
  auto api = second.Get("/api/stats");  // only /metrics opened up
  REQUIRE(api);
  CHECK(api->status == 401);
  open_metrics.Stop();
}
