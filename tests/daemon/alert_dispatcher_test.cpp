// The alert dispatcher over a real SQLite outbox, delivering to a webhook receiver on loopback,
// with an injected clock for the grouping timings.
#include "daemon/alerts/alert_dispatcher.h"

#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <mutex>

#include "store/sqlite_store.h"
#include "tests/support/local_http_server.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

constexpr UnixMillis kT0 = 1'800'000'000'000;

// A webhook receiver that keeps every body and answers from a script of statuses.
class Hook {
 public:
  Hook() {
    host_.server().Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      bodies_.push_back(req.body);
      delivery_ids_.push_back(req.get_header_value("X-Earshot-Delivery"));
      int status = script_.empty() ? 200 : script_.front();
      if (!script_.empty()) script_.erase(script_.begin());
      res.status = status;
      if (status == 429) res.set_header("Retry-After", "120");
      res.set_content(status < 300 ? "ok" : "nope", "text/plain");
    });
    host_.Start();
  }
  void Script(std::vector<int> statuses) {
    std::lock_guard lock(mu_);
    script_ = std::move(statuses);
  }
  std::vector<std::string> bodies() {
    std::lock_guard lock(mu_);
    return bodies_;
  }
  std::vector<std::string> delivery_ids() {
    std::lock_guard lock(mu_);
    return delivery_ids_;
  }
  std::string url() const { return host_.Url("/hook"); }

 private:
  LocalHttpServer host_;
  std::mutex mu_;
  std::vector<std::string> bodies_, delivery_ids_;
  std::vector<int> script_;
};

struct Fixture {
  TempDir dir;
  std::unique_ptr<Store> store;
  Hook hook;
  HttpClient http;
  UnixMillis now = kT0;
  std::unique_ptr<AlertDispatcher> dispatcher;
  int next_id = 0;

  Fixture() {
    store = std::move(OpenSqliteStore(dir.File("earshot.db"))).value();
    ChannelConfig channel;
    channel.name = "care-chat";
    channel.kind = "webhook";
    channel.url = hook.url();
    DispatcherOptions options;
    options.link_base = "http://127.0.0.1:8080";
    dispatcher = std::make_unique<AlertDispatcher>(
        *store, http, std::vector<ChannelConfig>{channel}, options, [this] { return now; });
  }

  void Queue(const std::string& rule, const std::string& text, int64_t group_wait_ms,
             int64_t group_interval_ms = 300'000, int64_t digest_ms = 0,
             const std::string& channel = "care-chat") {
    AnnotatedMention a;
    a.mention.platform = "mastodon";
    a.mention.external_id = "m" + std::to_string(++next_id);
    a.mention.author.handle = "user" + std::to_string(next_id);
    a.mention.text = text;
    AlertRequest alert;
    alert.channel = channel;
    alert.rule = rule;
    alert.priority = "high";
    alert.summary = rule + ": " + text;
    alert.group_key = channel + "|rule=" + rule;
    alert.group_wait_ms = group_wait_ms;
    alert.group_interval_ms = group_interval_ms;
    alert.digest_ms = digest_ms;
    a.alerts = {alert};
    PollCommit c;
    c.source = "social";
    c.kind = "mastodon";
    c.polled_at = now;
    c.mentions = {a};
    REQUIRE(store->CommitPoll(c).ok());
  }
};

rapidjson::Document Json(const std::string& body) {
  rapidjson::Document d;
  d.Parse(body.c_str());
  REQUIRE_FALSE(d.HasParseError());
  return d;
}

}  // namespace

