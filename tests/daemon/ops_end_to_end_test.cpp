// Operations through the real `earshot` binary on loopback: SIGHUP reloads (a good rules file
// takes effect on the next poll, a broken one is refused with file:line:col and the old rules
// keep working), /readyz and /metrics scraped and read line by line, and systemd's READY=1,
// WATCHDOG=1, RELOADING=1 and STOPPING=1 received on a local datagram socket.
#include <httplib.h>
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <functional>
#include <thread>

#include "store/sqlite_store.h"
#include "tests/support/exposition.h"
#include "tests/support/local_http_server.h"
#include "tests/support/notify_listener.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

constexpr int kWaitMs = 30'000;

bool WaitUntil(const std::function<bool()>& done, int timeout_ms = kWaitMs) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

void AppendLine(const std::string& path, const std::string& line) {
  std::ofstream out(path, std::ios::app | std::ios::binary);
  out << line << "\n";
}

// The mention with this external id, if stored yet.
std::optional<StoredMention> Find(const std::string& db, const std::string& id) {
  auto store = OpenSqliteStore(db);
  if (!store.ok()) return std::nullopt;
  auto rows = (*store)->ListMentions(MentionQuery{});
  if (!rows.ok()) return std::nullopt;
  for (auto& r : *rows)
    if (r.annotated.mention.external_id == id) return r;
  return std::nullopt;
}

bool HasTag(const StoredMention& m, const std::string& tag) {
  for (const auto& l : m.annotated.labels)
    if (l.kind == "tag" && l.name == tag) return true;
  return false;
}

// The port from the daemon's "web page at http://127.0.0.1:PORT/" line.
int WebPort(const BackgroundProcess& daemon) {
  const std::string needle = "web page at http://127.0.0.1:";
  if (!daemon.WaitForStderr(needle, kWaitMs)) return 0;
  const std::string err = daemon.Stderr();
  return std::atoi(err.c_str() + err.find(needle) + needle.size());
}

constexpr const char* kRulesV1 = R"(- rule: fruit
  condition: text icontains "pineapple"
  actions: [flag, {tag: fruit}]
)";

constexpr const char* kRulesV2 = R"(- rule: fruit
  condition: text icontains "pineapple"
  actions: [flag, {tag: fruit}]
- rule: mango
  condition: text icontains "mango"
  actions: [{tag: mango}]
)";

// `intents contians` is misspelt: line 2, column 22.
constexpr const char* kRulesBroken = R"(- rule: fruit
  condition: intents contians churn_threat
  actions: [flag]
)";

std::string ReloadConfig(const TempDir& dir, const std::string& db, bool extra_source,
                         const std::string& source_typo = "") {
  std::string yaml = "store:\n  path: " + db + R"(
server:
  enabled: false
rules: [rules.yaml]
sources:
  - name: samples
    kind: jsonl
    path: samples.jsonl
    interval: 1s
)" + source_typo;
  if (extra_source) {
    yaml += R"(  - name: extra
    kind: jsonl
    path: extra.jsonl
    interval: 1s
)";
  }
  return dir.Write("earshot.yaml", yaml);
}

}  // namespace

