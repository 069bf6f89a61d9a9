#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace earshot {

// Opens (creating if needed, with its parent folder) the SQLite store at `path` and brings its
// schema up to date. Refuses a database written by a newer earshot.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path);

}  // namespace earshot
