// The outbox in SQLite: alert messages written with their mention, read by the delivery loop.
// Called by SqliteStore with its lock held.
#pragma once

#include <SQLiteCpp/Database.h>

#include <vector>

#include "store/store.h"

namespace earshot::sqlite_outbox {

// false when a message with this dedup key is already queued (a replayed commit).
bool Enqueue(SQLite::Database& db, const std::string& channel, const std::string& dedup_key,
             const std::string& payload, UnixMillis now);
std::vector<OutboxMessage> Due(SQLite::Database& db, UnixMillis now, size_t limit);
void MarkDelivered(SQLite::Database& db, const std::vector<int64_t>& ids, UnixMillis at);
void MarkRetry(SQLite::Database& db, const std::vector<int64_t>& ids, UnixMillis next_attempt_at,
               const std::string& error);
void MarkFailed(SQLite::Database& db, const std::vector<int64_t>& ids, const std::string& error);
void MarkSilenced(SQLite::Database& db, const std::vector<int64_t>& ids, int64_t silence_id);
int64_t Depth(SQLite::Database& db);

}  // namespace earshot::sqlite_outbox
