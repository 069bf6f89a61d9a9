// The rules, cases and alerts through the real `earshot` binary: shipped rule tests, rules
// errors, a crash between commit and delivery, and the cases commands.
#include <httplib.h>
#include <signal.h>

#include <catch2/catch.hpp>
#include <mutex>

#include "store/sqlite_store.h"
#include "tests/support/local_http_server.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

class Hook {
 public:
  Hook() {
    host_.server().Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      bodies_.push_back(req.body);
      res.set_content("ok", "text/plain");
    });
    host_.Start();
  }
  std::vector<std::string> bodies() {
    std::lock_guard lock(mu_);
    return bodies_;
  }
  std::string url() const { return host_.Url("/hook"); }

 private:
  LocalHttpServer host_;
  std::mutex mu_;
  std::vector<std::string> bodies_;
};

constexpr const char* kRules = R"(
- rule: churn
  condition: intents contains churn_threat
  priority: high
  output: "{author.handle} may leave: {excerpt}"
  actions:
    - flag
    - alert: {channel: team, group_wait: 1h}
    - case: {queue: retention, sla: 2h}
- rule: legal
  condition: intents contains legal_threat
  priority: critical
  actions: [flag, {case: {queue: escalations}}]
)";

constexpr const char* kSamples =
    R"({"id":"1","author":"@anna","text":"Voltwave, I'm cancelling and switching to another provider."}
{"id":"2","author":"@ben","text":"Voltwave overcharged me again, my lawyer will hear about it."}
{"id":"3","author":"@cleo","text":"Voltwave support was lovely today, thanks!"}
)";

std::string WriteConfig(TempDir& dir, const std::string& hook_url) {
  dir.Write("rules.yaml", kRules);
  dir.Write("samples.jsonl", kSamples);
  return dir.Write("earshot.yaml", "store:\n  path: " + dir.File("earshot.db") + R"(
server:
  enabled: false
rules: [rules.yaml]
channels:
  team:
    kind: webhook
    url: )" + hook_url + R"(
sources:
  - name: samples
    kind: jsonl
    path: samples.jsonl
    interval: 1h
)");
}

}  // namespace

TEST_CASE("the shipped rules pass their tests", "[rules-e2e]") {
  auto run = RunProcess({EARSHOT_BINARY, "rules", "test",
                         std::string(EARSHOT_SOURCE_DIR) + "/config/rules/care.tests.yaml"});
  INFO(run.out << run.err);
  CHECK(run.exit_code == 0);
  CHECK(run.out.find(" 0 failed") != std::string::npos);
  auto check = RunProcess({EARSHOT_BINARY, "rules", "check",
                           std::string(EARSHOT_SOURCE_DIR) + "/config/rules/care.yaml"});
  CHECK(check.exit_code == 0);
  CHECK(check.out.starts_with("ok: "));
}

TEST_CASE("a failing rule test prints expected against got and exits 1", "[rules-e2e]") {
  TempDir dir;
  dir.Write("r.yaml", "- rule: low\n  condition: rating <= 2\n  actions: [flag]\n");
  std::string tests = dir.Write("r.tests.yaml", R"(rules: [r.yaml]
tests:
  - name: two stars flag
    mentions: [{text: "meh", rating: 2, labels: {sentiment: 0}}]
    expect: {matches: [low], flagged: true}
  - name: wrongly expects nothing
    mentions: [{text: "bad", rating: 1, labels: {sentiment: -0.5}}]
    expect: {}
)");
  auto run = RunProcess({EARSHOT_BINARY, "rules", "test", tests});
  CHECK(run.exit_code == 1);
  CHECK(run.out.find("PASS two stars flag") != std::string::npos);
  CHECK(run.out.find("FAIL wrongly expects nothing") != std::string::npos);
  CHECK(run.out.find("  matches: expected [], got [low]") != std::string::npos);
  CHECK(run.out.find("  flagged: expected false, got true") != std::string::npos);
  CHECK(run.out.find("2 tests, 1 failed") != std::string::npos);
}

TEST_CASE("a broken rules file stops check and run with file:line:col", "[rules-e2e]") {
  TempDir dir;
  Hook hook;
  std::string config = WriteConfig(dir, hook.url());
  dir.Write("rules.yaml", "- rule: r\n  condition: intents contians churn_threat\n");
  auto check = RunProcess({EARSHOT_BINARY, "rules", "check", dir.File("rules.yaml")});
  CHECK(check.exit_code == 3);
  CHECK(check.err.find(dir.File("rules.yaml") + ":2:22: error E202: rule 'r':") !=
        std::string::npos);
  auto run = RunProcess({EARSHOT_BINARY, "run", "--once", "--config", config});
  CHECK(run.exit_code == 3);
  CHECK(run.err.find("rules.yaml:2:22") != std::string::npos);

  dir.Write("rules.yaml", "- rule: r\n  condition: rating < 2\n  actions: [{alert: nobody}]\n");
  run = RunProcess({EARSHOT_BINARY, "run", "--once", "--config", config});
  CHECK(run.exit_code == 3);
  CHECK(run.err.find("alert channel 'nobody' is not in the configuration's channels") !=
        std::string::npos);
}

