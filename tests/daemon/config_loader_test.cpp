// Configuration errors name file:line:col, and every problem is reported at once.
#include <catch2/catch.hpp>
#include <map>

#include "daemon/config/config.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

ConfigLoadResult Load(const std::string& yaml, std::map<std::string, std::string> env = {}) {
  return LoadConfigString(yaml, "/etc/earshot/earshot.yaml", Env(std::move(env)));
}

// The errors as "line:col: message" lines, without the file name.
std::vector<std::string> Errors(const std::string& yaml,
                                std::map<std::string, std::string> env = {}) {
  std::vector<std::string> out;
  for (const auto& e : Load(yaml, std::move(env)).errors) {
    out.push_back(std::to_string(e.where.line) + ":" + std::to_string(e.where.column) + ": " +
                  e.message);
  }
  return out;
}

bool HasError(const std::vector<std::string>& errors, const std::string& position,
              const std::string& text) {
  for (const auto& e : errors) {
    if (e.rfind(position + ": ", 0) == 0 && e.find(text) != std::string::npos) return true;
  }
  return false;
}

constexpr const char* kValid = R"(store:
  path: data/earshot.db
logging: { level: debug, format: json }
server: { listen: "0.0.0.0:9090" }
failing_after: 3
labels:
  refund:
    patterns: ['\brefund', 'верните деньги']
  delivery:
    flag: false
    patterns: [parcel]
sources:
  - name: samples
    kind: jsonl
    path: samples.jsonl
    interval: 30s
    jitter: 25%
    lang: en
    keywords: { include: [voltwave, "@voltwave"], exclude: [hiring] }
  - name: blog
    kind: rss
    url: https://blog.example/feed?key=${FEED_KEY}
    headers: { X-Team: care }
    enabled: false
)";

}  // namespace

