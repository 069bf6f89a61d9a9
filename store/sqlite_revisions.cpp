#include "store/sqlite_revisions.h"

#include <SQLiteCpp/Statement.h>

namespace earshot::sqlite_revisions {

void Add(SQLite::Database& db, int64_t mention_id, const MentionRevision& revision) {
  SQLite::Statement q(db, R"sql(
    INSERT INTO mention_revisions (mention_id, title, text, rating, edited_at, flagged,
                                   flag_reason, replaced_at)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8))sql");
  q.bind(1, static_cast<int64_t>(mention_id));
  q.bind(2, revision.title);
  q.bind(3, revision.text);
  if (revision.rating) q.bind(4, *revision.rating);
  q.bind(5, static_cast<int64_t>(revision.edited_at));
  q.bind(6, revision.flagged ? 1 : 0);
  q.bind(7, revision.flag_reason);
  q.bind(8, static_cast<int64_t>(revision.replaced_at));
  q.exec();
}

std::vector<MentionRevision> ForMention(SQLite::Database& db, int64_t mention_id) {
  SQLite::Statement q(db, R"sql(
    SELECT id, title, text, rating, edited_at, flagged, flag_reason, replaced_at
    FROM mention_revisions WHERE mention_id = ? ORDER BY id)sql");
  q.bind(1, static_cast<int64_t>(mention_id));
  std::vector<MentionRevision> out;
  while (q.executeStep()) {
    MentionRevision r;
    r.id = q.getColumn(0).getInt64();
    r.title = q.getColumn(1).getString();
    r.text = q.getColumn(2).getString();
    if (!q.getColumn(3).isNull()) r.rating = q.getColumn(3).getDouble();
    r.edited_at = q.getColumn(4).getInt64();
    r.flagged = q.getColumn(5).getInt() != 0;
    r.flag_reason = q.getColumn(6).getString();
    r.replaced_at = q.getColumn(7).getInt64();
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace earshot::sqlite_revisions