TEST_CASE("killed between commit and delivery, a restart sends each alert exactly once",
          "[rules-e2e]") {
  TempDir dir;
  Hook hook;
  std::string config = WriteConfig(dir, hook.url());
  {
    // group_wait is an hour: the daemon commits the alert, then dies before sending it.
    BackgroundProcess daemon({EARSHOT_BINARY, "run", "--config", config});
    REQUIRE(daemon.WaitForStderr("poll source=samples new=3", 20'000));
    daemon.Signal(SIGKILL);
    daemon.Wait(5'000);
  }
  CHECK(hook.bodies().empty());
  auto store = std::move(OpenSqliteStore(dir.File("earshot.db"))).value();
  CHECK(store->OutboxDepth().value() == 1);

  auto rerun = RunProcess({EARSHOT_BINARY, "run", "--once", "--config", config});
  INFO(rerun.err);
  CHECK(rerun.exit_code == 0);
  CHECK(rerun.err.find("1 alert message(s) sent") != std::string::npos);
  REQUIRE(hook.bodies().size() == 1);
  CHECK(hook.bodies()[0].find("\"rule\":\"churn\"") != std::string::npos);
  CHECK(hook.bodies()[0].find("@anna may leave") != std::string::npos);

  CHECK(RunProcess({EARSHOT_BINARY, "run", "--once", "--config", config}).exit_code == 0);
  CHECK(hook.bodies().size() == 1);
  CHECK(store->ListCases({}).value().size() == 2);  // nothing duplicated either
}

TEST_CASE("earshot cases: the queue in priority order, worked to resolved, exported",
          "[rules-e2e]") {
  TempDir dir;
  Hook hook;
  std::string config = WriteConfig(dir, hook.url());
  REQUIRE(RunProcess({EARSHOT_BINARY, "run", "--once", "--config", config}).exit_code == 0);

  auto list = RunProcess({EARSHOT_BINARY, "cases", "list", "--config", config});
  INFO(list.out << list.err);
  REQUIRE(list.exit_code == 0);
  size_t legal = list.out.find("critical new");
  size_t churn = list.out.find("high     new");
  CHECK(legal != std::string::npos);
  CHECK(churn != std::string::npos);
  CHECK(legal < churn);  // critical before high
  CHECK(list.out.find("escalations") != std::string::npos);
  CHECK(list.out.find("jsonl:@ben") != std::string::npos);

  auto json = RunProcess({EARSHOT_BINARY, "cases", "list", "--format", "json", "--config", config});
  std::string first_line = json.out.substr(0, json.out.find('\n'));
  CHECK(first_line.find("\"priority\":\"critical\"") != std::string::npos);
  std::string id = first_line.substr(6, first_line.find(',') - 6);

  CHECK(RunProcess({EARSHOT_BINARY, "cases", "assign", id, "--to", "lena", "--as", "lead",
                    "--config", config})
            .exit_code == 0);
  CHECK(RunProcess({EARSHOT_BINARY, "cases", "contact", id, "--as", "lena", "--note",
                    "called, apologised", "--config", config})
            .exit_code == 0);
  CHECK(RunProcess({EARSHOT_BINARY, "cases", "resolve", id, "--outcome", "resolved", "--as", "lena",
                    "--config", config})
            .exit_code == 0);
  auto again = RunProcess({EARSHOT_BINARY, "cases", "contact", id, "--config", config});
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("only notes can be added to a closed case") != std::string::npos);

  auto show = RunProcess({EARSHOT_BINARY, "cases", "show", id, "--config", config});
  CHECK(show.out.find("resolved") != std::string::npos);
  CHECK(show.out.find("lena") != std::string::npos);
  CHECK(show.out.find("called, apologised") != std::string::npos);
  CHECK(show.out.find("my lawyer will hear about it") != std::string::npos);

  auto csv = RunProcess({EARSHOT_BINARY, "cases", "export", "--state", "resolved", "--state", "new",
                         "--config", config});
  CHECK(csv.exit_code == 0);
  CHECK(csv.out.starts_with("id,priority,state,queue,assignee,customer,platform,author,"));
  CHECK(csv.out.find("," + std::string("resolved,escalations,lena,jsonl:handle:@ben")) !=
        std::string::npos);
  CHECK(RunProcess({EARSHOT_BINARY, "cases", "show", "999", "--config", config}).exit_code == 1);
  CHECK(RunProcess({EARSHOT_BINARY, "cases", "fly", "--config", config}).exit_code == 2);
}
