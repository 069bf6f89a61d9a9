// What a reload keeps, restarts, adds and removes, and which changes need a restart.
#include "daemon/reload.h"

#include <catch2/catch.hpp>

#include "daemon/scheduler.h"
#include "store/sqlite_store.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

Config Load(const TempDir& dir, const std::string& sources, const std::string& top = "") {
  const std::string path = dir.Write(
      "earshot.yaml", "store:\n  path: " + dir.File("r.db") + "\n" + top + "sources:\n" + sources);
  ConfigLoadResult loaded = LoadConfigFile(path);
  for (const auto& e : loaded.errors)
    UNSCOPED_INFO(e.ToString());
  REQUIRE(loaded.config);
  return *loaded.config;
}

constexpr const char* kTwo = R"(  - name: a
    kind: jsonl
    path: a.jsonl
    interval: 1h
  - name: b
    kind: jsonl
    path: b.jsonl
    interval: 1h
)";

}  // namespace

TEST_CASE("SameSource compares every setting of the kind, not the place in the file", "[reload]") {
  TempDir dir;
  Config one = Load(dir, kTwo);
  Config moved = Load(dir, std::string("\n\n") + kTwo);
  CHECK(SameSource(one.sources[0], moved.sources[0]));
  CHECK_FALSE(SameSource(one.sources[0], one.sources[1]));
  Config changed = Load(dir, R"(  - name: a
    kind: jsonl
    path: a.jsonl
    interval: 1h
    max_line_bytes: 4096
)");
  CHECK_FALSE(SameSource(one.sources[0], changed.sources[0]));
  Config slower = Load(dir, R"(  - name: a
    kind: jsonl
    path: a.jsonl
    interval: 2h
)");
  CHECK_FALSE(SameSource(one.sources[0], slower.sources[0]));
}

TEST_CASE("A scheduler reload keeps unchanged sources and adds, removes and restarts the others",
          "[reload]") {
  TempDir dir;
  dir.Write("a.jsonl", "");
  dir.Write("b.jsonl", "");
  dir.Write("c.jsonl", "");
  auto store = OpenSqliteStore(dir.File("r.db"));
  REQUIRE(store.ok());
  HttpClient http;
  Config first = Load(dir, kTwo);
  LiveSetResult live = BuildLiveSet(first, http, nullptr);
  REQUIRE(live.set);
  Scheduler scheduler(std::move(live.set->runners), **store, live.set->pipeline, {});
  CHECK_FALSE(scheduler.scheduled());
  scheduler.Start();
  CHECK(scheduler.scheduled());

  Config second = Load(dir, R"(  - name: a
    kind: jsonl
    path: a.jsonl
    interval: 1h
  - name: b
    kind: jsonl
    path: b.jsonl
    interval: 30m
  - name: c
    kind: jsonl
    path: c.jsonl
    interval: 1h
)");
  LiveSetResult next = BuildLiveSet(second, http, nullptr);
  REQUIRE(next.set);
  auto pipeline = next.set->pipeline;
  ReloadSummary summary = scheduler.Reload(std::move(next.set->runners), pipeline, 5);
  CHECK(summary.kept == 1);
  CHECK(summary.changed == 1);
  CHECK(summary.added == 1);
  CHECK(summary.removed == 0);
  CHECK(scheduler.source_count() == 3);
  CHECK(scheduler.pipeline() == pipeline);

  LiveSetResult last = BuildLiveSet(Load(dir, kTwo), http, nullptr);
  REQUIRE(last.set);
  summary = scheduler.Reload(std::move(last.set->runners), last.set->pipeline, 5);
  CHECK(summary.removed == 1);
  CHECK(summary.changed == 1);
  CHECK(summary.kept == 1);
  CHECK(scheduler.source_count() == 2);

  scheduler.Stop();
  CHECK_FALSE(scheduler.scheduled());
  scheduler.Wait();
  LiveSetResult after = BuildLiveSet(second, http, nullptr);
  REQUIRE(after.set);
  CHECK(scheduler.Reload(std::move(after.set->runners), after.set->pipeline, 5).added == 0);
}

TEST_CASE("Errors of a whole configuration are all reported with where they are", "[reload]") {
  TempDir dir;
  dir.Write("rules.yaml", "- rule: r\n  condition: rating <= 2\n  actions: [{alert: nowhere}]\n");
  Config config = Load(dir, kTwo, "rules: [rules.yaml]\n");
  HttpClient http;
  LiveSetResult built = BuildLiveSet(config, http, nullptr);
  CHECK_FALSE(built.set);
  REQUIRE(built.errors.size() == 1);
  CHECK(built.errors[0].starts_with(dir.File("rules.yaml") + ":1:"));
  CHECK(built.errors[0].find("E400") != std::string::npos);
}

TEST_CASE("Settings bound at start are named when a reload changes them", "[reload]") {
  TempDir dir;
  Config running = Load(dir, kTwo);
  Config next = running;
  next.store.path = "elsewhere.db";
  next.server.listen = "127.0.0.1:9999";
  next.http.proxy = "http://proxy:3128";
  next.logging.level = "debug";
  next.failing_after = 9;
  auto changed = RestartOnlyChanges(running, next);
  CHECK(changed == std::vector<std::string>{"store.path", "server.listen", "http.proxy"});
  KeepRestartOnly(running, &next);
  CHECK(RestartOnlyChanges(running, next).empty());
  CHECK(next.logging.level == "debug");
  CHECK(next.failing_after == 9);

  ConfigOverrides overrides;
  overrides.db = "cli.db";
  overrides.Apply(&next);
  CHECK(next.store.path == "cli.db");
}
