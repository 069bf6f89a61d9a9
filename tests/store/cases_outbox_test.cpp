// Cases, the outbox and author history in the SQLite store, on real files.
#include <catch2/catch.hpp>

#include "store/outbox_payload.h"
#include "store/sqlite_store.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

std::unique_ptr<Store> Open(const std::string& path) {
  auto s = OpenSqliteStore(path);
  INFO(s.status().ToString());
  REQUIRE(s.ok());
  return std::move(s).value();
}

AnnotatedMention Mentioned(const std::string& id, const std::string& author,
                           const std::string& text) {
  AnnotatedMention a;
  a.mention.platform = "reddit";
  a.mention.external_id = id;
  a.mention.author.handle = author;
  a.mention.text = text;
  a.mention.url = "https://reddit.example/" + id;
  return a;
}

CaseRequest CaseFor(const std::string& rule, int priority, int64_t sla_ms,
                    const std::string& queue = "care") {
  CaseRequest r;
  r.rule = rule;
  r.priority = priority;
  r.sla_ms = sla_ms;
  r.queue = queue;
  r.reason = rule + " fired";
  return r;
}

AlertRequest AlertTo(const std::string& channel, const std::string& rule) {
  AlertRequest a;
  a.channel = channel;
  a.rule = rule;
  a.priority = "high";
  a.summary = rule + " summary";
  a.group_key = channel + "|rule=" + rule;
  return a;
}

CommitSummary Commit(Store& store, std::vector<AnnotatedMention> mentions, UnixMillis at) {
  PollCommit c;
  c.source = "reddit-brand";
  c.kind = "reddit";
  c.polled_at = at;
  c.mentions = std::move(mentions);
  auto summary = store.CommitPoll(c);
  INFO(summary.status().ToString());
  REQUIRE(summary.ok());
  return *summary;
}

constexpr UnixMillis kT0 = 1'800'000'000'000;

}  // namespace

