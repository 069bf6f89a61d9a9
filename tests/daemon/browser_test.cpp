// The page in a real browser: the `earshot` binary serves it, headless Chromium shows it and
// ChromeDriver drives it over the W3C WebDriver API. A reviewer logs in with the form, checks that
// a mention's markup is shown as text and never run, gives a verdict with one key; a caller works
// a case to resolved with the case board's buttons; the API confirms what the page did.
//
// Needs Debian's chromium and chromium-driver (scripts/install-deps installs them); without them
// the test warns and passes. Set EARSHOT_BROWSER_SCREENSHOTS=DIR to save a PNG of each view.
#include <httplib.h>
#include <rapidjson/document.h>
#include <signal.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/webdriver.h"

using namespace earshot::testing;

namespace {

const std::string kReviewerToken = "rita-reviewer-token-0123456789";
const std::string kCallerToken = "carl-caller-token-0123456789";

constexpr const char* kRules = R"(
- rule: markup_probe
  condition: text contains "<script>"
  priority: low
  actions: [flag]
- rule: churn
  condition: intents contains churn_threat
  priority: high
  actions: [flag, {case: {queue: retention, sla: 2h}}]
- rule: complaint
  condition: intents contains complaint and not intents contains churn_threat
  priority: medium
  actions: [flag, {case: {queue: care, sla: 8h}}]
)";

constexpr const char* kMentions =
    R"({"id":"xss","author":"@mallory","text":"Voltwave <script>window.__pwned=1</script> and <img src=x onerror=window.__pwned=2> hello"}
{"id":"complaint","author":"@carol","text":"Voltwave overcharged me again and the app keeps crashing. Terrible service."}
{"id":"churn","author":"@dave","text":"Voltwave, I'm cancelling and switching to another provider."}
)";

std::string WriteConfig(const TempDir& dir) {
  dir.Write("rules.yaml", kRules);
  dir.Write("mentions.jsonl", kMentions);
  return dir.Write("earshot.yaml", "store:\n  path: " + dir.File("earshot.db") + R"(
server:
  enabled: true
  listen: 127.0.0.1:0
  tokens:
    - {name: rita, role: reviewer, token: ")" +
                                       kReviewerToken + R"("}
    - {name: carl, role: caller, token: ")" +
                                       kCallerToken + R"("}
rules: [rules.yaml]
sources:
  - name: samples
    kind: jsonl
    path: mentions.jsonl
    interval: 1h
)");
}

std::string Str(const rapidjson::Value& v) {
  return v.IsString() ? std::string(v.GetString(), v.GetStringLength()) : std::string();
}

// GET with a bearer token; an empty document (not an object) when the request failed.
rapidjson::Document GetJson(httplib::Client& api, const std::string& path,
                            const std::string& token) {
  rapidjson::Document doc;
  auto res = api.Get(path, {{"Authorization", "Bearer " + token}});
  if (res && res->status == 200) doc.Parse(res->body.c_str());
  return doc;
}

std::string Tail(const std::string& log, size_t n = 3000) {
  return log.size() > n ? "..." + log.substr(log.size() - n) : log;
}

void SaveScreenshot(HeadlessBrowser& browser, const std::string& name) {
  const char* dir = std::getenv("EARSHOT_BROWSER_SCREENSHOTS");
  if (!dir || !*dir) return;
  std::ofstream(std::string(dir) + "/" + name + ".png", std::ios::binary) << browser.Screenshot();
}

// Logs in through the page's form and waits until the page shows who is logged in.
void LogIn(HeadlessBrowser& browser, const std::string& token, const std::string& who) {
  std::string field = browser.WaitForElement("#login-token");
  browser.SendKeys(field, token);
  browser.ClickWhenReady("#login-form button[type=submit]");
  browser.WaitForText("#who", who);
}

