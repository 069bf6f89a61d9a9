// Escalations and assignment over a real SQLite store, with the clock passed in.
#include "daemon/escalations/escalation_monitor.h"

#include <catch2/catch.hpp>

#include "daemon/escalations/shift.h"
#include "store/outbox_payload.h"
#include "store/sqlite_store.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

// Monday 2026-01-05 10:00 UTC.
constexpr UnixMillis kMonday10 = 1'767'607'200'000;

struct Fixture {
  TempDir dir;
  std::unique_ptr<Store> store = std::move(OpenSqliteStore(dir.File("earshot.db"))).value();
  int next = 0;

  void OpenCase(const std::string& author, const std::string& lang, int priority, int64_t sla_ms,
                UnixMillis at, std::vector<std::string> skills = {}, bool with_case = true) {
    AnnotatedMention a;
    a.mention.platform = "reddit";
    a.mention.external_id = "m" + std::to_string(++next);
    a.mention.author.handle = author;
    a.mention.text = "complaint " + std::to_string(next);
    a.mention.lang = lang;
    CaseRequest r;
    r.rule = "complaint";
    r.priority = priority;
    r.sla_ms = sla_ms;
    r.reason = "Complaint from " + author;
    r.skills = std::move(skills);
    if (with_case) a.open_case = r;
    a.labels.push_back({"sentiment", "negative", -0.5, {}});
    PollCommit c;
    c.source = "reddit-brand";
    c.kind = "reddit";
    c.polled_at = at;
    c.mentions = {a};
    REQUIRE(store->CommitPoll(c).ok());
  }

  std::vector<AlertPayload> Queued(UnixMillis now) {
    std::vector<AlertPayload> out;
    auto due = store->DueOutbox(now, 100).value();
    for (const auto& m : due)
      out.push_back(*AlertPayloadFromJson(m.payload));
    return out;
  }
};

EscalationOptions Options() {
  EscalationOptions o;
  o.channel = "care-chat";
  o.sla_warning_ms = 10 * 60'000;
  return o;
}

}  // namespace

