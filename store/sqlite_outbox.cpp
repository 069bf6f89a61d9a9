#include "store/sqlite_outbox.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <functional>

namespace earshot::sqlite_outbox {
namespace {

void ForEach(SQLite::Database& db, const char* sql, const std::vector<int64_t>& ids,
             const std::function<void(SQLite::Statement&)>& bind) {
  SQLite::Transaction tx(db);
  SQLite::Statement q(db, sql);
  for (int64_t id : ids) {
    bind(q);
    q.bind(q.getBindParameterCount(), id);
    q.exec();
    q.reset();
    q.clearBindings();
  }
  tx.commit();
}

}  // namespace

bool Enqueue(SQLite::Database& db, const std::string& channel, const std::string& dedup_key,
             const std::string& payload, UnixMillis now) {
  SQLite::Statement q(db, R"sql(
    INSERT OR IGNORE INTO outbox (channel, dedup_key, payload, state, next_attempt_at, created_at)
    VALUES (?, ?, ?, 'pending', ?, ?))sql");
  q.bind(1, channel);
  q.bind(2, dedup_key);
  q.bind(3, payload);
  q.bind(4, static_cast<int64_t>(now));
  q.bind(5, static_cast<int64_t>(now));
  return q.exec() > 0;
}

std::vector<OutboxMessage> Due(SQLite::Database& db, UnixMillis now, size_t limit) {
  SQLite::Statement q(db, R"sql(
    SELECT id, channel, dedup_key, payload, attempts, created_at, next_attempt_at FROM outbox
    WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?)sql");
  q.bind(1, static_cast<int64_t>(now));
  q.bind(2, static_cast<int64_t>(limit));
  std::vector<OutboxMessage> out;
  while (q.executeStep()) {
    OutboxMessage m;
    m.id = q.getColumn(0).getInt64();
    m.channel = q.getColumn(1).getString();
    m.dedup_key = q.getColumn(2).getString();
    m.payload = q.getColumn(3).getString();
    m.attempts = q.getColumn(4).getInt();
    m.created_at = q.getColumn(5).getInt64();
    m.next_attempt_at = q.getColumn(6).getInt64();
    out.push_back(std::move(m));
  }
  return out;
}

void MarkDelivered(SQLite::Database& db, const std::vector<int64_t>& ids, UnixMillis at) {
  ForEach(db,
          "UPDATE outbox SET state = 'delivered', delivered_at = ?, attempts = attempts + 1, "
          "last_error = '' WHERE id = ?",
          ids, [&](SQLite::Statement& q) { q.bind(1, static_cast<int64_t>(at)); });
}

void MarkRetry(SQLite::Database& db, const std::vector<int64_t>& ids, UnixMillis next_attempt_at,
               const std::string& error) {
  ForEach(db,
          "UPDATE outbox SET next_attempt_at = ?, last_error = ?, attempts = attempts + 1 "
          "WHERE id = ?",
          ids, [&](SQLite::Statement& q) {
            q.bind(1, static_cast<int64_t>(next_attempt_at));
            q.bind(2, error);
          });
}

void MarkFailed(SQLite::Database& db, const std::vector<int64_t>& ids, const std::string& error) {
  ForEach(db,
          "UPDATE outbox SET state = 'failed', last_error = ?, attempts = attempts + 1 "
          "WHERE id = ?",
          ids, [&](SQLite::Statement& q) { q.bind(1, error); });
}

void MarkSilenced(SQLite::Database& db, const std::vector<int64_t>& ids, int64_t silence_id) {
  const std::string why = "silenced by #" + std::to_string(silence_id);
  ForEach(db, "UPDATE outbox SET state = 'silenced', last_error = ? WHERE id = ?", ids,
          [&](SQLite::Statement& q) { q.bind(1, why); });
}

int64_t Depth(SQLite::Database& db) {
  return db.execAndGet("SELECT count(*) FROM outbox WHERE state = 'pending'").getInt64();
}

}  // namespace earshot::sqlite_outbox
