// Edited, re-read and deleted mentions in the SQLite store, on real files.
#include <SQLiteCpp/Database.h>

#include <catch2/catch.hpp>

#include "store/migrations.h"
#include "store/sqlite_store.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

AnnotatedMention StarReview(const std::string& id, const std::string& text, double rating) {
  AnnotatedMention a;
  a.mention.platform = "trustpilot";
  a.mention.external_id = id;
  a.mention.text = text;
  a.mention.rating = rating;
  a.mention.author.handle = "@" + id;
  a.mention.fetched_at = 1'000;
  a.labels = {{"sentiment", rating >= 4 ? "positive" : "negative", 0.9, {}}};
  return a;
}

// What the pipeline makes of a one-star review: a flag, a case and an alert.
AnnotatedMention Complaint(AnnotatedMention a) {
  a.flagged = true;
  a.flag_reason = "rule low_rating";
  CaseRequest c;
  c.rule = "low_rating";
  c.queue = "reviews";
  a.open_case = c;
  AlertRequest alert;
  alert.channel = "team";
  alert.rule = "low_rating";
  alert.priority = "high";
  alert.summary = "one star";
  a.alerts = {alert};
  return a;
}

PollCommit Batch(std::vector<AnnotatedMention> mentions, UnixMillis at) {
  PollCommit c;
  c.source = "reviews";
  c.kind = "trustpilot";
  c.polled_at = at;
  c.mentions = std::move(mentions);
  return c;
}

std::unique_ptr<Store> Open(const std::string& path) {
  auto s = OpenSqliteStore(path);
  INFO(s.status().ToString());
  REQUIRE(s.ok());
  return std::move(s).value();
}

StoredMention Only(Store& store) {
  auto rows = store.ListMentions({});
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  auto one = store.GetMention(rows->front().id);
  REQUIRE(one.ok());
  REQUIRE(*one);
  return std::move(**one);
}

}  // namespace

