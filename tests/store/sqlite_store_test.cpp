// The SQLite store on real files.
#include "store/sqlite_store.h"

#include <SQLiteCpp/Database.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <random>
#include <set>
#include <thread>

#include "store/migrations.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

AnnotatedMention Make(const std::string& id, const std::string& text, bool flagged = false) {
  AnnotatedMention a;
  a.mention.platform = "jsonl";
  a.mention.external_id = id;
  a.mention.text = text;
  a.mention.author.handle = "@" + id;
  a.flagged = flagged;
  if (flagged) a.flag_reason = "label refund";
  return a;
}

PollCommit Batch(const std::string& source, std::vector<AnnotatedMention> mentions,
                 const std::string& cursor = "") {
  PollCommit c;
  c.source = source;
  c.kind = "jsonl";
  c.next_cursor.position = cursor;
  c.mentions = std::move(mentions);
  return c;
}

std::unique_ptr<Store> Open(const std::string& path) {
  auto s = OpenSqliteStore(path);
  INFO(s.status().ToString());
  REQUIRE(s.ok());
  return std::move(s).value();
}

}  // namespace

TEST_CASE("store: every field and label survives the round trip") {
  TempDir dir;
  auto store = Open(dir.File("db/earshot.db"));
  AnnotatedMention a = Make("m1", "Верните деньги, please", true);
  Mention& m = a.mention;
  m.url = "https://x.example/1";
  m.author = {"u-9", "@olga", "Olga P.", 1200, "https://x.example/u/olga"};
  m.title = "Refund";
  m.lang = "ru";
  m.rating = 1.5;
  m.created_at = 1795506240000;
  m.fetched_at = 1795506241000;
  m.thread_id = "t-1";
  m.parent_id = "p-1";
  m.engagement = {3, 4, 5};
  m.raw = "{\"raw\":true}";
  a.labels = {{"pattern",
               "refund",
               1.0,
               {{"pattern:refund#1", {0, 27}, "", 0}, {"p", {0, 6}, "title", 0.5}}},
              {"sentiment", "negative", -0.8, {}}};
  auto summary = store->CommitPoll(Batch("samples", {a}, "dev:1:ino:2:off:30"));
  REQUIRE(summary.ok());
  CHECK(summary->inserted == 1);
  CHECK(summary->flagged == 1);

  auto rows = store->ListMentions({});
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  const StoredMention& row = rows->front();
  const Mention& back = row.annotated.mention;
  CHECK(back.source == "samples");
  CHECK(back.external_id == "m1");
  CHECK(back.text == m.text);
  CHECK(back.title == "Refund");
  CHECK(back.author.id == "u-9");
  CHECK(back.author.handle == "@olga");
  CHECK(back.author.name == "Olga P.");
  CHECK(back.author.followers == 1200);
  CHECK(back.author.profile_url == m.author.profile_url);
  CHECK(back.lang == "ru");
  CHECK(back.rating == 1.5);
  CHECK(back.created_at == m.created_at);
  CHECK(back.fetched_at == m.fetched_at);
  CHECK(back.thread_id == "t-1");
  CHECK(back.parent_id == "p-1");
  CHECK(back.engagement.shares == 5);
  CHECK(back.raw == m.raw);
  CHECK(row.annotated.flagged);
  CHECK(row.annotated.flag_reason == "label refund");
  REQUIRE(row.annotated.labels.size() == 2);
  const Label& label = row.annotated.labels[0];
  CHECK(label.name == "refund");
  REQUIRE(label.evidence.size() == 2);
  CHECK(label.evidence[0].span == Span{0, 27});
  CHECK(label.evidence[1].field == "title");
  CHECK(label.evidence[1].weight == 0.5);
  CHECK(row.annotated.labels[1].score == -0.8);

  auto one = store->GetMention(row.id);
  REQUIRE(one.ok());
  REQUIRE(one->has_value());
  CHECK((*one)->annotated.labels.size() == 2);
  CHECK_FALSE(store->GetMention(row.id + 100)->has_value());
}