TEST_CASE("SIGHUP swaps in new rules and sources, refuses broken ones and keeps the old",
          "[ops-e2e]") {
  TempDir dir;
  const std::string db = dir.File("earshot.db");
  dir.Write("rules.yaml", kRulesV1);
  const std::string samples = dir.Write("samples.jsonl", R"({"id":"1","text":"pineapple pizza"})"
                                                         "\n");
  dir.Write("extra.jsonl", R"({"id":"x1","text":"mango lassi from the extra source"})"
                           "\n");
  const std::string config = ReloadConfig(dir, db, false);
  BackgroundProcess daemon({EARSHOT_BINARY, "run", "--config", config});
  REQUIRE(daemon.WaitForStderr("poll source=samples new=1", kWaitMs));
  {
    auto first = Find(db, "1");
    REQUIRE(first);
    CHECK(HasTag(*first, "fruit"));
  }

  // A valid change: a new rule and a new source; a new store path needs a restart.
  dir.Write("rules.yaml", kRulesV2);
  ReloadConfig(dir, db, true);
  {
    std::string yaml = ReadFile(config);
    yaml.replace(yaml.find(db), db.size(), dir.File("other.db"));
    dir.Write("earshot.yaml", yaml);
  }
  daemon.Signal(SIGHUP);
  REQUIRE(daemon.WaitForStderr("reload done", kWaitMs));
  CHECK(daemon.Stderr().find("1 added, 0 removed, 0 changed, 1 unchanged") != std::string::npos);
  CHECK(daemon.Stderr().find("store.path changed: that needs a restart") != std::string::npos);
  AppendLine(samples, R"({"id":"2","text":"fresh mango smoothie"})");
  std::optional<StoredMention> mango;
  CHECK(WaitUntil([&] { return (mango = Find(db, "2")).has_value(); }));
  REQUIRE(mango);
  CHECK(HasTag(*mango, "mango"));
  std::optional<StoredMention> extra;
  CHECK(WaitUntil([&] { return (extra = Find(db, "x1")).has_value(); }));
  REQUIRE(extra);
  CHECK(HasTag(*extra, "mango"));
  CHECK_FALSE(std::filesystem::exists(dir.File("other.db")));

  // A broken rules file: refused with file:line:col, the running rules stay.
  dir.Write("rules.yaml", kRulesBroken);
  daemon.Signal(SIGHUP);
  REQUIRE(daemon.WaitForStderr("reload refused", kWaitMs));
  const std::string err = daemon.Stderr();
  INFO(err);
  CHECK(err.find(dir.File("rules.yaml") + ":2:22: error E") != std::string::npos);
  AppendLine(samples, R"({"id":"3","text":"pineapple and mango"})");
  std::optional<StoredMention> both;
  CHECK(WaitUntil([&] { return (both = Find(db, "3")).has_value(); }));
  REQUIRE(both);
  CHECK(HasTag(*both, "fruit"));
  CHECK(HasTag(*both, "mango"));
  CHECK(both->annotated.flagged);

  // A broken configuration file: refused with file:line:col too.
  dir.Write("rules.yaml", kRulesV2);
  ReloadConfig(dir, db, true, "    intervall: 5m\n");
  daemon.Signal(SIGHUP);
  REQUIRE(WaitUntil([&] {
    const std::string e = daemon.Stderr();
    return e.find("reload refused") != e.rfind("reload refused");  // a second one
  }));
  INFO(daemon.Stderr());
  CHECK(daemon.Stderr().find(config + ":11:5:") != std::string::npos);
  AppendLine(samples, R"({"id":"4","text":"pineapple again"})");
  std::optional<StoredMention> again;
  CHECK(WaitUntil([&] { return (again = Find(db, "4")).has_value(); }));
  REQUIRE(again);
  CHECK(HasTag(*again, "fruit"));

  daemon.Signal(SIGTERM);
  CHECK(daemon.Wait(kWaitMs) == 0);
}

TEST_CASE("/readyz and /metrics over loopback after the daemon processed a jsonl source",
          "[ops-e2e]") {
  TempDir dir;
  dir.Write("rules.yaml", R"(- rule: refund
  condition: text icontains "refund"
  priority: high
  actions:
    - flag
    - alert: {channel: team, group_wait: 1h}
    - case: {queue: care, sla: 2h}
)");
  dir.Write("samples.jsonl",
            R"({"id":"a","author":"@maria","text":"Voltwave, I want a refund for the double charge"}
{"id":"b","author":"@kai","text":"Voltwave support was lovely today"}
{"id":"c","author":"@olga","text":"Voltwave coverage is fine"}
)");
  const std::string config =
      dir.Write("earshot.yaml", "store:\n  path: " + dir.File("earshot.db") + R"(
rules: [rules.yaml]
channels:
  team:
    kind: webhook
    url: http://127.0.0.1:9/hook
sources:
  - name: samples
    kind: jsonl
    path: samples.jsonl
    interval: 1h
)");
  BackgroundProcess daemon({EARSHOT_BINARY, "run", "--config", config, "--listen", "127.0.0.1:0"});
  const int port = WebPort(daemon);
  REQUIRE(port > 0);
  REQUIRE(daemon.WaitForStderr("poll source=samples new=3", kWaitMs));
  httplib::Client client("127.0.0.1", port);

  auto ready = client.Get("/readyz");
  REQUIRE(ready);
  CHECK(ready->status == 200);
  CHECK(ready->body == "ready\n");

  auto scraped = client.Get("/metrics");
  REQUIRE(scraped);
  REQUIRE(scraped->status == 200);
  CHECK(scraped->get_header_value("Content-Type").starts_with("text/plain; version=0.0.4"));
  INFO(scraped->body);
  Exposition e = ParseExposition(scraped->body);
  for (const auto& error : e.errors)
    UNSCOPED_INFO(error);
  CHECK(e.errors.empty());
  const std::map<std::string, std::string> samples = {{"source", "samples"}};
  CHECK(e.Value("earshot_source_polls_total", samples) == 1);
  CHECK(e.Value("earshot_source_poll_failures_total", samples) == 0);
  CHECK(e.Value("earshot_source_mentions_total", samples) == 3);
  CHECK(e.Value("earshot_source_fetched_total", samples) == 3);
  auto lag = e.Value("earshot_source_lag_seconds", samples);
  REQUIRE(lag);
  CHECK(*lag >= 0);
  CHECK(*lag < 600);
  CHECK(e.types["earshot_classify_seconds"] == "histogram");
  CHECK(e.Value("earshot_classify_seconds_count") == 3);
  CHECK(e.Value("earshot_rules_seconds_count") == 3);
  CHECK(e.Value("earshot_classify_seconds_sum") > 0);
  CHECK(e.Value("earshot_outbox_depth") == 1);
  CHECK(e.Value("earshot_cases_open", {{"state", "new"}}) == 1);
  CHECK(e.Value("earshot_cases_open", {{"state", "assigned"}}) == 0);
  CHECK(e.Value("earshot_cases_sla_breached") == 0);
  CHECK(e.Value("earshot_sources_scheduled") == 1);
  CHECK(e.Value("earshot_store_up") == 1);
  CHECK(e.Value("earshot_config_last_reload_successful") == 1);

  daemon.Signal(SIGTERM);
  CHECK(daemon.Wait(kWaitMs) == 0);
}

