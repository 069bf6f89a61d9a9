// Customers and their identities in SQLite. Called by SqliteStore with its lock held.
#pragma once

#include <SQLiteCpp/Database.h>

#include <optional>

#include "store/store.h"

namespace earshot::sqlite_customers {

Result<int64_t> Upsert(SQLite::Database& db, const Customer& customer, UnixMillis now);
Result<int64_t> Link(SQLite::Database& db, const std::vector<std::string>& identities,
                     UnixMillis now);
// By identity ("reddit:anna"), by "#ID", or by CRM id.
std::optional<Customer> Find(SQLite::Database& db, const std::string& key);
std::optional<Customer> ById(SQLite::Database& db, int64_t id);
// The customer one of these identities belongs to.
std::optional<int64_t> IdOf(SQLite::Database& db, const std::vector<std::string>& identities);

}  // namespace earshot::sqlite_customers
