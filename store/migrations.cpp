#include "store/migrations.h"

#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <string>
#include <vector>

namespace earshot {
namespace {

const std::vector<const char*>& Migrations() {
  static const std::vector<const char*> migrations = {
      // v1: sources, authors, mentions with labels and full-text search, and the outbox and
      // case tables that alerting and outreach fill.
      R"sql(
CREATE TABLE sources (
  name TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  cursor_position TEXT NOT NULL DEFAULT '',
  cursor_etag TEXT NOT NULL DEFAULT '',
  cursor_last_modified TEXT NOT NULL DEFAULT '',
  last_poll_at INTEGER NOT NULL DEFAULT 0,
  last_success_at INTEGER NOT NULL DEFAULT 0,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  mention_count INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE authors (
  id INTEGER PRIMARY KEY,
  platform TEXT NOT NULL,
  author_key TEXT NOT NULL,
  external_id TEXT NOT NULL DEFAULT '',
  handle TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL DEFAULT '',
  followers INTEGER,
  profile_url TEXT NOT NULL DEFAULT '',
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  UNIQUE (platform, author_key)
);
CREATE TABLE mentions (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  platform TEXT NOT NULL,
  external_id TEXT NOT NULL,
  url TEXT NOT NULL DEFAULT '',
  author_id INTEGER REFERENCES authors(id),
  title TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL,
  lang TEXT NOT NULL DEFAULT '',
  rating REAL,
  created_at INTEGER NOT NULL DEFAULT 0,
  fetched_at INTEGER NOT NULL DEFAULT 0,
  stored_at INTEGER NOT NULL,
  thread_id TEXT NOT NULL DEFAULT '',
  parent_id TEXT NOT NULL DEFAULT '',
  likes INTEGER NOT NULL DEFAULT 0,
  replies INTEGER NOT NULL DEFAULT 0,
  shares INTEGER NOT NULL DEFAULT 0,
  raw TEXT NOT NULL DEFAULT '',
  content_hash TEXT NOT NULL,
  duplicate_of INTEGER REFERENCES mentions(id),
  flagged INTEGER NOT NULL DEFAULT 0,
  flag_reason TEXT NOT NULL DEFAULT '',
  UNIQUE (source, external_id)
);
CREATE INDEX mentions_flagged ON mentions(flagged, id);
CREATE INDEX mentions_stored_at ON mentions(stored_at);
CREATE INDEX mentions_content_hash ON mentions(content_hash);
CREATE INDEX mentions_author ON mentions(author_id);
CREATE TABLE labels (
  mention_id INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  score REAL NOT NULL,
  evidence TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX labels_mention ON labels(mention_id);
CREATE INDEX labels_kind_name ON labels(kind, name, mention_id);
CREATE VIRTUAL TABLE mentions_fts USING fts5(
  title, text, content='mentions', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER mentions_fts_insert AFTER INSERT ON mentions BEGIN
  INSERT INTO mentions_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER mentions_fts_delete AFTER DELETE ON mentions BEGIN
  INSERT INTO mentions_fts(mentions_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER mentions_fts_update AFTER UPDATE OF title, text ON mentions BEGIN
  INSERT INTO mentions_fts(mentions_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
  INSERT INTO mentions_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL,
  dedup_key TEXT NOT NULL UNIQUE,
  payload TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  delivered_at INTEGER
);
CREATE INDEX outbox_pending ON outbox(state, next_attempt_at);
CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  customer_key TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'new',
  priority INTEGER NOT NULL DEFAULT 3,
  queue TEXT NOT NULL DEFAULT '',
  assignee TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  sla_due_at INTEGER,
  opened_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  closed_at INTEGER,
  outcome TEXT NOT NULL DEFAULT ''
);
CREATE INDEX cases_open ON cases(state, priority, sla_due_at);
CREATE TABLE case_mentions (
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  mention_id INTEGER NOT NULL REFERENCES mentions(id),
  PRIMARY KEY (case_id, mention_id)
);
CREATE TABLE case_events (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);
)sql",
      // v2: reviewers' verdicts on flagged mentions, for review queues and label precision.
      R"sql(
CREATE TABLE reviews (
  id INTEGER PRIMARY KEY,
  mention_id INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
  verdict TEXT NOT NULL CHECK (verdict IN ('confirmed', 'false_positive', 'not_relevant')),
  corrected_label TEXT NOT NULL DEFAULT '',
  reviewer TEXT NOT NULL,
  at INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reviews_mention ON reviews(mention_id, id);
)sql",
      // v3: customers with their identities across platforms (from the CRM or linked by hand),
      // what a case needs for assignment, and alert silences.
      R"sql(
CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  crm_id TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX customers_crm_id ON customers(crm_id) WHERE crm_id != '';
CREATE TABLE customer_identities (
  identity TEXT PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  origin TEXT NOT NULL DEFAULT 'manual'
);
CREATE INDEX customer_identities_customer ON customer_identities(customer_id);
ALTER TABLE cases ADD COLUMN customer_id INTEGER REFERENCES customers(id);
ALTER TABLE cases ADD COLUMN lang TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN skills TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_customer ON cases(customer_key, state);
CREATE TABLE silences (
  id INTEGER PRIMARY KEY,
  matchers TEXT NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  created_by TEXT NOT NULL DEFAULT '',
  comment TEXT NOT NULL DEFAULT ''
);
)sql",
      // v4: indexes for the web API over large stores. The overview reads its 30 days by each
      // mention's time (creation, else storing) through an index on that expression, which
      // also covers the day and source; a case's first contact is found through its events;
      // review precision reads a mention's verdicts and its labels' kinds and names from
      // indexes alone (these two replace labels_mention and reviews_mention, their prefixes).
      R"sql(
CREATE INDEX mentions_time_source ON mentions(
  (CASE WHEN created_at > 0 THEN created_at ELSE stored_at END), source, created_at, stored_at);
CREATE INDEX case_events_case ON case_events(case_id, action, at);
CREATE INDEX cases_opened_at ON cases(opened_at);
CREATE INDEX labels_mention_kind ON labels(mention_id, kind, name);
DROP INDEX labels_mention;
CREATE INDEX reviews_mention_verdict ON reviews(mention_id, id, verdict);
DROP INDEX reviews_mention;
)sql",
      // v5: edited and deleted mentions. A mention keeps the platform's last edit time and when
      // the platform said it was deleted (its text stays); each version an edit replaced is kept.
      R"sql(
ALTER TABLE mentions ADD COLUMN edited_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mentions ADD COLUMN deleted_at INTEGER;
CREATE TABLE mention_revisions (
  id INTEGER PRIMARY KEY,
  mention_id INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
  title TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL,
  rating REAL,
  edited_at INTEGER NOT NULL DEFAULT 0,
  flagged INTEGER NOT NULL DEFAULT 0,
  flag_reason TEXT NOT NULL DEFAULT '',
  replaced_at INTEGER NOT NULL
);
CREATE INDEX mention_revisions_mention ON mention_revisions(mention_id, id);
)sql",
  };
  return migrations;
}

}  // namespace

int LatestSchemaVersion() {
  return static_cast<int>(Migrations().size());
}

Status MigrateSchema(SQLite::Database& db, int target) {
  int version = db.execAndGet("PRAGMA user_version").getInt();
  const int latest = LatestSchemaVersion();
  if (version > latest) {
    return Status::Unsupported("database schema version " + std::to_string(version) +
                               " is newer than this earshot (knows up to " +
                               std::to_string(latest) + "); upgrade earshot or use another --db");
  }
  const int goal = target < 0 ? latest : std::min(target, latest);
  for (; version < goal; ++version) {
    SQLite::Transaction tx(db);
    db.exec(Migrations()[static_cast<size_t>(version)]);
    db.exec("PRAGMA user_version = " + std::to_string(version + 1));
    tx.commit();
  }
  return Status::Ok();
}

}  // namespace earshot