TEST_CASE("shifts: days, hours and overnight spans in UTC", "[escalations]") {
  auto office = Shift::Parse("Mon-Fri 08:00-18:00");
  REQUIRE(office);
  CHECK(office->Contains(kMonday10));
  CHECK_FALSE(office->Contains(kMonday10 + 9 * 3600'000));      // 19:00
  CHECK_FALSE(office->Contains(kMonday10 + 5 * 86'400'000LL));  // Saturday
  auto night = Shift::Parse("Sun,Mon 22:00-06:00");
  REQUIRE(night);
  CHECK(night->Contains(kMonday10 - 5 * 3600'000));         // Monday 05:00, Sunday's shift
  CHECK(night->Contains(kMonday10 + 12 * 3600'000));        // Monday 22:00
  CHECK_FALSE(night->Contains(kMonday10 + 36 * 3600'000));  // Tuesday 22:00
  CHECK_FALSE(Shift::Parse("weekdays 8-18"));
  CHECK_FALSE(Shift::Parse("Mon-Fri 08:00-25:00"));
}

TEST_CASE("escalations: new cases go to callers on shift by language and skills, in turn",
          "[escalations]") {
  Fixture f;
  f.OpenCase("anna", "en", 3, 8 * 3600'000, kMonday10);
  f.OpenCase("jonas", "de", 3, 8 * 3600'000, kMonday10);
  f.OpenCase("bob", "en", 3, 8 * 3600'000, kMonday10);
  f.OpenCase("cleo", "en", 3, 8 * 3600'000, kMonday10, {"billing"});
  f.OpenCase("dmitri", "ru", 3, 8 * 3600'000, kMonday10);
  std::vector<CallerSpec> callers = {
      {"lena", {"en", "de"}, {}, *Shift::Parse("Mon-Fri 08:00-18:00")},
      {"tom", {"en"}, {"billing"}, *Shift::Parse("Mon-Fri 08:00-18:00")},
      {"night", {"en", "ru"}, {}, *Shift::Parse("Mon-Fri 20:00-06:00")},
  };
  EscalationMonitor monitor(*f.store, Options(), callers);
  EscalationSummary s = monitor.Tick(kMonday10);
  CHECK(s.assigned == 4);  // dmitri's Russian case waits for the night shift
  std::map<std::string, std::string> by_author;
  auto cases = f.store->ListCases({}).value();
  for (const auto& c : cases)
    by_author[c.author_handle] = c.assignee;
  CHECK(by_author["jonas"] == "lena");
  CHECK(by_author["cleo"] == "tom");
  CHECK(by_author["dmitri"].empty());
  // anna and bob are English, shared in turn between lena and tom.
  CHECK(by_author["anna"] != by_author["bob"]);
  CHECK(monitor.Tick(kMonday10 + 11 * 3600'000).assigned == 1);  // 21:00: night takes dmitri
  auto events = f.store->GetCase(f.store->ListCases({}).value().front().id).value()->events;
  CHECK(events.back().actor == "earshot");
  CHECK(events.back().action == "assign");
}

TEST_CASE("escalations: an SLA about to be missed warns once, a missed one escalates once",
          "[escalations]") {
  Fixture f;
  f.OpenCase("anna", "en", 1, 30 * 60'000, kMonday10);
  EscalationMonitor monitor(*f.store, Options(), {});
  CHECK(monitor.Tick(kMonday10 + 10 * 60'000).queued == 0);  // 20 minutes left
  CHECK(monitor.Tick(kMonday10 + 21 * 60'000).queued == 1);  // 9 minutes left
  CHECK(monitor.Tick(kMonday10 + 22 * 60'000).queued == 0);  // already said
  CHECK(monitor.Tick(kMonday10 + 31 * 60'000).queued == 1);  // missed
  CHECK(monitor.Tick(kMonday10 + 40 * 60'000).queued == 0);
  auto queued = f.Queued(kMonday10 + 40 * 60'000);
  REQUIRE(queued.size() == 2);
  CHECK(queued[0].rule == "sla_warning");
  CHECK(queued[0].priority == "critical");
  CHECK(queued[0].summary.find("must be contacted within 9m; assigned to nobody") !=
        std::string::npos);
  CHECK(queued[0].case_id > 0);
  CHECK(queued[1].rule == "sla_breached");
  CHECK(queued[1].summary.find("missed its first-contact deadline 1m ago") != std::string::npos);
}

TEST_CASE("escalations: a contacted case raises nothing", "[escalations]") {
  Fixture f;
  f.OpenCase("anna", "en", 1, 30 * 60'000, kMonday10);
  CaseUpdate u;
  u.id = f.store->ListCases({}).value()[0].id;
  u.actor = "lena";
  u.action = "contacted";
  u.at = kMonday10 + 60'000;
  REQUIRE(f.store->UpdateCase(u).ok());
  EscalationMonitor monitor(*f.store, Options(), {});
  CHECK(monitor.Tick(kMonday10 + 3600'000).queued == 0);
}

TEST_CASE("escalations: a failing source is reported once per outage", "[escalations]") {
  Fixture f;
  for (int i = 0; i < 5; ++i)
    REQUIRE(f.store->RecordPollFailure("forum", "rss", "HTTP 503", kMonday10 + i).ok());
  EscalationOptions o = Options();
  o.failing_after = 5;
  EscalationMonitor monitor(*f.store, o, {});
  CHECK(monitor.Tick(kMonday10).queued == 1);
  REQUIRE(f.store->RecordPollFailure("forum", "rss", "HTTP 503", kMonday10 + 10).ok());
  CHECK(monitor.Tick(kMonday10 + 60'000).queued == 0);
  auto queued = f.Queued(kMonday10 + 60'000);
  REQUIRE(queued.size() == 1);
  CHECK(queued[0].summary == "Source forum has failed 5 polls in a row: HTTP 503");
}

TEST_CASE("escalations: a spike of negative mentions against the baseline, with cool-down",
          "[escalations]") {
  Fixture f;
  EscalationOptions o = Options();
  o.negative_spike = true;
  o.spike_window_ms = 3600'000;
  o.spike_baseline_ms = 24 * 3600'000;
  o.spike_factor = 3;
  o.spike_min_count = 5;
  o.spike_cooldown_ms = 6 * 3600'000;
  for (int i = 0; i < 6; ++i)
    f.OpenCase("first" + std::to_string(i), "en", 3, 0, kMonday10 - 25 * 3600'000 - 60'000, {},
               false);
  {
    // A first import, with nothing stored before it, is no spike: there is no usual rate yet.
    EscalationMonitor fresh(*f.store, o, {});
    CHECK(fresh.Tick(kMonday10 - 25 * 3600'000).queued == 0);
  }
  // One negative mention an hour for the past day: the usual rate.
  for (int h = 23; h >= 2; --h)
    f.OpenCase("u" + std::to_string(h), "en", 3, 0, kMonday10 - h * 3600'000, {}, false);
  EscalationMonitor monitor(*f.store, o, {});
  CHECK(monitor.Tick(kMonday10).queued == 0);
  for (int i = 0; i < 6; ++i)
    f.OpenCase("burst" + std::to_string(i), "en", 3, 0, kMonday10 - 60'000, {}, false);
  CHECK(monitor.Tick(kMonday10).queued == 1);
  CHECK(monitor.Tick(kMonday10 + 60'000).queued == 0);  // cool-down
  auto queued = f.Queued(kMonday10 + 60'000);
  bool found = false;
  for (const auto& q : queued)
    found |= q.rule == "negative_spike";
  CHECK(found);
}

TEST_CASE("escalations: a source whose polls succeed but bring nothing is reported silent",
          "[escalations]") {
  Fixture f;
  f.OpenCase("anna", "en", 3, 0, kMonday10, {}, false);  // the source has one mention
  EscalationOptions o = Options();
  o.source_silent_ms = 24 * 3600'000;
  EscalationMonitor monitor(*f.store, o, {});
  CHECK(monitor.Tick(kMonday10).queued == 0);
  CHECK(monitor.Tick(kMonday10 + 23 * 3600'000).queued == 0);
  CHECK(monitor.Tick(kMonday10 + 24 * 3600'000).queued == 1);
  CHECK(monitor.Tick(kMonday10 + 30 * 3600'000).queued == 0);  // once per quiet spell
  f.OpenCase("bob", "en", 3, 0, kMonday10 + 31 * 3600'000, {}, false);
  CHECK(monitor.Tick(kMonday10 + 31 * 3600'000).queued == 0);  // news again
  auto queued = f.Queued(kMonday10 + 31 * 3600'000);
  REQUIRE(queued.size() == 1);
  CHECK(queued[0].summary ==
        "Source reddit-brand has brought no new mention for 24h although its polls succeed");
}
