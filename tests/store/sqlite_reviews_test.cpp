// Reviews, the review filters, label precision and the overview's statistics on a real file.
#include <SQLiteCpp/Database.h>

#include <catch2/catch.hpp>

#include "store/migrations.h"
#include "store/sqlite_store.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

constexpr int64_t kHour = 3600LL * 1000;
constexpr int64_t kDay = 24 * kHour;

AnnotatedMention Mention1(const std::string& id, const std::string& author,
                          std::vector<Label> labels, bool flagged = true) {
  AnnotatedMention a;
  a.mention.platform = "jsonl";
  a.mention.external_id = id;
  a.mention.text = "text of " + id;
  a.mention.author.handle = author;
  a.labels = std::move(labels);
  a.flagged = flagged;
  return a;
}

std::unique_ptr<Store> Open(const std::string& path) {
  auto s = OpenSqliteStore(path);
  INFO(s.status().ToString());
  REQUIRE(s.ok());
  return std::move(s).value();
}

int64_t IdOf(Store& store, const std::string& external_id) {
  auto rows = store.ListMentions({});
  REQUIRE(rows.ok());
  for (const auto& r : *rows)
    if (r.annotated.mention.external_id == external_id) return r.id;
  FAIL("no mention " << external_id);
  return 0;
}

}  // namespace

TEST_CASE("store: a version 1 database gains the reviews table") {
  TempDir dir;
  const std::string path = dir.File("old.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    REQUIRE(MigrateSchema(db, 1).ok());
    REQUIRE_FALSE(db.tableExists("reviews"));
  }
  auto store = Open(path);
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  CHECK(db.execAndGet("PRAGMA user_version").getInt() == LatestSchemaVersion());
  CHECK(LatestSchemaVersion() >= 2);
  CHECK(db.tableExists("reviews"));
}

TEST_CASE("store: reviews are kept and listed with their mention") {
  TempDir dir;
  auto store = Open(dir.File("earshot.db"));
  PollCommit c;
  c.source = "s";
  c.kind = "jsonl";
  c.mentions = {Mention1("a", "@ann", {{"intent", "refund", 1, {}}}),
                Mention1("b", "@bob", {{"intent", "complaint", 1, {}}})};
  REQUIRE(store->CommitPoll(c).ok());
  const int64_t a = IdOf(*store, "a");
  const int64_t b = IdOf(*store, "b");

  Review r;
  r.mention_id = a;
  r.verdict = "false_positive";
  r.corrected_label = "question";
  r.reviewer = "rita";
  r.at = 1000;
  r.note = "just asking";
  REQUIRE(store->AddReview(r).ok());
  r.verdict = "confirmed";
  r.at = 2000;
  r.note = "";
  REQUIRE(store->AddReview(r).ok());

  auto got = store->GetMention(a);
  REQUIRE(got.ok());
  REQUIRE(*got);
  REQUIRE((*got)->reviews.size() == 2);
  CHECK((*got)->reviews[0].verdict == "false_positive");
  CHECK((*got)->reviews[0].corrected_label == "question");
  CHECK((*got)->reviews[0].reviewer == "rita");
  CHECK((*got)->reviews[0].note == "just asking");
  CHECK((*got)->reviews[0].at == 1000);
  CHECK((*got)->reviews[1].verdict == "confirmed");

  auto listed = store->ListMentions({});
  REQUIRE(listed.ok());
  for (const auto& row : *listed)
    CHECK(row.reviews.size() == (row.id == a ? 2u : 0u));

  MentionQuery unreviewed;
  unreviewed.unreviewed_only = true;
  auto open = store->ListMentions(unreviewed);
  REQUIRE(open->size() == 1);
  CHECK(open->front().id == b);

  r.mention_id = 999999;
  CHECK(store->AddReview(r).code() == Status::Code::kNotFound);
  r.mention_id = b;
  r.verdict = "maybe";
  CHECK(store->AddReview(r).code() == Status::Code::kInvalidArgument);
  r.verdict = "confirmed";
  r.reviewer = "";
  CHECK(store->AddReview(r).code() == Status::Code::kInvalidArgument);
}

TEST_CASE("store: mentions filtered by intent, language and author") {
  TempDir dir;
  auto store = Open(dir.File("earshot.db"));
  PollCommit c;
  c.source = "s";
  c.kind = "jsonl";
  auto ru = Mention1("ru", "@ann", {{"intent", "refund", 1, {}}, {"language", "ru", 1, {}}});
  auto en = Mention1("en", "@ann", {{"pattern", "refund", 1, {}}});
  en.mention.lang = "en";
  auto other = Mention1("other", "@bob", {{"intent", "complaint", 1, {}}});
  c.mentions = {ru, en, other};
  REQUIRE(store->CommitPoll(c).ok());

  MentionQuery q;
  q.intent = "refund";
  auto rows = store->ListMentions(q);
  REQUIRE(rows->size() == 1);
  CHECK(rows->front().annotated.mention.external_id == "ru");
  q = {};
  q.lang = "ru";
  CHECK(store->ListMentions(q)->size() == 1);
  q.lang = "en";
  rows = store->ListMentions(q);
  REQUIRE(rows->size() == 1);
  CHECK(rows->front().annotated.mention.external_id == "en");
  q = {};
  q.same_author_as = IdOf(*store, "ru");
  rows = store->ListMentions(q);
  REQUIRE(rows->size() == 1);
  CHECK(rows->front().annotated.mention.external_id == "en");
}