TEST_CASE("store: an edit replaces the mention, keeps the old version and runs its rules") {
  TempDir dir;
  auto store = Open(dir.File("earshot.db"));
  REQUIRE(store->CommitPoll(Batch({StarReview("r1", "Lovely shop", 5)}, 10'000))->inserted == 1);

  AnnotatedMention edited = Complaint(StarReview("r1", "They never refunded me", 1));
  edited.mention.edited_at = 9'000;
  auto summary = store->CommitPoll(Batch({edited}, 20'000));
  REQUIRE(summary.ok());
  CHECK(summary->inserted == 0);
  CHECK(summary->edited == 1);
  CHECK(summary->duplicates == 0);
  CHECK(summary->flagged == 1);
  CHECK(summary->cases_opened == 1);
  CHECK(summary->alerts_queued == 1);

  StoredMention m = Only(*store);
  CHECK(m.annotated.mention.text == "They never refunded me");
  CHECK(m.annotated.mention.rating == 1);
  CHECK(m.annotated.mention.edited_at == 9'000);
  CHECK(m.annotated.flagged);
  REQUIRE(m.annotated.labels.size() == 1);
  CHECK(m.annotated.labels[0].name == "negative");
  REQUIRE(m.revisions.size() == 1);
  CHECK(m.revisions[0].text == "Lovely shop");
  CHECK(m.revisions[0].rating == 5);
  CHECK(m.revisions[0].edited_at == 0);
  CHECK_FALSE(m.revisions[0].flagged);
  CHECK(m.revisions[0].replaced_at == 20'000);
  // The new text is what search finds.
  MentionQuery q;
  q.text_search = "refunded";
  CHECK(store->ListMentions(q)->size() == 1);
  q.text_search = "lovely";
  CHECK(store->ListMentions(q)->empty());

  SECTION("the same edit read again changes nothing and alerts nobody") {
    auto again = store->CommitPoll(Batch({edited}, 30'000));
    REQUIRE(again.ok());
    CHECK(again->edited == 0);
    CHECK(again->duplicates == 1);
    CHECK(again->flagged == 0);
    CHECK(again->cases_opened + again->cases_updated == 0);
    CHECK(again->alerts_queued == 0);
    CHECK(Only(*store).revisions.size() == 1);
    CHECK(*store->OutboxDepth() == 1);
  }
  SECTION("a second edit of a complaint keeps its case and does not alert its rule again") {
    AnnotatedMention worse = Complaint(StarReview("r1", "They never refunded me. Avoid!", 1));
    worse.mention.edited_at = 25'000;
    auto again = store->CommitPoll(Batch({worse}, 30'000));
    REQUIRE(again.ok());
    CHECK(again->edited == 1);
    CHECK(again->flagged == 0);  // it was flagged already
    CHECK(again->cases_opened + again->cases_updated == 0);
    CHECK(again->alerts_queued == 0);
    CHECK(store->ListCases({})->size() == 1);
    StoredMention m2 = Only(*store);
    REQUIRE(m2.revisions.size() == 2);
    CHECK(m2.revisions[1].text == "They never refunded me");
    CHECK(m2.revisions[1].flagged);
    CHECK(m2.revisions[1].edited_at == 9'000);
  }
  SECTION("an older copy of the review than the stored edit is ignored") {
    AnnotatedMention stale = StarReview("r1", "Lovely shop, mostly", 4);
    stale.mention.edited_at = 5'000;
    auto again = store->CommitPoll(Batch({stale}, 30'000));
    CHECK(again->edited == 0);
    CHECK(Only(*store).annotated.mention.text == "They never refunded me");
  }
}

TEST_CASE("store: an edited mention's stored version is not in its author's history") {
  TempDir dir;
  auto store = Open(dir.File("earshot.db"));
  REQUIRE(
      store->CommitPoll(Batch({StarReview("r1", "Bad", 1), StarReview("r2", "Worse", 1)}, 10'000))
          .ok());
  Author author;
  author.handle = "@r1";
  CHECK(store->LoadAuthorActivity("trustpilot", author, 0)->mentions_at.size() == 1);
  CHECK(store->LoadAuthorActivity("trustpilot", author, 0, "reviews", "r1")->mentions_at.empty());
  CHECK(store->LoadAuthorActivity("trustpilot", author, 0, "other", "r1")->mentions_at.size() == 1);
}

TEST_CASE("store: an edit without an edit time is dated by its fetch") {
  TempDir dir;
  auto store = Open(dir.File("earshot.db"));
  REQUIRE(store->CommitPoll(Batch({StarReview("r1", "Fine", 4)}, 10'000)).ok());
  AnnotatedMention edited = StarReview("r1", "Fine", 2);  // only the stars changed
  edited.mention.fetched_at = 15'000;
  CHECK(store->CommitPoll(Batch({edited}, 20'000))->edited == 1);
  StoredMention m = Only(*store);
  CHECK(m.annotated.mention.edited_at == 15'000);
  CHECK(m.revisions.size() == 1);
}

TEST_CASE("store: new engagement counts update the mention and nothing else") {
  TempDir dir;
  auto store = Open(dir.File("earshot.db"));
  REQUIRE(store->CommitPoll(Batch({StarReview("r1", "Great", 5)}, 10'000)).ok());
  AnnotatedMention liked = StarReview("r1", "Great", 5);
  liked.mention.engagement = {12, 3, 1};
  liked.labels.clear();  // a re-read's labels are not stored again
  auto summary = store->CommitPoll(Batch({liked}, 20'000));
  REQUIRE(summary.ok());
  CHECK(summary->edited == 0);
  CHECK(summary->duplicates == 1);
  CHECK(summary->engagement_updated == 1);
  StoredMention m = Only(*store);
  CHECK(m.annotated.mention.engagement.likes == 12);
  CHECK(m.annotated.mention.engagement.replies == 3);
  CHECK(m.annotated.mention.engagement.shares == 1);
  CHECK(m.annotated.mention.edited_at == 0);
  CHECK(m.annotated.labels.size() == 1);
  CHECK(m.revisions.empty());
  CHECK(store->CommitPoll(Batch({liked}, 30'000))->engagement_updated == 0);
}

TEST_CASE("store: a deletion marks the stored mention and keeps its text") {
  TempDir dir;
  auto store = Open(dir.File("earshot.db"));
  REQUIRE(store->CommitPoll(Batch({StarReview("r1", "Terrible service", 1)}, 10'000)).ok());

  AnnotatedMention gone;
  gone.mention.platform = "reddit";
  gone.mention.external_id = "r1";
  gone.mention.text = "[deleted]";
  gone.mention.deleted = true;
  AnnotatedMention never_seen = gone;
  never_seen.mention.external_id = "r2";
  auto summary = store->CommitPoll(Batch({gone, never_seen}, 20'000));
  REQUIRE(summary.ok());
  CHECK(summary->deleted == 1);
  CHECK(summary->deleted_unknown == 1);
  CHECK(summary->inserted == 0);
  CHECK(*store->CountMentions(false) == 1);

  StoredMention m = Only(*store);
  CHECK(m.annotated.mention.deleted);
  CHECK(m.deleted_at == 20'000);
  CHECK(m.annotated.mention.text == "Terrible service");

  auto again = store->CommitPoll(Batch({gone}, 30'000));
  CHECK(again->deleted == 0);
  CHECK(Only(*store).deleted_at == 20'000);

  // Restored on the platform (a moderator approved it): no longer deleted.
  REQUIRE(store->CommitPoll(Batch({StarReview("r1", "Terrible service", 1)}, 40'000)).ok());
  CHECK_FALSE(Only(*store).deleted_at);
}

TEST_CASE("store: a version 4 database with mentions migrates to edits and deletions") {
  TempDir dir;
  const std::string path = dir.File("v4.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    REQUIRE(MigrateSchema(db, 4).ok());
    db.exec(R"sql(
      INSERT INTO mentions (id, source, platform, external_id, title, text, rating, stored_at,
                            content_hash, flagged, flag_reason)
      VALUES (7, 'reviews', 'trustpilot', 'r1', 'Ok', 'Fine shop', 4, 1000, 'h', 0, '');
      INSERT INTO mentions_fts(mentions_fts) VALUES ('rebuild');
      INSERT INTO labels (mention_id, kind, name, score) VALUES (7, 'sentiment', 'positive', 0.8);
    )sql");
  }
  auto store = Open(path);
  {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    CHECK(db.execAndGet("PRAGMA user_version").getInt() == LatestSchemaVersion());
    CHECK(db.tableExists("mention_revisions"));
  }
  StoredMention m = Only(*store);
  CHECK(m.id == 7);
  CHECK(m.annotated.mention.text == "Fine shop");
  CHECK(m.annotated.mention.edited_at == 0);
  CHECK_FALSE(m.deleted_at);
  CHECK(m.annotated.labels.size() == 1);

  AnnotatedMention edited = StarReview("r1", "Rude staff", 1);
  edited.mention.title = "Ok";
  auto summary = store->CommitPoll(Batch({edited}, 20'000));
  REQUIRE(summary.ok());
  CHECK(summary->edited == 1);
  m = Only(*store);
  CHECK(m.id == 7);
  REQUIRE(m.revisions.size() == 1);
  CHECK(m.revisions[0].text == "Fine shop");
}
