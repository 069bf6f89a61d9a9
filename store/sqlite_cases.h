// Outreach cases in SQLite: one open case per customer, every change an audit event. Called by
// SqliteStore with its lock held, inside its transactions.
#pragma once

#include <SQLiteCpp/Database.h>

#include <optional>
#include <vector>

#include "store/store.h"

namespace earshot::sqlite_cases {

// Opens a case for the mention's customer or adds the mention to the open one. Returns the
// case id, and whether a new case was opened.
// The customer is the linked one when the author is a known identity, else the author.
std::pair<int64_t, bool> OpenOrAttach(SQLite::Database& db, const CaseRequest& request,
                                      const AnnotatedMention& annotated, int64_t mention_id,
                                      UnixMillis now);
// The open case that already holds the mention, if one does.
std::optional<int64_t> OpenCaseOf(SQLite::Database& db, int64_t mention_id);
std::vector<CaseSummary> List(SQLite::Database& db, const CaseQuery& query);
std::optional<CaseSummary> Get(SQLite::Database& db, int64_t id);
std::vector<int64_t> MentionIds(SQLite::Database& db, int64_t case_id);
std::vector<CaseEvent> Events(SQLite::Database& db, int64_t case_id);
Status Update(SQLite::Database& db, const CaseUpdate& update);

}  // namespace earshot::sqlite_cases