TEST_CASE("The daemon tells systemd READY=1, pings the watchdog and says STOPPING=1",
          "[ops-e2e][systemd]") {
  TempDir dir;
  dir.Write("samples.jsonl", R"({"id":"a","text":"hello"})"
                             "\n");
  const std::string config =
      dir.Write("earshot.yaml", "store:\n  path: " + dir.File("earshot.db") + R"(
sources:
  - name: samples
    kind: jsonl
    path: samples.jsonl
    interval: 1h
)");
  const std::string socket = UniqueAbstractName("daemon");
  NotifyListener listener(socket);
  BackgroundProcess daemon({EARSHOT_BINARY, "run", "--config", config, "--listen", "127.0.0.1:0"},
                           {{"NOTIFY_SOCKET", socket}, {"WATCHDOG_USEC", "400000"}});
  const std::string ready = listener.WaitFor("READY=1", kWaitMs);
  INFO(daemon.Stderr());
  REQUIRE_FALSE(ready.empty());
  CHECK(ready.find("STATUS=watching 1 source(s)") != std::string::npos);
  // Ready means serving: the web server already listens.
  CHECK(daemon.Stderr().find("web page at http://127.0.0.1:") != std::string::npos);
  CHECK_FALSE(listener.WaitFor("WATCHDOG=1", 5'000).empty());
  CHECK_FALSE(listener.WaitFor("WATCHDOG=1", 5'000).empty());

  daemon.Signal(SIGHUP);
  const std::string reloading = listener.WaitFor("RELOADING=1", kWaitMs);
  CHECK(reloading.find("MONOTONIC_USEC=") != std::string::npos);
  CHECK_FALSE(listener.WaitFor("READY=1", kWaitMs).empty());

  daemon.Signal(SIGTERM);
  CHECK_FALSE(listener.WaitFor("STOPPING=1", kWaitMs).empty());
  CHECK(daemon.Wait(kWaitMs) == 0);
}

TEST_CASE("A platform that keeps failing opens the source's circuit: no more requests, a metric",
          "[ops-e2e]") {
  LocalHttpServer platform;
  platform.server().Get("/api/v1/search_by_date",
                        [](const httplib::Request&, httplib::Response& res) {
                          res.status = 503;
                          res.set_content("upstream busy", "text/plain");
                        });
  platform.Start();
  TempDir dir;
  const std::string config = dir.Write("earshot.yaml", "store:\n  path: " + dir.File("earshot.db") +
                                                           R"(
sources:
  - name: hn
    kind: hackernews
    query: voltwave
    interval: 1s
    base_url: )" + platform.Url("/api/v1") + R"(
    circuit_breaker: {failures: 3, open: 1h}
)");
  BackgroundProcess daemon({EARSHOT_BINARY, "run", "--config", config, "--listen", "127.0.0.1:0"});
  const int port = WebPort(daemon);
  REQUIRE(port > 0);
  REQUIRE(daemon.WaitForStderr("source hn: circuit opened: no requests for ", kWaitMs));
  CHECK(daemon.WaitForStderr(" s, then one trial", kWaitMs));
  // The scheduler waits for the trial an hour away: the platform hears nothing more.
  std::this_thread::sleep_for(std::chrono::seconds(2));
  CHECK(platform.request_count() == 3);
  httplib::Client client("127.0.0.1", port);
  auto scraped = client.Get("/metrics");
  REQUIRE(scraped);
  Exposition e = ParseExposition(scraped->body);
  CHECK(e.Value("earshot_source_circuit_state", {{"source", "hn"}}) == 2);
  CHECK(e.Value("earshot_source_poll_failures_total", {{"source", "hn"}}) == 3);
  daemon.Signal(SIGTERM);
  CHECK(daemon.Wait(kWaitMs) == 0);
}