void RunInBrowser(const BrowserTools& tools, const TempDir& dir, int port) {
  httplib::Client api("127.0.0.1", port);
  api.set_read_timeout(10);

  // The daemon polls the source at start; wait until the three mentions and two cases are stored.
  std::map<std::string, int64_t> mention_ids;  // by external id
  int64_t churn_case = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    auto mentions = GetJson(api, "/api/mentions?limit=10", kReviewerToken);
    auto cases = GetJson(api, "/api/cases?state=all", kReviewerToken);
    if (mentions.IsObject() && cases.IsObject() && mentions["mentions"].Size() == 3 &&
        cases["cases"].Size() == 2) {
      for (const auto& row : mentions["mentions"].GetArray())
        mention_ids[Str(row["mention"]["id"])] = row["id"].GetInt64();
      for (const auto& c : cases["cases"].GetArray())
        if (Str(c["author_handle"]) == "@dave") churn_case = c["id"].GetInt64();
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE(mention_ids.size() == 3);
  REQUIRE(churn_case > 0);
  const std::string xss = std::to_string(mention_ids["xss"]);
  const std::string complaint = std::to_string(mention_ids["complaint"]);
  const std::string case_id = std::to_string(churn_case);

  HeadlessBrowser browser(tools, (dir.path() / "chromium-profile").string());
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  browser.Navigate(base + "/");

  // The reviewer logs in; the review queue shows flagged mentions not yet reviewed.
  LogIn(browser, kReviewerToken, "rita (reviewer)");
  const std::string xss_text = "#mention-list article[data-mention-id=\"" + xss + "\"] p.text";
  std::string shown = browser.WaitForText(xss_text, "<script>window.__pwned=1</script>");
  CHECK(shown.find("<img src=x onerror=window.__pwned=2>") != std::string::npos);
  CHECK(browser.Execute("return window.__pwned === undefined").GetBool());
  CHECK(browser
            .Execute("return document.querySelectorAll('#mention-list script, #mention-list "
                     "img').length")
            .GetInt() == 0);
  SaveScreenshot(browser, "review");

  // One key: select the complaint, press c.
  const std::string complaint_card = "#mention-list article[data-mention-id=\"" + complaint + "\"]";
  browser.ClickWhenReady(complaint_card);
  browser.WaitUntil("return document.activeElement.dataset.mentionId === '" + complaint + "'",
                    "the complaint has the focus");
  browser.PressKeys("c");
  browser.WaitForText("#status", "Mention " + complaint + ": confirmed.");
  // Reviewed, it leaves the queue of unreviewed mentions.
  browser.WaitUntil("return document.querySelector('" + complaint_card + "') === null",
                    "the reviewed mention leaves the queue");
  auto reviewed = GetJson(api, "/api/mentions/" + complaint, kReviewerToken);
  REQUIRE(reviewed.IsObject());
  const auto& reviews = reviewed["mention"]["reviews"];
  REQUIRE(reviews.Size() == 1);
  CHECK(Str(reviews[0]["verdict"]) == "confirmed");
  CHECK(Str(reviews[0]["reviewer"]) == "rita");
  CHECK(browser.Execute("return window.__pwned === undefined").GetBool());

  // The caller takes over.
  browser.ClickWhenReady("#logout");
  LogIn(browser, kCallerToken, "carl (caller)");
  browser.ClickWhenReady("#tabs button[data-view=cases]");
  browser.ClickWhenReady("#view-cases button[data-scope=team]");
  browser.ClickWhenReady("#case-list tr[data-case-id=\"" + case_id + "\"]");
  const std::string detail = "#case-detail[data-case-id=\"" + case_id + "\"]";
  browser.WaitForElement(detail + "[data-state=new]");
  CHECK(browser.WaitForText(detail, "@dave").find("cancelling") != std::string::npos);

  browser.ClickWhenReady(detail + " button[data-action=claim]");
  browser.WaitForElement(detail + "[data-state=assigned]");
  browser.SendKeys(browser.WaitForElement(detail + " #case-note"), "called, apologised");
  browser.ClickWhenReady(detail + " button[data-action=contacted]");
  browser.WaitForElement(detail + "[data-state=contacted]");
  SaveScreenshot(browser, "cases");
  browser.SendKeys(browser.WaitForElement(detail + " #case-note"), "credited a month, staying");
  browser.ClickWhenReady(detail + " button[data-action=resolved]");
  browser.WaitForElement(detail + "[data-state=resolved]");
  browser.WaitForText("#status", "Case " + case_id + ": resolve (resolved).");

  auto worked = GetJson(api, "/api/cases/" + case_id, kReviewerToken);
  REQUIRE(worked.IsObject());
  CHECK(Str(worked["case"]["state"]) == "resolved");
  CHECK(Str(worked["case"]["outcome"]) == "resolved");
  CHECK(Str(worked["case"]["assignee"]) == "carl");
  std::vector<std::string> events;
  for (const auto& e : worked["events"].GetArray()) {
    events.push_back(Str(e["actor"]) + " " + Str(e["action"]) + ": " + Str(e["detail"]));
  }
  INFO("events:\n"
       << [&] {
            std::string all;
            for (const auto& e : events)
              all += e + "\n";
            return all;
          }());
  auto has = [&](const std::string& event) {
    return std::find(events.begin(), events.end(), event) != events.end();
  };
  CHECK(has("carl assign: carl"));
  CHECK(has("carl contacted: called, apologised"));
  CHECK(has("carl resolved: resolved: credited a month, staying"));

  // The overview draws.
  browser.ClickWhenReady("#tabs button[data-view=overview]");
  browser.WaitForElement("#overview-summary .tile");
  browser.WaitForElement("#overview-charts .chart svg");
  browser.WaitForText("#overview-precision", "confirmed");
  SaveScreenshot(browser, "overview");
  CHECK(browser.Execute("return window.__pwned === undefined").GetBool());
}

}  // namespace

TEST_CASE("in a headless browser: log in, review by key, work a case to resolved", "[browser]") {
  const BrowserTools tools = FindBrowserTools();
  if (!tools.found()) {
    WARN(
        "SKIPPED: the browser test needs chromium and chromedriver (Debian: apt-get install "
        "chromium chromium-driver, or scripts/install-deps); set EARSHOT_CHROMIUM and "
        "EARSHOT_CHROMEDRIVER for others. Missing: "
        << (tools.chromium.empty() ? "chromium " : "")
        << (tools.chromedriver.empty() ? "chromedriver" : ""));
    return;
  }
  TempDir dir;
  const std::string config = WriteConfig(dir);
  BackgroundProcess daemon({EARSHOT_BINARY, "run", "--config", config});
  const std::string listening = "web: listening on 127.0.0.1:";
  if (!daemon.WaitForStderr(listening, 20'000)) {
    FAIL("earshot did not start serving; its log:\n" << Tail(daemon.Stderr()));
  }
  const std::string log = daemon.Stderr();
  const int port = std::atoi(log.c_str() + log.find(listening) + listening.size());
  REQUIRE(port > 0);

  try {
    RunInBrowser(tools, dir, port);
  } catch (const std::exception& e) {
    FAIL(e.what() << "\nearshot's log:\n" << Tail(daemon.Stderr()));
  }

  daemon.Signal(SIGTERM);
  CHECK(daemon.Wait(15'000) == 0);
}
