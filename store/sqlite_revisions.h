// Earlier versions of edited mentions in SQLite. Called by SqliteStore with its lock held,
// inside its transactions.
#pragma once

#include <SQLiteCpp/Database.h>

#include <vector>

#include "store/store.h"

namespace earshot::sqlite_revisions {

void Add(SQLite::Database& db, int64_t mention_id, const MentionRevision& revision);
// Oldest first.
std::vector<MentionRevision> ForMention(SQLite::Database& db, int64_t mention_id);

}  // namespace earshot::sqlite_revisions
