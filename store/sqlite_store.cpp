#include "store/sqlite_store.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>

#include "core/content_hash.h"
#include "store/author_key.h"
#include "store/evidence_codec.h"
#include "store/migrations.h"
#include "store/outbox_payload.h"
#include "store/sqlite_cases.h"
#include "store/sqlite_customers.h"
#include "store/sqlite_outbox.h"
#include "store/sqlite_reviews.h"
#include "store/sqlite_revisions.h"
#include "store/sqlite_silences.h"
#include "store/sqlite_stats.h"

namespace earshot {
namespace {

constexpr int64_t kCrossPostWindowMs = 7LL * 24 * 3600 * 1000;
constexpr size_t kMinCrossPostChars = 20;  // "thanks!" twice is not a cross-post
constexpr size_t kMaxListLimit = 1000;

// Every SQLite failure enters our code here, with what we were doing.
template <typename F>
auto Guard(const char* what, F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const SQLite::Exception& e) {
    return Status::IoError(std::string(what) + ": " + e.what());
  } catch (const std::exception& e) {
    return Status::IoError(std::string(what) + ": " + e.what());
  }
}

class SqliteStore : public Store {
 public:
  explicit SqliteStore(const std::string& path)
      : db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX, 5000) {}

  Status Init() {
    return Guard("opening the store", [&]() -> Status {
      // A non-SQLite file fails here, before anything is written to it.
      db_.execAndGet("SELECT count(*) FROM sqlite_master");
      db_.exec("PRAGMA journal_mode = WAL");
      db_.exec("PRAGMA synchronous = NORMAL");
      db_.exec("PRAGMA foreign_keys = ON");
      if (Status s = MigrateSchema(db_); !s.ok()) return s;
      PrepareHotStatements();
      return Status::Ok();
    });
  }

  Result<SourceState> LoadSourceState(const std::string& source) override {
    std::lock_guard lock(mu_);
    return Guard("loading source state", [&]() -> Result<SourceState> {
      SQLite::Statement q(db_, std::string(kSourceColumns) + " WHERE name = ?");
      q.bind(1, source);
      if (q.executeStep()) return ReadSource(q);
      SourceState fresh;
      fresh.name = source;
      return fresh;
    });
  }

  Result<std::vector<SourceState>> ListSources() override {
    std::lock_guard lock(mu_);
    return Guard("listing sources", [&]() -> Result<std::vector<SourceState>> {
      SQLite::Statement q(db_, std::string(kSourceColumns) + " ORDER BY name");
      std::vector<SourceState> out;
      while (q.executeStep())
        out.push_back(ReadSource(q));
      return out;
    });
  }

  Status RecordPollFailure(const std::string& source, const std::string& kind,
                           const std::string& error, UnixMillis at) override {
    std::lock_guard lock(mu_);
    return Guard("recording a poll failure", [&]() -> Status {
      SQLite::Statement q(db_, R"sql(
        INSERT INTO sources (name, kind, last_poll_at, consecutive_failures, last_error)
        VALUES (?1, ?2, ?3, 1, ?4)
        ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, last_poll_at = excluded.last_poll_at,
          consecutive_failures = consecutive_failures + 1, last_error = excluded.last_error)sql");
      q.bind(1, source);
      q.bind(2, kind);
      q.bind(3, static_cast<int64_t>(at));
      q.bind(4, error);
      q.exec();
      return Status::Ok();
    });
  }

