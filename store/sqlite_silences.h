// Alert silences in SQLite: matchers and a time span. Called by SqliteStore with its lock held.
#pragma once

#include <SQLiteCpp/Database.h>

#include <vector>

#include "store/store.h"

namespace earshot::sqlite_silences {

Result<int64_t> Add(SQLite::Database& db, const Silence& silence);
std::vector<Silence> Active(SQLite::Database& db, UnixMillis now);
Status Expire(SQLite::Database& db, int64_t id, UnixMillis now);

}  // namespace earshot::sqlite_silences