TEST_CASE("config: a valid file loads with every value and default") {
  auto r = Load(kValid, {{"FEED_KEY", "k1"}});
  INFO((r.errors.empty() ? "" : r.errors.front().ToString()));
  REQUIRE(r.config);
  const Config& c = *r.config;
  CHECK(c.store.path == "/etc/earshot/data/earshot.db");
  CHECK(c.logging.level == "debug");
  CHECK(c.logging.format == "json");
  CHECK(c.server.listen == "0.0.0.0:9090");
  CHECK(c.failing_after == 3);
  REQUIRE(c.labels.size() == 2);
  CHECK(c.labels[0].patterns.size() == 2);
  CHECK(c.labels[1].flag == false);
  REQUIRE(c.sources.size() == 2);
  const SourceConfig& s = c.sources[0];
  CHECK(s.spec.settings.Get("path") == "/etc/earshot/samples.jsonl");
  CHECK(s.spec.settings.Get("max_line_bytes") == "1048576");
  CHECK(s.interval_ms == 30'000);
  CHECK(s.jitter == Approx(0.25));
  CHECK(s.spec.lang == "en");
  CHECK(s.keywords.include.size() == 2);
  CHECK(s.where.line == 13);
  const SourceConfig& blog = c.sources[1];
  CHECK(blog.spec.settings.Get("url") == "https://blog.example/feed?key=k1");
  CHECK(blog.spec.settings.GetMap("headers").at("X-Team") == "care");
  CHECK(blog.spec.settings.Get("timeout") == "30s");
  CHECK_FALSE(blog.enabled);
}

TEST_CASE("config: unknown keys are errors at their position with a suggestion") {
  auto errors = Errors(
      "storage:\n  path: x\nsources:\n  - name: a\n    kind: rss\n    url: http://a/\n    "
      "intervall: 5m\n");
  CHECK(HasError(errors, "1:1", "unknown key 'storage'"));
  CHECK(HasError(errors, "1:1", "did you mean 'store'"));
  CHECK(HasError(errors, "7:5", "unknown key 'intervall'"));
  CHECK(HasError(errors, "7:5", "did you mean 'interval'"));
}

TEST_CASE("config: every problem in a file is reported in file order") {
  auto errors = Errors(R"(logging: { level: loud }
server: { listen: "localhost" }
labels:
  broken:
    patterns: ['(unclosed', 'fine']
sources:
  - name: a
    kind: rsss
  - name: a
    kind: jsonl
    interval: soon
    jitter: 150%
    lang: english
  - kind: rss
    url: http://x/
    max_bytes: lots
    enabled: maybe
)");
  CHECK(HasError(errors, "1:19", "logging.level"));
  CHECK(HasError(errors, "2:19", "host:port"));
  CHECK(HasError(errors, "5:16", "bad pattern in label set 'broken'"));
  CHECK(HasError(errors, "5:16", "missing )"));
  CHECK(HasError(errors, "8:11", "unknown source kind 'rsss' (did you mean 'rss'?)"));
  CHECK(HasError(errors, "9:11", "defined twice"));
  CHECK(HasError(errors, "9:5", "needs 'path'"));
  CHECK(HasError(errors, "11:15", "duration"));
  CHECK(HasError(errors, "12:13", "jitter"));
  CHECK(HasError(errors, "13:11", "two-letter"));
  CHECK(HasError(errors, "14:5", "needs a 'name'"));
  CHECK(HasError(errors, "16:16", "whole number"));
  CHECK(HasError(errors, "17:14", "true or false"));
  for (size_t i = 1; i < errors.size(); ++i) {
    auto line = [](const std::string& e) { return std::stoi(e.substr(0, e.find(':'))); };
    CHECK(line(errors[i - 1]) <= line(errors[i]));
  }
}

TEST_CASE("config: environment variables are substituted and unset ones named") {
  auto errors =
      Errors("sources:\n  - name: a\n    kind: rss\n    url: https://x/?token=${API_TOKEN}\n");
  CHECK(HasError(errors, "4:10", "environment variable API_TOKEN is not set"));
  auto r = Load(
      "sources:\n  - name: a\n    kind: rss\n    url: "
      "\"${BASE:-https://fallback/}feed?cost=$$5\"\n");
  REQUIRE(r.config);
  CHECK(r.config->sources[0].spec.settings.Get("url") == "https://fallback/feed?cost=$5");
}

TEST_CASE("config: YAML syntax errors and empty files say where") {
  auto syntax = Errors("sources:\n  - name: a\n    kind: [rss\n");
  REQUIRE(syntax.size() == 1);
  CHECK(syntax[0].rfind("4:1: ", 0) == 0);
  CHECK(HasError(Errors(""), "1:1", "empty"));
  CHECK(HasError(Errors("- just\n- a list\n"), "1:1", "top level must be a map"));
  CHECK(HasError(Errors("store: {}\n"), "1:1", "no 'sources'"));
}

TEST_CASE("config: files on disk and paths relative to the file") {
  TempDir dir;
  const std::string path = dir.Write(
      "conf/earshot.yaml", "sources:\n  - name: a\n    kind: jsonl\n    path: ../m.jsonl\n");
  auto r = LoadConfigFile(path);
  REQUIRE(r.config);
  CHECK(r.config->sources[0].spec.settings.Get("path") == dir.File("m.jsonl"));
  CHECK(r.config->store.path == dir.File("conf/earshot.db"));
  auto missing = LoadConfigFile(dir.File("nope.yaml"));
  REQUIRE(missing.errors.size() == 1);
  CHECK(missing.errors[0].ToString() ==
        dir.File("nope.yaml") + ": cannot read the configuration file");
}

TEST_CASE("config: the shipped demo and example configurations load") {
  for (const char* name : {"demo.yaml", "example.yaml"}) {
    auto r = LoadConfigFile(std::string(EARSHOT_SOURCE_DIR) + "/config/" + name,
                            Env({{"EARSHOT_DB", "/tmp/x.db"}, {"CARE_FEED_TOKEN", "t"}}));
    INFO(name << ": " << (r.errors.empty() ? "" : r.errors.front().ToString()));
    CHECK(r.config);
  }
}

TEST_CASE("config: secrets come from files and are never echoed") {
  TempDir dir;
  dir.Write("token.txt", "s3cr3t-token\n");
  const std::string base = "sources:\n  - name: a\n    kind: rss\n    url: https://x/\n";
  auto from_file = LoadConfigString(base + "    bearer_token_file: " + dir.File("token.txt") + "\n",
                                    dir.File("c.yaml"), Env({}));
  REQUIRE(from_file.config);
  CHECK(from_file.config->sources[0].spec.settings.Get("bearer_token") == "s3cr3t-token");

  auto both = LoadConfigString(base + "    bearer_token: inline-secret\n    bearer_token_file: t\n",
                               dir.File("c.yaml"), Env({}));
  REQUIRE(both.errors.size() == 1);
  CHECK(both.errors[0].where.line == 6);
  CHECK(both.errors[0].message.find("both bearer_token and bearer_token_file") !=
        std::string::npos);
  CHECK(both.errors[0].message.find("inline-secret") == std::string::npos);

  auto missing =
      LoadConfigString(base + "    bearer_token_file: nope.txt\n", dir.File("c.yaml"), Env({}));
  REQUIRE(missing.errors.size() == 1);
  CHECK(missing.errors[0].ToString().find(":5:24: ") != std::string::npos);
}

TEST_CASE("config: custom topics and user lexicons") {
  TempDir dir;
  dir.Write("ru-extra.tsv", "кринжовый\t-2.0\n");
  const std::string base = "sources:\n  - name: a\n    kind: rss\n    url: https://x/\n";
  auto ok =
      LoadConfigString(base +
                           "classifiers:\n  topics:\n    roaming: ['\\broaming\\b', 'роуминг']\n"
                           "    esim: esim\n  lexicons:\n    ru: ru-extra.tsv\n",
                       dir.File("c.yaml"), Env({}));
  INFO((ok.errors.empty() ? "" : ok.errors.front().ToString()));
  REQUIRE(ok.config);
  REQUIRE(ok.config->classifiers.topics.size() == 2);
  CHECK(ok.config->classifiers.topics[0].patterns.size() == 2);
  CHECK(ok.config->classifiers.lexicons.at("ru") == dir.File("ru-extra.tsv"));

  auto bad = LoadConfigString(base +
                                  "classifiers:\n  topics:\n    roaming: ['(broken']\n  lexicons:\n"
                                  "    fr: x.tsv\n    de: missing.tsv\n  moods: {}\n",
                              dir.File("c.yaml"), Env({}));
  auto errors = [&] {
    std::vector<std::string> out;
    for (const auto& e : bad.errors)
      out.push_back(std::to_string(e.where.line) + ":" + std::to_string(e.where.column) + ": " +
                    e.message);
    return out;
  }();
  CHECK(HasError(errors, "7:15", "bad pattern in topic 'roaming'"));
  CHECK(HasError(errors, "9:5", "not 'fr'"));
  CHECK(HasError(errors, "10:9", "cannot read the lexicon missing.tsv"));
  CHECK(HasError(errors, "11:3", "unknown key 'moods'"));
}

TEST_CASE("config: a source's own request rate and daily budget, checked") {
  auto ok = Load(R"(sources:
  - name: hn
    kind: hackernews
    query: voltwave
    requests_per_minute: 30
    requests_per_day: 2000
)");
  REQUIRE(ok.config);
  CHECK(ok.config->sources[0].requests_per_minute == 30);
  CHECK(ok.config->sources[0].requests_per_day == 2000);
  auto errors = Errors(R"(sources:
  - name: hn
    kind: hackernews
    query: voltwave
    requests_per_minute: lots
    requests_per_day: -5
)");
  REQUIRE(errors.size() == 2);
  CHECK(errors[0] == "5:26: source 'hn' requests_per_minute must be a number above 0");
  CHECK(errors[1].starts_with("6:23: source 'hn' requests_per_day must be between 1 and"));
}

TEST_CASE("config: a source's circuit breaker, checked") {
  auto ok = Load(R"(sources:
  - name: hn
    kind: hackernews
    query: voltwave
    circuit_breaker: {failures: 3, open: 2m, max_open: 1h}
)");
  REQUIRE(ok.config);
  const BreakerOptions& b = ok.config->sources[0].circuit_breaker;
  CHECK(b.failures_to_open == 3);
  CHECK(b.open_ms == 120'000);
  CHECK(b.max_open_ms == 3'600'000);
  auto defaults = Load("sources:\n  - {name: hn, kind: hackernews, query: voltwave}\n");
  REQUIRE(defaults.config);
  CHECK(defaults.config->sources[0].circuit_breaker.failures_to_open == 5);
  auto errors = Errors(R"(sources:
  - name: hn
    kind: hackernews
    query: voltwave
    circuit_breaker:
      failures: many
      open: 1h
      max_open: 1m
      half: open
)");
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].starts_with("6:17: source 'hn' circuit_breaker.failures must be"));
  CHECK(errors[1] == "8:17: source 'hn' circuit_breaker.max_open must not be shorter than open");
  CHECK(errors[2].starts_with("9:7: unknown key 'half' in source 'hn' circuit_breaker"));
}