  Result<CommitSummary> CommitPoll(const PollCommit& commit) override {
    std::lock_guard lock(mu_);
    return Guard("committing a poll", [&]() -> Result<CommitSummary> {
      CommitSummary summary;
      SQLite::Transaction tx(db_);
      const UnixMillis now = commit.polled_at ? commit.polled_at : NowMillis();
      for (const auto& annotated : commit.mentions)
        CommitMention(commit, annotated, now, &summary);
      SQLite::Statement src(db_, R"sql(
        INSERT INTO sources (name, kind, cursor_position, cursor_etag, cursor_last_modified,
                             last_poll_at, last_success_at, consecutive_failures, last_error,
                             mention_count)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, 0, '', ?7)
        ON CONFLICT(name) DO UPDATE SET kind = excluded.kind,
          cursor_position = excluded.cursor_position, cursor_etag = excluded.cursor_etag,
          cursor_last_modified = excluded.cursor_last_modified,
          last_poll_at = excluded.last_poll_at, last_success_at = excluded.last_success_at,
          consecutive_failures = 0, last_error = '',
          mention_count = mention_count + excluded.mention_count)sql");
      src.bind(1, commit.source);
      src.bind(2, commit.kind);
      src.bind(3, commit.next_cursor.position);
      src.bind(4, commit.next_cursor.etag);
      src.bind(5, commit.next_cursor.last_modified);
      src.bind(6, static_cast<int64_t>(now));
      src.bind(7, summary.inserted);
      src.exec();
      tx.commit();
      return summary;
    });
  }

  Result<std::vector<StoredMention>> ListMentions(const MentionQuery& query) override {
    std::lock_guard lock(mu_);
    return Guard("listing mentions", [&]() -> Result<std::vector<StoredMention>> {
      if (!query.text_search.empty()) {
        if (Status s = CheckSearchSyntax(query.text_search); !s.ok()) return s;
      }
      std::string sql = std::string(kMentionColumns) + " WHERE 1 = 1";
      if (query.flagged_only) sql += " AND m.flagged = 1";
      if (query.since) sql += " AND m.stored_at >= :since";
      if (!query.source.empty()) sql += " AND m.source = :source";
      if (query.before_id) sql += " AND m.id < :before";
      if (!query.label.empty()) {
        sql += " AND EXISTS (SELECT 1 FROM labels l WHERE l.mention_id = m.id AND l.name = :label)";
      }
      if (!query.text_search.empty()) {
        sql += " AND m.id IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH :search)";
      }
      if (!query.intent.empty()) {
        sql +=
            " AND EXISTS (SELECT 1 FROM labels l WHERE l.mention_id = m.id AND "
            "l.kind = 'intent' AND l.name = :intent)";
      }
      if (!query.lang.empty()) {
        sql +=
            " AND (m.lang = :lang OR EXISTS (SELECT 1 FROM labels l WHERE l.mention_id = m.id "
            "AND l.kind = 'language' AND l.name = :lang))";
      }
      if (query.unreviewed_only) {
        sql += " AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.mention_id = m.id)";
      }
      if (query.same_author_as) {
        sql +=
            " AND m.author_id = (SELECT author_id FROM mentions WHERE id = :same) "
            "AND m.id != :same";
      }
      sql += " ORDER BY m.id DESC LIMIT :limit";
      SQLite::Statement q(db_, sql);
      if (query.since) q.bind(":since", static_cast<int64_t>(query.since));
      if (!query.source.empty()) q.bind(":source", query.source);
      if (query.before_id) q.bind(":before", static_cast<int64_t>(query.before_id));
      if (!query.label.empty()) q.bind(":label", query.label);
      if (!query.text_search.empty()) q.bind(":search", query.text_search);
      if (!query.intent.empty()) q.bind(":intent", query.intent);
      if (!query.lang.empty()) q.bind(":lang", query.lang);
      if (query.same_author_as) q.bind(":same", static_cast<int64_t>(query.same_author_as));
      q.bind(":limit",
             static_cast<int64_t>(std::min(query.limit ? query.limit : 100, kMaxListLimit)));
      std::vector<StoredMention> out;
      while (q.executeStep())
        out.push_back(ReadMention(q));
      LoadLabels(&out);
      return out;
    });
  }

  Result<std::optional<StoredMention>> GetMention(int64_t id) override {
    std::lock_guard lock(mu_);
    return Guard("reading a mention", [&]() -> Result<std::optional<StoredMention>> {
      SQLite::Statement q(db_, std::string(kMentionColumns) + " WHERE m.id = ?");
      q.bind(1, static_cast<int64_t>(id));
      if (!q.executeStep()) return std::optional<StoredMention>();
      std::vector<StoredMention> one{ReadMention(q)};
      LoadLabels(&one);
      one.front().revisions = sqlite_revisions::ForMention(db_, id);
      return std::optional<StoredMention>(std::move(one.front()));
    });
  }

  Result<int64_t> CountMentions(bool flagged_only) override {
    std::lock_guard lock(mu_);
    return Guard("counting mentions", [&]() -> Result<int64_t> {
      return db_
          .execAndGet(flagged_only ? "SELECT count(*) FROM mentions WHERE flagged = 1"
                                   : "SELECT count(*) FROM mentions")
          .getInt64();
    });
  }

 private:
  static constexpr const char* kSourceColumns =
      "SELECT name, kind, cursor_position, cursor_etag, cursor_last_modified, last_poll_at, "
      "last_success_at, consecutive_failures, last_error, mention_count FROM sources";
  static constexpr const char* kMentionColumns =
      "SELECT m.id, m.source, m.platform, m.external_id, m.url, m.title, m.text, m.lang, "
      "m.rating, m.created_at, m.fetched_at, m.stored_at, m.thread_id, m.parent_id, m.likes, "
      "m.replies, m.shares, m.raw, m.content_hash, m.duplicate_of, m.flagged, m.flag_reason, "
      "a.external_id, a.handle, a.name, a.followers, a.profile_url, m.edited_at, m.deleted_at "
      "FROM mentions m LEFT JOIN authors a ON a.id = m.author_id";

  // The per-mention statements, prepared once: ingestion runs them thousands of times a second.
  void PrepareHotStatements() {
    upsert_author_ = std::make_unique<SQLite::Statement>(db_, R"sql(
      INSERT INTO authors (platform, author_key, external_id, handle, name, followers, profile_url,
                           first_seen, last_seen)
      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
      ON CONFLICT(platform, author_key) DO UPDATE SET
        handle = CASE WHEN excluded.handle != '' THEN excluded.handle ELSE handle END,
        name = CASE WHEN excluded.name != '' THEN excluded.name ELSE name END,
        followers = coalesce(excluded.followers, followers),
        profile_url = CASE WHEN excluded.profile_url != '' THEN excluded.profile_url ELSE profile_url END,
        last_seen = excluded.last_seen
      RETURNING id)sql");
    find_cross_post_ = std::make_unique<SQLite::Statement>(
        db_,
        "SELECT id FROM mentions WHERE content_hash = ?1 AND stored_at >= ?2 "
        "AND NOT (source = ?3 AND external_id = ?4) ORDER BY id LIMIT 1");
    insert_mention_ = std::make_unique<SQLite::Statement>(db_, R"sql(
      INSERT INTO mentions (source, platform, external_id, url, author_id, title, text, lang,
        rating, created_at, fetched_at, stored_at, thread_id, parent_id, likes, replies, shares,
        raw, content_hash, duplicate_of, flagged, flag_reason, edited_at)
      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
              ?19, ?20, ?21, ?22, ?23)
      ON CONFLICT(source, external_id) DO NOTHING
      RETURNING id)sql");
    find_stored_ = std::make_unique<SQLite::Statement>(db_, R"sql(
      SELECT id, title, text, rating, edited_at, flagged, flag_reason, deleted_at, likes, replies,
             shares
      FROM mentions WHERE source = ?1 AND external_id = ?2)sql");
    insert_label_ = std::make_unique<SQLite::Statement>(
        db_,
        "INSERT INTO labels (mention_id, kind, name, score, evidence) VALUES (?1, ?2, ?3, ?4, ?5)");
  }

  // Makes a cached statement ready for new bindings.
  static SQLite::Statement& Fresh(std::unique_ptr<SQLite::Statement>& s) {
    s->reset();
    s->clearBindings();
    return *s;
  }

  // A user's search text is FTS5 syntax; its mistakes are theirs to fix, not a store failure.
  Status CheckSearchSyntax(const std::string& search) {
    try {
      SQLite::Statement q(db_, "SELECT 1 FROM mentions_fts WHERE mentions_fts MATCH ? LIMIT 1");
      q.bind(1, search);
      q.executeStep();
    } catch (const SQLite::Exception& e) {
      return Status::InvalidArgument(std::string("search query: ") + e.what());
    }
    return Status::Ok();
  }

  static SourceState ReadSource(SQLite::Statement& q) {
    SourceState s;
    s.name = q.getColumn(0).getString();
    s.kind = q.getColumn(1).getString();
    s.cursor.position = q.getColumn(2).getString();
    s.cursor.etag = q.getColumn(3).getString();
    s.cursor.last_modified = q.getColumn(4).getString();
    s.last_poll_at = q.getColumn(5).getInt64();
    s.last_success_at = q.getColumn(6).getInt64();
    s.consecutive_failures = q.getColumn(7).getInt();
    s.last_error = q.getColumn(8).getString();
    s.mention_count = q.getColumn(9).getInt64();
    return s;
  }

  static StoredMention ReadMention(SQLite::Statement& q) {
    StoredMention row;
    row.id = q.getColumn(0).getInt64();
    Mention& m = row.annotated.mention;
    m.source = q.getColumn(1).getString();
    m.platform = q.getColumn(2).getString();
    m.external_id = q.getColumn(3).getString();
    m.url = q.getColumn(4).getString();
    m.title = q.getColumn(5).getString();
    m.text = q.getColumn(6).getString();
    m.lang = q.getColumn(7).getString();
    if (!q.getColumn(8).isNull()) m.rating = q.getColumn(8).getDouble();
    m.created_at = q.getColumn(9).getInt64();
    m.fetched_at = q.getColumn(10).getInt64();
    row.stored_at = q.getColumn(11).getInt64();
    m.thread_id = q.getColumn(12).getString();
    m.parent_id = q.getColumn(13).getString();
    m.engagement = {q.getColumn(14).getInt64(), q.getColumn(15).getInt64(),
                    q.getColumn(16).getInt64()};
    m.raw = q.getColumn(17).getString();
    row.content_hash = q.getColumn(18).getString();
    if (!q.getColumn(19).isNull()) row.duplicate_of = q.getColumn(19).getInt64();
    row.annotated.flagged = q.getColumn(20).getInt() != 0;
    row.annotated.flag_reason = q.getColumn(21).getString();
    m.author.id = q.getColumn(22).getString();
    m.author.handle = q.getColumn(23).getString();
    m.author.name = q.getColumn(24).getString();
    if (!q.getColumn(25).isNull()) m.author.followers = q.getColumn(25).getInt64();
    m.author.profile_url = q.getColumn(26).getString();
    m.edited_at = q.getColumn(27).getInt64();
    if (!q.getColumn(28).isNull()) row.deleted_at = q.getColumn(28).getInt64();
    m.deleted = row.deleted_at.has_value();
    return row;
  }

  // One query each for the labels and reviews of a whole page of mentions, not one per mention.
  void LoadLabels(std::vector<StoredMention>* rows) {
    if (rows->empty()) return;
    std::map<int64_t, StoredMention*> by_id;
    std::string ids;
    for (auto& row : *rows) {
      by_id[row.id] = &row;
      ids += (ids.empty() ? "" : ",") + std::to_string(row.id);
    }
    SQLite::Statement q(db_,
                        "SELECT mention_id, kind, name, score, evidence FROM labels "
                        "WHERE mention_id IN (" +
                            ids + ") ORDER BY rowid");
    while (q.executeStep()) {
      Label l;
      l.kind = q.getColumn(1).getString();
      l.name = q.getColumn(2).getString();
      l.score = q.getColumn(3).getDouble();
      l.evidence = EvidenceFromJson(q.getColumn(4).getString());
      by_id[q.getColumn(0).getInt64()]->annotated.labels.push_back(std::move(l));
    }
    std::vector<int64_t> id_list;
    for (const auto& [id, row] : by_id)
      id_list.push_back(id);
    for (auto& [id, reviews] : sqlite_reviews::ForMentions(db_, id_list))
      by_id[id]->reviews = std::move(reviews);
  }

  std::optional<int64_t> UpsertAuthor(const Mention& m, UnixMillis now) {
    const std::string key = AuthorKey(m.author);
    if (key.empty()) return std::nullopt;
    SQLite::Statement& q = Fresh(upsert_author_);
    q.bind(1, m.platform);
    q.bind(2, key);
    q.bind(3, m.author.id);
    q.bind(4, m.author.handle);
    q.bind(5, m.author.name);
    if (m.author.followers) q.bind(6, static_cast<int64_t>(*m.author.followers));
    q.bind(7, m.author.profile_url);
    q.bind(8, static_cast<int64_t>(now));
    q.executeStep();
    const int64_t id = q.getColumn(0).getInt64();
    q.reset();  // a cached statement left mid-row would block the COMMIT
    return id;
  }

  std::optional<int64_t> FindCrossPost(const PollCommit& commit, const Mention& m,
                                       const std::string& hash, UnixMillis now) {
    if (m.text.size() < kMinCrossPostChars) return std::nullopt;
    SQLite::Statement& q = Fresh(find_cross_post_);
    q.bind(1, hash);
    q.bind(2, static_cast<int64_t>(now - kCrossPostWindowMs));
    q.bind(3, commit.source);
    q.bind(4, m.external_id);
    std::optional<int64_t> found;
    if (q.executeStep()) found = q.getColumn(0).getInt64();
    q.reset();
    return found;
  }

  // A mention as stored under its source and external id: what tells an edit from a re-read.
  struct StoredVersion {
    int64_t id = 0;
    MentionRevision current;
    std::optional<UnixMillis> deleted_at;
    Engagement engagement;
  };

  std::optional<StoredVersion> FindStored(const std::string& source,
                                          const std::string& external_id) {
    SQLite::Statement& q = Fresh(find_stored_);
    q.bind(1, source);
    q.bind(2, external_id);
    if (!q.executeStep()) {
      q.reset();
      return std::nullopt;
    }
    StoredVersion v;
    v.id = q.getColumn(0).getInt64();
    v.current.title = q.getColumn(1).getString();
    v.current.text = q.getColumn(2).getString();
    if (!q.getColumn(3).isNull()) v.current.rating = q.getColumn(3).getDouble();
    v.current.edited_at = q.getColumn(4).getInt64();
    v.current.flagged = q.getColumn(5).getInt() != 0;
    v.current.flag_reason = q.getColumn(6).getString();
    if (!q.getColumn(7).isNull()) v.deleted_at = q.getColumn(7).getInt64();
    v.engagement = {q.getColumn(8).getInt64(), q.getColumn(9).getInt64(),
                    q.getColumn(10).getInt64()};
    q.reset();
    return v;
  }

  void CommitMention(const PollCommit& commit, const AnnotatedMention& annotated, UnixMillis now,
                     CommitSummary* summary) {
    const Mention& m = annotated.mention;
    if (m.deleted) {
      MarkDeleted(commit, m, now, summary);
      return;
    }
    // Inserting first keeps new mentions, the common case, at one statement.
    if (InsertMention(commit, annotated, now, summary)) return;
    if (auto stored = FindStored(commit.source, m.external_id)) {
      UpdateStored(*stored, annotated, now, summary);
    } else {
      ++summary->duplicates;
    }
  }

  void MarkDeleted(const PollCommit& commit, const Mention& m, UnixMillis now,
                   CommitSummary* summary) {
    auto stored = FindStored(commit.source, m.external_id);
    if (!stored) {
      ++summary->deleted_unknown;
      return;
    }
    if (stored->deleted_at) {
      ++summary->duplicates;
      return;
    }
    SQLite::Statement q(db_, "UPDATE mentions SET deleted_at = ? WHERE id = ?");
    q.bind(1, static_cast<int64_t>(now));
    q.bind(2, static_cast<int64_t>(stored->id));
    q.exec();
    ++summary->deleted;
  }

  void UpdateStored(const StoredVersion& stored, const AnnotatedMention& annotated, UnixMillis now,
                    CommitSummary* summary) {
    const Mention& m = annotated.mention;
    const MentionRevision& old = stored.current;
    // A version older than the stored edit is a stale copy (a cache, a lagging replica).
    const bool stale = m.edited_at > 0 && m.edited_at < old.edited_at;
    const bool changed = m.title != old.title || m.text != old.text || m.rating != old.rating;
    if (stale || !changed) {
      ++summary->duplicates;
      if (!stale) Refresh(stored, m, summary);
      return;
    }
    MentionRevision previous = old;
    previous.replaced_at = now;
    sqlite_revisions::Add(db_, stored.id, previous);
    // A platform that does not date its edits: the edit happened by the time it was fetched.
    const UnixMillis edited_at =
        std::max(old.edited_at, m.edited_at ? m.edited_at : (m.fetched_at ? m.fetched_at : now));
    SQLite::Statement q(db_, R"sql(
      UPDATE mentions SET url = ?1, title = ?2, text = ?3, lang = ?4, rating = ?5, edited_at = ?6,
        fetched_at = ?7, likes = ?8, replies = ?9, shares = ?10, raw = ?11, content_hash = ?12,
        flagged = ?13, flag_reason = ?14, deleted_at = NULL
      WHERE id = ?15)sql");
    q.bind(1, m.url);
    q.bind(2, m.title);
    q.bind(3, m.text);
    q.bind(4, m.lang);
    if (m.rating) q.bind(5, *m.rating);
    q.bind(6, static_cast<int64_t>(edited_at));
    q.bind(7, static_cast<int64_t>(m.fetched_at));
    q.bind(8, static_cast<int64_t>(m.engagement.likes));
    q.bind(9, static_cast<int64_t>(m.engagement.replies));
    q.bind(10, static_cast<int64_t>(m.engagement.shares));
    q.bind(11, m.raw);
    q.bind(12, ContentHash(m.title + " " + m.text));
    q.bind(13, annotated.flagged ? 1 : 0);
    q.bind(14, annotated.flag_reason);
    q.bind(15, static_cast<int64_t>(stored.id));
    q.exec();
    SQLite::Statement clear(db_, "DELETE FROM labels WHERE mention_id = ?");
    clear.bind(1, static_cast<int64_t>(stored.id));
    clear.exec();
    InsertLabels(stored.id, annotated.labels);
    ++summary->edited;
    if (annotated.flagged && !old.flagged) ++summary->flagged;
    RunActions(annotated, stored.id, /*edited=*/true, now, summary);
  }

  // The same version read again: new engagement counts, a later edit time, or back from deleted.
  void Refresh(const StoredVersion& stored, const Mention& m, CommitSummary* summary) {
    const bool engagement = m.engagement.likes != stored.engagement.likes ||
                            m.engagement.replies != stored.engagement.replies ||
                            m.engagement.shares != stored.engagement.shares;
    if (!engagement && m.edited_at <= stored.current.edited_at && !stored.deleted_at) return;
    if (engagement) ++summary->engagement_updated;
    SQLite::Statement q(db_, R"sql(
      UPDATE mentions SET likes = ?1, replies = ?2, shares = ?3, edited_at = max(edited_at, ?4),
                          deleted_at = NULL
      WHERE id = ?5)sql");
    q.bind(1, static_cast<int64_t>(m.engagement.likes));
    q.bind(2, static_cast<int64_t>(m.engagement.replies));
    q.bind(3, static_cast<int64_t>(m.engagement.shares));
    q.bind(4, static_cast<int64_t>(m.edited_at));
    q.bind(5, static_cast<int64_t>(stored.id));
    q.exec();
  }

  // False when the source already has a mention with this external id.
  bool InsertMention(const PollCommit& commit, const AnnotatedMention& annotated, UnixMillis now,
                     CommitSummary* summary) {
    const Mention& m = annotated.mention;
    const std::string hash = ContentHash(m.title + " " + m.text);
    std::optional<int64_t> author_id = UpsertAuthor(m, now);
    std::optional<int64_t> duplicate_of = FindCrossPost(commit, m, hash, now);
    SQLite::Statement& q = Fresh(insert_mention_);
    q.bind(1, commit.source);
    q.bind(2, m.platform);
    q.bind(3, m.external_id);
    q.bind(4, m.url);
    if (author_id) q.bind(5, *author_id);
    q.bind(6, m.title);
    q.bind(7, m.text);
    q.bind(8, m.lang);
    if (m.rating) q.bind(9, *m.rating);
    q.bind(10, static_cast<int64_t>(m.created_at));
    q.bind(11, static_cast<int64_t>(m.fetched_at));
    q.bind(12, static_cast<int64_t>(now));
    q.bind(13, m.thread_id);
    q.bind(14, m.parent_id);
    q.bind(15, static_cast<int64_t>(m.engagement.likes));
    q.bind(16, static_cast<int64_t>(m.engagement.replies));
    q.bind(17, static_cast<int64_t>(m.engagement.shares));
    q.bind(18, m.raw);
    q.bind(19, hash);
    if (duplicate_of) q.bind(20, *duplicate_of);
    q.bind(21, annotated.flagged ? 1 : 0);
    q.bind(22, annotated.flag_reason);
    q.bind(23, static_cast<int64_t>(m.edited_at));
    if (!q.executeStep()) {
      q.reset();
      return false;
    }
    const int64_t id = q.getColumn(0).getInt64();
    q.reset();
    ++summary->inserted;
    if (annotated.flagged) ++summary->flagged;
    if (duplicate_of) ++summary->cross_posts;
    InsertLabels(id, annotated.labels);
    RunActions(annotated, id, /*edited=*/false, now, summary);
    return true;
  }

  void InsertLabels(int64_t id, const std::vector<Label>& labels) {
    SQLite::Statement& label = Fresh(insert_label_);
    for (const auto& l : labels) {
      label.bind(1, id);
      label.bind(2, l.kind);
      label.bind(3, l.name);
      label.bind(4, l.score);
      label.bind(5, EvidenceToJson(l.evidence));
      label.exec();
      label.reset();
      label.clearBindings();
    }
  }

  // Cases and alerts only for a mention stored or edited now: a replayed poll must not repeat
  // them. An edited mention already in an open case stays there, and each rule alerts at most
  // once per mention (the outbox keys by mention, rule and channel).
  void RunActions(const AnnotatedMention& annotated, int64_t id, bool edited, UnixMillis now,
                  CommitSummary* summary) {
    int64_t case_id = 0;
    if (annotated.open_case) {
      std::optional<int64_t> held = edited ? sqlite_cases::OpenCaseOf(db_, id) : std::nullopt;
      if (held) {
        case_id = *held;
      } else {
        auto [cid, opened] =
            sqlite_cases::OpenOrAttach(db_, *annotated.open_case, annotated, id, now);
        case_id = cid;
        ++(opened ? summary->cases_opened : summary->cases_updated);
      }
    }
    for (const auto& alert : annotated.alerts) {
      AlertPayload payload = MakeAlertPayload(annotated, alert, id, case_id);
      // A post edited into a complaint is not new: the team should know before answering it.
      if (edited) payload.summary = "Edited post: " + payload.summary;
      std::string key = "alert:" + std::to_string(id) + ":" + alert.rule + ":" + alert.channel;
      if (sqlite_outbox::Enqueue(db_, alert.channel, key, AlertPayloadToJson(payload), now)) {
        ++summary->alerts_queued;
      }
    }
  }

  Result<AuthorActivity> LoadAuthorActivity(const std::string& platform, const Author& author,
                                            UnixMillis since, const std::string& except_source,
                                            const std::string& except_id) override {
    std::lock_guard lock(mu_);
    return Guard("reading an author's history", [&]() -> Result<AuthorActivity> {
      AuthorActivity activity;
      const std::string key = AuthorKey(author);
      if (key.empty()) return activity;
      SQLite::Statement q(db_, R"sql(
        SELECT CASE WHEN m.created_at > 0 THEN m.created_at ELSE m.stored_at END AS at,
               EXISTS (SELECT 1 FROM labels l WHERE l.mention_id = m.id AND l.kind = 'sentiment'
                       AND l.name = 'negative')
        FROM mentions m JOIN authors a ON a.id = m.author_id
        WHERE a.platform = ? AND a.author_key = ? AND m.duplicate_of IS NULL
          AND (CASE WHEN m.created_at > 0 THEN m.created_at ELSE m.stored_at END) >= ?
          AND NOT (m.source = ? AND m.external_id = ?)
        ORDER BY at)sql");
      q.bind(1, platform);
      q.bind(2, key);
      q.bind(3, static_cast<int64_t>(since));
      q.bind(4, except_source);
      q.bind(5, except_id);
      while (q.executeStep()) {
        UnixMillis at = q.getColumn(0).getInt64();
        activity.mentions_at.push_back(at);
        if (q.getColumn(1).getInt()) activity.negative_at.push_back(at);
      }
      return activity;
    });
  }

  Result<std::vector<CaseSummary>> ListCases(const CaseQuery& query) override {
    std::lock_guard lock(mu_);
    return Guard("listing cases", [&]() -> Result<std::vector<CaseSummary>> {
      return sqlite_cases::List(db_, query);
    });
  }

  Result<std::optional<CaseDetail>> GetCase(int64_t id) override {
    std::vector<int64_t> mention_ids;
    CaseDetail detail;
    {
      std::lock_guard lock(mu_);
      auto found = Guard("reading a case", [&]() -> Result<bool> {
        auto summary = sqlite_cases::Get(db_, id);
        if (!summary) return false;
        detail.summary = std::move(*summary);
        detail.events = sqlite_cases::Events(db_, id);
        mention_ids = sqlite_cases::MentionIds(db_, id);
        return true;
      });
      if (!found.ok()) return found.status();
      if (!*found) return std::optional<CaseDetail>();
    }
    for (int64_t mention_id : mention_ids) {
      auto mention = GetMention(mention_id);
      if (!mention.ok()) return mention.status();
      if (*mention) detail.mentions.push_back(std::move(**mention));
    }
    return std::optional<CaseDetail>(std::move(detail));
  }

  Status UpdateCase(const CaseUpdate& update) override {
    std::lock_guard lock(mu_);
    return Guard("updating a case", [&]() -> Status { return sqlite_cases::Update(db_, update); });
  }

  Status AddReview(const Review& review) override {
    std::lock_guard lock(mu_);
    return Guard("adding a review", [&]() -> Status { return sqlite_reviews::Add(db_, review); });
  }

  Result<std::vector<LabelPrecision>> ReviewPrecision() override {
    std::lock_guard lock(mu_);
    return Guard("reading review precision", [&]() -> Result<std::vector<LabelPrecision>> {
      return sqlite_reviews::Precision(db_);
    });
  }

  Result<ServiceStats> LoadServiceStats(UnixMillis since, UnixMillis now) override {
    std::lock_guard lock(mu_);
    return Guard("reading statistics",
                 [&]() -> Result<ServiceStats> { return sqlite_stats::Load(db_, since, now); });
  }

  Result<std::vector<OutboxMessage>> DueOutbox(UnixMillis now, size_t limit) override {
    std::lock_guard lock(mu_);
    return Guard("reading the outbox", [&]() -> Result<std::vector<OutboxMessage>> {
      return sqlite_outbox::Due(db_, now, limit);
    });
  }

  Status MarkDelivered(const std::vector<int64_t>& ids, UnixMillis at) override {
    std::lock_guard lock(mu_);
    return Guard("updating the outbox", [&]() -> Status {
      sqlite_outbox::MarkDelivered(db_, ids, at);
      return Status::Ok();
    });
  }

  Status MarkRetry(const std::vector<int64_t>& ids, UnixMillis next_attempt_at,
                   const std::string& error) override {
    std::lock_guard lock(mu_);
    return Guard("updating the outbox", [&]() -> Status {
      sqlite_outbox::MarkRetry(db_, ids, next_attempt_at, error);
      return Status::Ok();
    });
  }

  Status MarkFailed(const std::vector<int64_t>& ids, const std::string& error) override {
    std::lock_guard lock(mu_);
    return Guard("updating the outbox", [&]() -> Status {
      sqlite_outbox::MarkFailed(db_, ids, error);
      return Status::Ok();
    });
  }

  Result<int64_t> OutboxDepth() override {
    std::lock_guard lock(mu_);
    return Guard("reading the outbox",
                 [&]() -> Result<int64_t> { return sqlite_outbox::Depth(db_); });
  }

  Result<bool> EnqueueAlert(const std::string& channel, const std::string& dedup_key,
                            const std::string& payload, UnixMillis now) override {
    std::lock_guard lock(mu_);
    return Guard("queueing an alert", [&]() -> Result<bool> {
      return sqlite_outbox::Enqueue(db_, channel, dedup_key, payload, now);
    });
  }

  Status MarkSilenced(const std::vector<int64_t>& ids, int64_t silence_id) override {
    std::lock_guard lock(mu_);
    return Guard("updating the outbox", [&]() -> Status {
      sqlite_outbox::MarkSilenced(db_, ids, silence_id);
      return Status::Ok();
    });
  }

  Result<int64_t> UpsertCustomer(const Customer& customer) override {
    std::lock_guard lock(mu_);
    return Guard("saving a customer", [&]() -> Result<int64_t> {
      return sqlite_customers::Upsert(db_, customer, NowMillis());
    });
  }

  Result<int64_t> LinkIdentities(const std::vector<std::string>& identities) override {
    std::lock_guard lock(mu_);
    return Guard("linking identities", [&]() -> Result<int64_t> {
      return sqlite_customers::Link(db_, identities, NowMillis());
    });
  }

  Result<std::optional<Customer>> FindCustomer(const std::string& key) override {
    std::lock_guard lock(mu_);
    return Guard("finding a customer", [&]() -> Result<std::optional<Customer>> {
      return sqlite_customers::Find(db_, key);
    });
  }

  Result<int64_t> AddSilence(const Silence& silence) override {
    std::lock_guard lock(mu_);
    return Guard("adding a silence",
                 [&]() -> Result<int64_t> { return sqlite_silences::Add(db_, silence); });
  }

  Result<std::vector<Silence>> ActiveSilences(UnixMillis now) override {
    std::lock_guard lock(mu_);
    return Guard("reading silences", [&]() -> Result<std::vector<Silence>> {
      return sqlite_silences::Active(db_, now);
    });
  }

  Status ExpireSilence(int64_t id, UnixMillis now) override {
    std::lock_guard lock(mu_);
    return Guard("expiring a silence",
                 [&]() -> Status { return sqlite_silences::Expire(db_, id, now); });
  }

  Result<int64_t> CountLabelled(const std::string& kind, const std::string& name, UnixMillis since,
                                UnixMillis until) override {
    std::lock_guard lock(mu_);
    return Guard("counting mentions", [&]() -> Result<int64_t> {
      SQLite::Statement q(db_, R"sql(
        SELECT count(*) FROM mentions m WHERE m.stored_at >= ? AND m.stored_at < ?
          AND m.duplicate_of IS NULL AND EXISTS (SELECT 1 FROM labels l
            WHERE l.mention_id = m.id AND l.kind = ? AND l.name = ?))sql");
      q.bind(1, static_cast<int64_t>(since));
      q.bind(2, static_cast<int64_t>(until));
      q.bind(3, kind);
      q.bind(4, name);
      q.executeStep();
      return q.getColumn(0).getInt64();
    });
  }

  SQLite::Database db_;
  std::mutex mu_;
  std::unique_ptr<SQLite::Statement> upsert_author_, find_cross_post_, insert_mention_,
      find_stored_, insert_label_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path) {
  try {
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    auto store = std::make_unique<SqliteStore>(path);
    if (Status s = store->Init(); !s.ok()) return s.WithContext(path);
    return std::unique_ptr<Store>(std::move(store));
  } catch (const std::exception& e) {
    return Status::IoError(path + ": " + e.what());
  }
}

}  // namespace earshot