TEST_CASE("store: one open case per customer; later mentions attach and tighten it") {
  TempDir dir;
  auto store = Open(dir.File("earshot.db"));
  auto first = Mentioned("p1", "anna", "The app lost my order again.");
  first.open_case = CaseFor("complaint", 3, 8 * 3600'000);
  auto other = Mentioned("p2", "bob", "Billing is wrong.");
  other.open_case = CaseFor("complaint", 3, 8 * 3600'000);
  CommitSummary s1 = Commit(*store, {first, other}, kT0);
  CHECK(s1.cases_opened == 2);

  auto again = Mentioned("p3", "anna", "I'm cancelling, my lawyer will call.");
  again.open_case = CaseFor("legal", 1, 30 * 60'000, "escalations");
  CommitSummary s2 = Commit(*store, {again}, kT0 + 60'000);
  CHECK(s2.cases_opened == 0);
  CHECK(s2.cases_updated == 1);

  auto cases = store->ListCases({});
  REQUIRE(cases.ok());
  REQUIRE(cases->size() == 2);
  // Anna's case is now critical and due 30 minutes after her latest post: it leads the queue.
  const CaseSummary& anna = (*cases)[0];
  CHECK(anna.author_handle == "anna");
  CHECK(anna.customer_key == "reddit:handle:anna");
  CHECK(anna.priority == 1);
  CHECK(anna.mention_count == 2);
  CHECK(anna.sla_due_at == kT0 + 60'000 + 30 * 60'000);
  CHECK(anna.queue == "care");  // the queue it was opened in
  CHECK((*cases)[1].author_handle == "bob");

  // A replayed poll (same ids) neither opens nor attaches anything.
  CommitSummary replay = Commit(*store, {again}, kT0 + 120'000);
  CHECK(replay.duplicates == 1);
  CHECK(replay.cases_updated == 0);
  auto detail = store->GetCase(anna.id);
  REQUIRE(detail.ok());
  REQUIRE(*detail);
  CHECK((*detail)->mentions.size() == 2);
  REQUIRE((*detail)->events.size() == 2);
  CHECK((*detail)->events[0].action == "opened");
  CHECK((*detail)->events[0].actor == "rule:complaint");
  CHECK((*detail)->events[1].action == "attached");
  CHECK((*detail)->events[1].actor == "rule:legal");
}

TEST_CASE("store: a case moves new → assigned → contacted → resolved, every step audited") {
  TempDir dir;
  auto store = Open(dir.File("earshot.db"));
  auto m = Mentioned("p1", "anna", "Broken again.");
  m.open_case = CaseFor("complaint", 2, 3600'000);
  Commit(*store, {m}, kT0);
  int64_t id = (*store->ListCases({}))[0].id;

  auto update = [&](const std::string& action, const std::string& extra = "") {
    CaseUpdate u;
    u.id = id;
    u.actor = "lena";
    u.action = action;
    u.assignee = action == "assign" ? extra : "";
    u.outcome = action == "resolved" || action == "declined" ? action : "";
    u.note = action == "note" ? extra : "";
    u.at = kT0 + 1000;
    return store->UpdateCase(u);
  };
  CHECK(update("assign", "lena").ok());
  CHECK((*store->GetCase(id))->summary.state == "assigned");
  CHECK(update("contacted").ok());
  CHECK(update("resolved").ok());
  auto closed = (*store->GetCase(id))->summary;
  CHECK(closed.state == "resolved");
  CHECK(closed.outcome == "resolved");
  CHECK(closed.closed_at == kT0 + 1000);

  Status again = update("contacted");
  CHECK(again.code() == Status::Code::kInvalidArgument);
  CHECK(again.message() ==
        "case " + std::to_string(id) + " is resolved; only notes can be added to a closed case");
  CHECK(update("note", "customer called back to say thanks").ok());
  CHECK(update("assign", "").code() == Status::Code::kInvalidArgument);
  CHECK(update("escalate").code() == Status::Code::kInvalidArgument);

  CaseUpdate missing;
  missing.id = 999;
  missing.action = "note";
  missing.note = "x";
  CHECK(store->UpdateCase(missing).code() == Status::Code::kNotFound);

  auto events = (*store->GetCase(id))->events;
  std::vector<std::string> actions;
  for (const auto& e : events)
    actions.push_back(e.action);
  CHECK(actions == std::vector<std::string>{"opened", "assign", "contacted", "resolved", "note"});
  CHECK(events.back().detail == "customer called back to say thanks");
  CHECK(store->ListCases({}).value().empty());  // closed cases leave the open queue
  CaseQuery resolved;
  resolved.states = {"resolved"};
  CHECK(store->ListCases(resolved).value().size() == 1);

  // A new complaint from the same customer after the case closed opens a new one.
  auto later = Mentioned("p2", "anna", "And again.");
  later.open_case = CaseFor("complaint", 2, 3600'000);
  CHECK(Commit(*store, {later}, kT0 + 5000).cases_opened == 1);
}

TEST_CASE("store: alerts are queued with the mention, once, and leave the outbox when marked") {
  TempDir dir;
  auto store = Open(dir.File("earshot.db"));
  auto m = Mentioned("p1", "anna", "I am cancelling today, refund me.");
  m.labels.push_back({"intent", "churn_threat", 1, {{"pattern", {5, 20}, "", 0}}});
  m.open_case = CaseFor("churn", 2, 3600'000);
  m.alerts = {AlertTo("care-chat", "churn"), AlertTo("managers", "churn")};
  CHECK(Commit(*store, {m}, kT0).alerts_queued == 2);
  CHECK(Commit(*store, {m}, kT0 + 10).alerts_queued == 0);  // replayed poll
  CHECK(store->OutboxDepth().value() == 2);

  auto due = store->DueOutbox(kT0, 10);
  REQUIRE(due.ok());
  REQUIRE(due->size() == 2);
  auto payload = AlertPayloadFromJson((*due)[0].payload);
  REQUIRE(payload);
  CHECK(payload->rule == "churn");
  CHECK(payload->author == "anna");
  CHECK(payload->excerpt == "I am cancelling today, refund me.");
  CHECK(payload->url == "https://reddit.example/p1");
  REQUIRE(payload->highlights.size() == 1);
  CHECK(payload->highlights[0] == Span{5, 20});
  CHECK(payload->case_id > 0);
  CHECK(payload->mention_id > 0);

  CHECK(store->MarkRetry({(*due)[0].id}, kT0 + 60'000, "HTTP 503").ok());
  CHECK(store->MarkDelivered({(*due)[1].id}, kT0).ok());
  CHECK(store->DueOutbox(kT0 + 59'999, 10).value().empty());
  auto retry = store->DueOutbox(kT0 + 60'000, 10).value();
  REQUIRE(retry.size() == 1);
  CHECK(retry[0].attempts == 1);
  CHECK(store->MarkFailed({retry[0].id}, "HTTP 404").ok());
  CHECK(store->OutboxDepth().value() == 0);
}

TEST_CASE("store: the outbox survives reopening: what was pending is still pending") {
  TempDir dir;
  {
    auto store = Open(dir.File("earshot.db"));
    auto m = Mentioned("p1", "anna", "Outage again.");
    m.alerts = {AlertTo("care-chat", "outage")};
    Commit(*store, {m}, kT0);
  }
  auto store = Open(dir.File("earshot.db"));
  CHECK(store->DueOutbox(kT0, 10).value().size() == 1);
}

TEST_CASE("store: author activity counts negative mentions in the window") {
  TempDir dir;
  auto store = Open(dir.File("earshot.db"));
  auto neg = [](const std::string& id, UnixMillis at) {
    auto m = Mentioned(id, "anna", "bad " + id);
    m.mention.created_at = at;
    m.labels.push_back({"sentiment", "negative", -0.6, {}});
    return m;
  };
  auto pos = Mentioned("ok", "anna", "fine now");
  pos.mention.created_at = kT0 - 1000;
  pos.labels.push_back({"sentiment", "positive", 0.5, {}});
  auto other = neg("bob1", kT0 - 1000);
  other.mention.author.handle = "bob";
  Commit(*store, {neg("a1", kT0 - 10 * 86'400'000LL), neg("a2", kT0 - 86'400'000), pos, other},
         kT0);
  Author anna;
  anna.handle = "anna";
  auto activity = store->LoadAuthorActivity("reddit", anna, kT0 - 7 * 86'400'000LL);
  REQUIRE(activity.ok());
  CHECK(activity->mentions_at.size() == 2);
  CHECK(activity->negative_at == std::vector<UnixMillis>{kT0 - 86'400'000});
  CHECK(store->LoadAuthorActivity("mastodon", anna, 0).value().mentions_at.empty());
}

TEST_CASE("store: a customer's accounts on several platforms share one case") {
  TempDir dir;
  auto store = Open(dir.File("earshot.db"));
  // Anna complains on Reddit before anyone knows who she is: a case under her Reddit handle.
  auto first = Mentioned("p1", "@Anna", "Billing is wrong again.");
  first.open_case = CaseFor("complaint", 3, 8 * 3600'000);
  Commit(*store, {first}, kT0);
  REQUIRE(store->ListCases({}).value()[0].customer_key == "reddit:handle:@Anna");

  // The CRM import names her accounts: her open case becomes the customer's.
  Customer anna;
  anna.crm_id = "C-1001";
  anna.name = "Anna Kowalska";
  anna.phone = "+48 600 100 200";
  anna.email = "anna@example.com";
  anna.identities = {"reddit:anna", "x:anna_k"};
  auto id = store->UpsertCustomer(anna);
  REQUIRE(id.ok());
  auto cases = store->ListCases({}).value();
  REQUIRE(cases.size() == 1);
  CHECK(cases[0].customer_key == "customer:" + std::to_string(*id));
  REQUIRE(cases[0].customer);
  CHECK(cases[0].customer->name == "Anna Kowalska");
  CHECK(cases[0].customer->phone == "+48 600 100 200");
  CHECK(cases[0].customer->identities ==
        std::vector<std::string>{"email:anna@example.com", "reddit:anna", "x:anna_k"});

  // Her post on X joins the same case.
  auto on_x = Mentioned("t1", "anna_k", "Still no answer about my bill.");
  on_x.mention.platform = "x";
  on_x.open_case = CaseFor("complaint", 2, 3600'000);
  CommitSummary s = Commit(*store, {on_x}, kT0 + 60'000);
  CHECK(s.cases_opened == 0);
  CHECK(s.cases_updated == 1);
  CHECK(store->ListCases({}).value()[0].mention_count == 2);

  // Importing the same CRM id again updates rather than duplicates.
  Customer again;
  again.crm_id = "C-1001";
  again.phone = "+48 600 999 999";
  CHECK(store->UpsertCustomer(again).value() == *id);
  auto found = store->FindCustomer("C-1001").value();
  REQUIRE(found);
  CHECK(found->phone == "+48 600 999 999");
  CHECK(found->name == "Anna Kowalska");
  CHECK(store->FindCustomer("x:anna_k").value()->id == *id);
  CHECK(store->FindCustomer("#" + std::to_string(*id)).value()->crm_id == "C-1001");
  CHECK_FALSE(store->FindCustomer("x:nobody").value());
}

TEST_CASE("store: linking identities by hand creates or extends a customer") {
  TempDir dir;
  auto store = Open(dir.File("earshot.db"));
  auto id = store->LinkIdentities({"mastodon:bob@social.example", "reddit:bob"});
  REQUIRE(id.ok());
  CHECK(store->LinkIdentities({"reddit:bob", "bluesky:bob.bsky.social"}).value() == *id);
  CHECK(store->FindCustomer("bluesky:bob.bsky.social").value()->identities.size() == 3);
  CHECK(store->LinkIdentities({"reddit:bob"}).status().code() == Status::Code::kInvalidArgument);
  CHECK(store->LinkIdentities({"bob", "reddit:bob"})
            .status()
            .message()
            .find("is not platform:handle") != std::string::npos);
}

TEST_CASE("store: silences are active in their span and can be expired") {
  TempDir dir;
  auto store = Open(dir.File("earshot.db"));
  Silence s;
  s.matchers = {{"rule", "outage"}, {"source", "forum"}};
  s.starts_at = kT0;
  s.ends_at = kT0 + 3600'000;
  s.created_by = "lena";
  s.comment = "known outage in Berlin";
  auto id = store->AddSilence(s);
  REQUIRE(id.ok());
  CHECK(store->ActiveSilences(kT0 - 1).value().empty());
  auto active = store->ActiveSilences(kT0 + 60'000).value();
  REQUIRE(active.size() == 1);
  CHECK(active[0].matchers.size() == 2);
  CHECK(active[0].matchers[1].value == "forum");
  CHECK(store->ExpireSilence(*id, kT0 + 120'000).ok());
  CHECK(store->ActiveSilences(kT0 + 120'001).value().empty());
  CHECK(store->ExpireSilence(*id, kT0 + 130'000).code() == Status::Code::kNotFound);
  Silence bad = s;
  bad.matchers = {{"colour", "red"}};
  CHECK(store->AddSilence(bad).status().code() == Status::Code::kInvalidArgument);
}