TEST_CASE("alerts: a group waits group_wait, then goes as one message", "[alerts]") {
  Fixture f;
  f.Queue("churn", "I'm leaving for another provider", 30'000);
  f.now += 10'000;
  f.Queue("churn", "Cancelling my contract today", 30'000);
  CHECK(f.dispatcher->Tick().waiting_rows == 2);
  CHECK(f.hook.bodies().empty());

  f.now = kT0 + 30'000;
  DispatchSummary s = f.dispatcher->Tick();
  CHECK(s.messages == 1);
  CHECK(s.delivered_rows == 2);
  REQUIRE(f.hook.bodies().size() == 1);
  auto body = Json(f.hook.bodies()[0]);
  CHECK(std::string(body["rule"].GetString()) == "churn");
  CHECK(body["group_count"].GetInt() == 2);
  CHECK(std::string(body["summary"].GetString()) == "churn: Cancelling my contract today");
  CHECK(f.store->OutboxDepth().value() == 0);
  CHECK(f.dispatcher->Tick().messages == 0);  // delivered rows are never sent again
}

TEST_CASE("alerts: after a message, the group sends again at most every group_interval",
          "[alerts]") {
  Fixture f;
  f.Queue("outage", "down again", 0, 300'000);
  CHECK(f.dispatcher->Tick().messages == 1);
  f.now += 60'000;
  f.Queue("outage", "still down", 0, 300'000);
  f.now += 60'000;
  f.Queue("outage", "no signal in Berlin", 0, 300'000);
  CHECK(f.dispatcher->Tick().messages == 0);
  f.now = kT0 + 300'000;
  CHECK(f.dispatcher->Tick().messages == 1);
  auto bodies = f.hook.bodies();
  REQUIRE(bodies.size() == 2);
  CHECK(Json(bodies[1])["group_count"].GetInt() == 2);
}

TEST_CASE("alerts: other rules are other groups and do not wait for each other", "[alerts]") {
  Fixture f;
  f.Queue("safety", "battery swelled", 0);
  f.Queue("churn", "leaving", 60'000);
  CHECK(f.dispatcher->Tick().messages == 1);
  CHECK(std::string(Json(f.hook.bodies()[0])["rule"].GetString()) == "safety");
}

TEST_CASE("alerts: a digest sends one summary per period", "[alerts]") {
  Fixture f;
  f.Queue("praise", "love it", 0, 0, 3'600'000);
  f.now += 1'000;
  f.Queue("praise", "great support", 0, 0, 3'600'000);
  CHECK(f.dispatcher->Tick().messages == 0);
  f.now = kT0 + 3'600'000;
  CHECK(f.dispatcher->Tick().messages == 1);
  CHECK(Json(f.hook.bodies()[0])["group_count"].GetInt() == 2);
}

TEST_CASE("alerts: 429 waits for Retry-After, 500 retries with backoff, same delivery id",
          "[alerts]") {
  Fixture f;
  f.hook.Script({429, 500, 200});
  f.Queue("legal", "my lawyer will call", 0);
  DispatchSummary first = f.dispatcher->Tick();
  CHECK(first.retried_rows == 1);
  f.now += 119'000;
  CHECK(f.dispatcher->Tick().messages == 0);  // Retry-After: 120 is honoured
  f.now = kT0 + 120'000;
  CHECK(f.dispatcher->Tick().retried_rows == 1);  // the 500
  f.now += 15 * 60'000;                           // past any capped backoff
  CHECK(f.dispatcher->Tick().delivered_rows == 1);
  auto ids = f.hook.delivery_ids();
  REQUIRE(ids.size() == 3);
  CHECK(ids[0] == ids[1]);
  CHECK(ids[1] == ids[2]);
  CHECK(ids[0].starts_with("earshot-"));
}

TEST_CASE("alerts: a permanent 4xx or an unknown channel fails the rows, reported once",
          "[alerts]") {
  Fixture f;
  f.hook.Script({400});
  f.Queue("legal", "my lawyer will call", 0);
  CHECK(f.dispatcher->Tick().failed_rows == 1);
  f.Queue("legal", "another", 0, 300'000, 0, "nowhere");
  CHECK(f.dispatcher->Tick().failed_rows == 1);
  CHECK(f.store->OutboxDepth().value() == 0);
  f.now += 3'600'000;
  CHECK(f.dispatcher->Tick().messages == 0);
  CHECK(f.hook.bodies().size() == 1);
}

TEST_CASE("alerts: the receiver down means retry, not loss", "[alerts]") {
  TempDir dir;
  auto store = std::move(OpenSqliteStore(dir.File("earshot.db"))).value();
  ChannelConfig channel;
  channel.name = "care-chat";
  channel.kind = "webhook";
  channel.url = "http://127.0.0.1:9/hook";  // nothing listens on the discard port
  HttpClient http;
  UnixMillis now = kT0;
  AlertDispatcher dispatcher(*store, http, {channel}, {}, [&] { return now; });
  AnnotatedMention a;
  a.mention.platform = "x";
  a.mention.external_id = "1";
  a.mention.text = "outage";
  AlertRequest alert;
  alert.channel = "care-chat";
  alert.rule = "outage";
  alert.group_key = "g";
  a.alerts = {alert};
  PollCommit c;
  c.source = "s";
  c.kind = "x";
  c.polled_at = now;
  c.mentions = {a};
  REQUIRE(store->CommitPoll(c).ok());
  CHECK(dispatcher.Tick().retried_rows == 1);
  CHECK(store->OutboxDepth().value() == 1);
}

TEST_CASE("alerts: a silence holds back matching alerts and keeps them, marked", "[alerts]") {
  Fixture f;
  Silence s;
  s.matchers = {{"rule", "outage"}};
  s.starts_at = kT0 - 1;
  s.ends_at = kT0 + 3600'000;
  REQUIRE(f.store->AddSilence(s).ok());
  f.Queue("outage", "down in Berlin", 0);
  f.Queue("legal", "my lawyer will call", 0);
  DispatchSummary sum = f.dispatcher->Tick();
  CHECK(sum.silenced_rows == 1);
  CHECK(sum.delivered_rows == 1);
  REQUIRE(f.hook.bodies().size() == 1);
  CHECK(std::string(Json(f.hook.bodies()[0])["rule"].GetString()) == "legal");
  f.now += 2 * 3600'000;
  CHECK(f.dispatcher->Tick().messages == 0);  // silenced rows are not sent after the silence
}

TEST_CASE("alerts: an alert whose case nobody contacted is repeated after repeat_interval",
          "[alerts]") {
  Fixture f;
  AnnotatedMention a;
  a.mention.platform = "x";
  a.mention.external_id = "r1";
  a.mention.author.handle = "anna";
  a.mention.text = "I'm leaving";
  CaseRequest c;
  c.rule = "churn";
  c.sla_ms = 3600'000;
  a.open_case = c;
  AlertRequest alert;
  alert.channel = "care-chat";
  alert.rule = "churn";
  alert.summary = "anna may leave";
  alert.group_key = "care-chat|rule=churn";
  alert.repeat_interval_ms = 2 * 3600'000;
  a.alerts = {alert};
  PollCommit commit;
  commit.source = "x";
  commit.kind = "x";
  commit.polled_at = f.now;
  commit.mentions = {a};
  REQUIRE(f.store->CommitPoll(commit).ok());
  CHECK(f.dispatcher->Tick().delivered_rows == 1);
  f.now += 3600'000;
  CHECK(f.dispatcher->Tick().messages == 0);
  f.now = kT0 + 2 * 3600'000;
  CHECK(f.dispatcher->Tick().delivered_rows == 1);
  REQUIRE(f.hook.bodies().size() == 2);
  CHECK(std::string(Json(f.hook.bodies()[1])["summary"].GetString()) ==
        "Still not contacted: anna may leave");
  // Once a caller has made contact, no more reminders.
  CaseUpdate u;
  u.id = f.store->ListCases({}).value()[0].id;
  u.actor = "lena";
  u.action = "contacted";
  u.at = f.now;
  REQUIRE(f.store->UpdateCase(u).ok());
  f.now += 4 * 3600'000;
  CHECK(f.dispatcher->Tick().messages == 0);
  CHECK(f.hook.bodies().size() == 2);
}