TEST_CASE("store: committing the same batch twice stores it once") {
  TempDir dir;
  auto store = Open(dir.File("earshot.db"));
  auto batch = Batch("s", {Make("1", "one"), Make("2", "two", true)}, "c1");
  CHECK(store->CommitPoll(batch)->inserted == 2);
  auto again = store->CommitPoll(batch);
  REQUIRE(again.ok());
  CHECK(again->inserted == 0);
  CHECK(again->duplicates == 2);
  CHECK(again->flagged == 0);
  CHECK(*store->CountMentions(false) == 2);
  CHECK(*store->CountMentions(true) == 1);
  // The same id from another source is another mention.
  CHECK(store->CommitPoll(Batch("other", {Make("1", "one")}))->inserted == 1);
}

TEST_CASE("store: the cursor and poll state survive closing and reopening the file") {
  TempDir dir;
  const std::string path = dir.File("earshot.db");
  {
    auto store = Open(path);
    PollCommit c = Batch("feed", {Make("1", "x")});
    c.next_cursor = {"p-7", "\"etag\"", "Fri, 20 Nov 2026 10:00:00 GMT"};
    REQUIRE(store->CommitPoll(c).ok());
    REQUIRE(store->RecordPollFailure("feed", "rss", "HTTP 500", 1000).ok());
    REQUIRE(store->RecordPollFailure("feed", "rss", "HTTP 502", 2000).ok());
  }
  auto store = Open(path);
  auto state = store->LoadSourceState("feed");
  REQUIRE(state.ok());
  CHECK(state->cursor.position == "p-7");
  CHECK(state->cursor.etag == "\"etag\"");
  CHECK(state->cursor.last_modified == "Fri, 20 Nov 2026 10:00:00 GMT");
  CHECK(state->consecutive_failures == 2);
  CHECK(state->last_error == "HTTP 502");
  CHECK(state->mention_count == 1);
  CHECK(state->last_success_at > 0);

  REQUIRE(store->CommitPoll(Batch("feed", {}, "p-8")).ok());
  state = store->LoadSourceState("feed");
  CHECK(state->consecutive_failures == 0);
  CHECK(state->last_error.empty());
  CHECK(state->cursor.position == "p-8");

  auto fresh = store->LoadSourceState("never-polled");
  REQUIRE(fresh.ok());
  CHECK(fresh->cursor.position.empty());
  CHECK(store->ListSources()->size() == 1);
}

TEST_CASE("store: a database from a newer earshot or not SQLite at all is refused") {
  TempDir dir;
  const std::string newer = dir.File("newer.db");
  {
    SQLite::Database db(newer, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA user_version = " + std::to_string(LatestSchemaVersion() + 5));
  }
  auto refused = OpenSqliteStore(newer);
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.status().message(), Catch::Contains("is newer than this earshot"));

  const std::string text = dir.Write("notes.db", "these are my notes, not a database\n");
  auto garbage = OpenSqliteStore(text);
  REQUIRE_FALSE(garbage.ok());
  CHECK_THAT(garbage.status().message(), Catch::Contains("not a database"));
  CHECK(ReadFile(text) == "these are my notes, not a database\n");

  // An empty file is a new database.
  dir.Write("empty.db", "");
  CHECK(OpenSqliteStore(dir.File("empty.db")).ok());
  SQLite::Database db(dir.File("empty.db"));
  CHECK(db.execAndGet("PRAGMA user_version").getInt() == LatestSchemaVersion());
  CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
}