TEST_CASE("store: review precision per flagging label from each mention's latest verdict") {
  TempDir dir;
  auto store = Open(dir.File("earshot.db"));
  PollCommit c;
  c.source = "s";
  c.kind = "jsonl";
  for (int i = 0; i < 4; ++i) {
    c.mentions.push_back(Mention1("r" + std::to_string(i), "@a" + std::to_string(i),
                                  {{"intent", "refund", 1, {}},
                                   {"sentiment", "negative", -0.5, {}},
                                   {"rule", "churn", 2, {}}}));
  }
  c.mentions.push_back(Mention1("x", "@x", {{"pattern", "legal", 1, {}}}));
  REQUIRE(store->CommitPoll(c).ok());
  auto verdict = [&](const std::string& ext, const std::string& v) {
    Review r;
    r.mention_id = IdOf(*store, ext);
    r.verdict = v;
    r.reviewer = "rita";
    REQUIRE(store->AddReview(r).ok());
  };
  verdict("r0", "confirmed");
  verdict("r1", "confirmed");
  verdict("r2", "confirmed");
  verdict("r2", "false_positive");  // changed her mind: the latest counts
  verdict("r3", "not_relevant");
  verdict("x", "not_relevant");

  auto precision = store->ReviewPrecision();
  REQUIRE(precision.ok());
  REQUIRE(precision->size() == 3);  // intent refund, pattern legal, rule churn; not sentiment
  const LabelPrecision& refund = (*precision)[0];
  CHECK(refund.kind == "intent");
  CHECK(refund.name == "refund");
  CHECK(refund.confirmed == 2);
  CHECK(refund.false_positive == 1);
  CHECK(refund.not_relevant == 1);
  REQUIRE(refund.precision);
  CHECK(*refund.precision == Approx(2.0 / 3.0));
  CHECK((*precision)[1].kind == "pattern");
  CHECK_FALSE((*precision)[1].precision);
  CHECK((*precision)[2].kind == "rule");
  CHECK((*precision)[2].confirmed == 2);
}

TEST_CASE("store: service statistics for the overview") {
  TempDir dir;
  auto store = Open(dir.File("earshot.db"));
  const UnixMillis day0 = 1767225600000;  // 2026-01-01T00:00:00Z
  PollCommit c;
  c.source = "s";
  c.kind = "jsonl";
  c.polled_at = day0 + 2 * kDay;
  auto neg = Mention1("n1", "@ann", {{"sentiment", "negative", -0.5, {}}});
  neg.mention.created_at = day0 + kHour;
  neg.open_case = CaseRequest{};
  neg.open_case->rule = "r";
  neg.open_case->sla_ms = 4 * kHour;
  auto pos = Mention1("p1", "@bob", {{"sentiment", "positive", 0.5, {}}});
  pos.mention.created_at = day0 + 2 * kHour;
  pos.open_case = neg.open_case;
  auto later = Mention1("n2", "@cid", {{"sentiment", "negative", -0.5, {}}});
  later.mention.created_at = day0 + kDay + kHour;
  later.open_case = neg.open_case;
  c.mentions = {neg, pos, later};
  REQUIRE(store->CommitPoll(c).ok());
  c.source = "t";
  auto t = Mention1("t1", "", {});
  t.mention.created_at = day0 + kDay;
  c.mentions = {t};
  REQUIRE(store->CommitPoll(c).ok());

  auto cases = store->ListCases({});
  REQUIRE(cases.ok());
  REQUIRE(cases->size() == 3);
  const UnixMillis opened = c.polled_at;
  CaseUpdate u;
  u.actor = "carl";
  u.action = "contacted";
  u.id = (*cases)[0].id;
  u.at = opened + kHour;  // within the 4h SLA
  REQUIRE(store->UpdateCase(u).ok());
  u.id = (*cases)[1].id;
  u.at = opened + 5 * kHour;  // late
  REQUIRE(store->UpdateCase(u).ok());
  u.action = "resolved";
  u.outcome = "resolved";
  u.at = opened + 6 * kHour;
  REQUIRE(store->UpdateCase(u).ok());

  auto stats = store->LoadServiceStats(day0, opened + 10 * kHour);
  REQUIRE(stats.ok());
  REQUIRE(stats->daily.size() == 3);
  CHECK(stats->daily[0].day == "2026-01-01");
  CHECK(stats->daily[0].source == "s");
  CHECK(stats->daily[0].mentions == 2);
  CHECK(stats->daily[0].negative == 1);
  CHECK(stats->daily[1].day == "2026-01-02");
  CHECK(stats->daily[1].source == "s");
  CHECK(stats->daily[2].source == "t");
  CHECK(stats->daily[2].negative == 0);
  REQUIRE(stats->open_cases.size() == 2);
  CHECK(stats->open_cases[0] == std::pair<std::string, int64_t>("contacted", 1));
  CHECK(stats->open_cases[1] == std::pair<std::string, int64_t>("new", 1));
  CHECK(stats->sla_breaches == 2);  // both still open past their 4h deadline
  CHECK(stats->cases_opened == 3);
  CHECK(stats->cases_contacted == 2);
  CHECK(stats->contacted_within_sla == 1);
  REQUIRE(stats->median_first_contact_ms);
  CHECK(*stats->median_first_contact_ms == 3 * kHour);

  auto none = store->LoadServiceStats(opened + kDay, opened + kDay);
  REQUIRE(none.ok());
  CHECK(none->cases_opened == 0);
  CHECK_FALSE(none->median_first_contact_ms);
}
