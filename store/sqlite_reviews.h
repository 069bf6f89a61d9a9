// Reviewers' verdicts in SQLite. Called by SqliteStore with its lock held.
#pragma once

#include <SQLiteCpp/Database.h>

#include <map>
#include <vector>

#include "store/store.h"

namespace earshot::sqlite_reviews {

bool IsVerdict(const std::string& verdict);
Status Add(SQLite::Database& db, const Review& review);
// The reviews of the given mentions, oldest first, by mention id.
std::map<int64_t, std::vector<Review>> ForMentions(SQLite::Database& db,
                                                   const std::vector<int64_t>& mention_ids);
std::vector<LabelPrecision> Precision(SQLite::Database& db);

}  // namespace earshot::sqlite_reviews
