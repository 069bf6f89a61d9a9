// The overview's figures in SQLite. Called by SqliteStore with its lock held.
#pragma once

#include <SQLiteCpp/Database.h>

#include "store/store.h"

namespace earshot::sqlite_stats {

ServiceStats Load(SQLite::Database& db, UnixMillis since, UnixMillis now);

}  // namespace earshot::sqlite_stats
