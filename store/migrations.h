// Schema versions, applied in order, each in its own transaction; PRAGMA user_version records
// the last one applied. Add a migration by appending to the list, never by editing one.
#pragma once

#include <SQLiteCpp/Database.h>

#include "core/status.h"

namespace earshot {

int LatestSchemaVersion();
// Brings the schema up to `target` (default: the latest); tests build old databases with it.
Status MigrateSchema(SQLite::Database& db, int target = -1);

}  // namespace earshot