TEST_CASE("store: filters search and paging") {
  TempDir dir;
  auto store = Open(dir.File("earshot.db"));
  std::vector<AnnotatedMention> batch;
  for (int i = 0; i < 30; ++i) {
    auto a = Make(std::to_string(i), "message number " + std::to_string(i), i % 3 == 0);
    if (i % 3 == 0) a.labels.push_back({"pattern", "refund", 1, {}});
    batch.push_back(a);
  }
  batch.push_back(Make("ru", "Интернет не работает уже два дня"));
  batch.push_back(Make("pl", "Przesyłka dotarła uszkodzona, źle zapakowana"));
  batch.push_back(Make("de", "Größte Enttäuschung: die Lieferung kam nie an"));
  REQUIRE(store->CommitPoll(Batch("a", batch)).ok());
  REQUIRE(store->CommitPoll(Batch("b", {Make("b1", "from b")})).ok());

  MentionQuery flagged;
  flagged.flagged_only = true;
  CHECK(store->ListMentions(flagged)->size() == 10);
  MentionQuery by_label;
  by_label.label = "refund";
  CHECK(store->ListMentions(by_label)->size() == 10);
  MentionQuery by_source;
  by_source.source = "b";
  CHECK(store->ListMentions(by_source)->size() == 1);

  MentionQuery page;
  page.limit = 20;
  auto first = store->ListMentions(page);
  REQUIRE(first->size() == 20);
  CHECK(first->front().id > first->back().id);
  page.before_id = first->back().id;
  auto second = store->ListMentions(page);
  CHECK(second->size() == 14);
  CHECK(second->front().id < first->back().id);

  MentionQuery search;
  search.text_search = "работает";
  REQUIRE(store->ListMentions(search)->size() == 1);
  search.text_search = "przesyłka";
  CHECK(store->ListMentions(search)->size() == 1);
  search.text_search = "zle";  // diacritics folded: ź
  CHECK(store->ListMentions(search)->size() == 1);
  search.text_search = "ENTTAUSCHUNG";  // and ä, in any case
  CHECK(store->ListMentions(search)->size() == 1);
  search.text_search = "\"unbalanced";
  auto bad = store->ListMentions(search);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == Status::Code::kInvalidArgument);
}

TEST_CASE("store: the same complaint from another source is marked as a cross-post") {
  TempDir dir;
  auto store = Open(dir.File("earshot.db"));
  const std::string text = "My Voltwave internet is down again since Monday";
  REQUIRE(store->CommitPoll(Batch("x", {Make("1", text)})).ok());
  auto second = store->CommitPoll(Batch("mastodon", {Make("9", "RT @maria: " + text)}));
  REQUIRE(second.ok());
  CHECK(second->inserted == 1);
  CHECK(second->cross_posts == 1);
  auto rows = store->ListMentions({});
  REQUIRE(rows->size() == 2);
  CHECK(rows->front().duplicate_of == rows->back().id);
  CHECK(store->CommitPoll(Batch("y", {Make("2", "thanks!")}))->cross_posts == 0);
}

TEST_CASE("store: sources committing from several threads at once lose nothing") {
  TempDir dir;
  auto store = Open(dir.File("earshot.db"));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int b = 0; b < 25; ++b) {
        std::vector<AnnotatedMention> batch;
        for (int i = 0; i < 10; ++i)
          batch.push_back(Make(std::to_string(b * 10 + i), "x"));
        REQUIRE(store->CommitPoll(Batch("s" + std::to_string(t), batch, std::to_string(b))).ok());
      }
    });
  }
  for (auto& th : threads)
    th.join();
  CHECK(*store->CountMentions(false) == 1000);
  for (int t = 0; t < 4; ++t) {
    CHECK(store->LoadSourceState("s" + std::to_string(t))->cursor.position == "24");
  }
}

TEST_CASE("store: killing the writer at any instant loses and duplicates nothing") {
  TempDir dir;
  const std::string path = dir.File("crash.db");
  std::mt19937 rng(12345);
  for (int round = 0; round < 5; ++round) {
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      auto store = OpenSqliteStore(path);
      if (!store.ok()) _exit(3);
      auto state = (*store)->LoadSourceState("s");
      int next = state->cursor.position.empty() ? 0 : std::stoi(state->cursor.position);
      for (int b = next;; ++b) {
        std::vector<AnnotatedMention> batch;
        for (int i = 0; i < 20; ++i) {
          batch.push_back(Make(std::to_string(b * 20 + i), "batch " + std::to_string(b)));
        }
        if (!(*store)->CommitPoll(Batch("s", batch, std::to_string(b + 1))).ok()) _exit(4);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(30 + rng() % 120));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    REQUIRE(WIFSIGNALED(status));

    auto store = Open(path);
    auto state = store->LoadSourceState("s");
    REQUIRE(state.ok());
    const int batches = state->cursor.position.empty() ? 0 : std::stoi(state->cursor.position);
    // The cursor says exactly how many whole batches are stored: no partial batch, no repeat.
    CHECK(*store->CountMentions(false) == batches * 20);
    CHECK(state->mention_count == batches * 20);
  }
}
