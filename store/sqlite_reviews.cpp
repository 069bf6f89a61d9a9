#include "store/sqlite_reviews.h"

#include <SQLiteCpp/Statement.h>

namespace earshot::sqlite_reviews {

bool IsVerdict(const std::string& verdict) {
  return verdict == "confirmed" || verdict == "false_positive" || verdict == "not_relevant";
}

Status Add(SQLite::Database& db, const Review& r) {
  if (!IsVerdict(r.verdict)) {
    return Status::InvalidArgument("unknown verdict '" + r.verdict +
                                   "' (confirmed, false_positive, not_relevant)");
  }
  if (r.reviewer.empty()) return Status::InvalidArgument("a review needs a reviewer");
  SQLite::Statement exists(db, "SELECT 1 FROM mentions WHERE id = ?");
  exists.bind(1, static_cast<int64_t>(r.mention_id));
  if (!exists.executeStep()) return Status::NotFound("no mention " + std::to_string(r.mention_id));
  exists.reset();
  SQLite::Statement q(db,
                      "INSERT INTO reviews (mention_id, verdict, corrected_label, reviewer, at, "
                      "note) VALUES (?, ?, ?, ?, ?, ?)");
  q.bind(1, static_cast<int64_t>(r.mention_id));
  q.bind(2, r.verdict);
  q.bind(3, r.corrected_label);
  q.bind(4, r.reviewer);
  q.bind(5, static_cast<int64_t>(r.at));
  q.bind(6, r.note);
  q.exec();
  return Status::Ok();
}

std::map<int64_t, std::vector<Review>> ForMentions(SQLite::Database& db,
                                                   const std::vector<int64_t>& mention_ids) {
  std::map<int64_t, std::vector<Review>> out;
  if (mention_ids.empty()) return out;
  std::string ids;
  for (int64_t id : mention_ids)
    ids += (ids.empty() ? "" : ",") + std::to_string(id);
  SQLite::Statement q(db,
                      "SELECT id, mention_id, verdict, corrected_label, reviewer, at, note "
                      "FROM reviews WHERE mention_id IN (" +
                          ids + ") ORDER BY id");
  while (q.executeStep()) {
    Review r;
    r.id = q.getColumn(0).getInt64();
    r.mention_id = q.getColumn(1).getInt64();
    r.verdict = q.getColumn(2).getString();
    r.corrected_label = q.getColumn(3).getString();
    r.reviewer = q.getColumn(4).getString();
    r.at = q.getColumn(5).getInt64();
    r.note = q.getColumn(6).getString();
    out[r.mention_id].push_back(std::move(r));
  }
  return out;
}

std::vector<LabelPrecision> Precision(SQLite::Database& db) {
  // Each reviewed mention counts once, by its latest verdict, for each flagging label it has.
  SQLite::Statement q(db, R"sql(
    WITH latest AS (
      SELECT r.mention_id, r.verdict FROM reviews r
      WHERE r.id = (SELECT max(r2.id) FROM reviews r2 WHERE r2.mention_id = r.mention_id)),
    judged AS (
      SELECT DISTINCT l.mention_id, l.kind, l.name FROM labels l
      JOIN latest ON latest.mention_id = l.mention_id
      WHERE l.kind IN ('intent', 'pattern', 'rule'))
    SELECT j.kind, j.name,
           sum(latest.verdict = 'confirmed'), sum(latest.verdict = 'false_positive'),
           sum(latest.verdict = 'not_relevant')
    FROM judged j JOIN latest ON latest.mention_id = j.mention_id
    GROUP BY j.kind, j.name ORDER BY j.kind, j.name)sql");
  std::vector<LabelPrecision> out;
  while (q.executeStep()) {
    LabelPrecision p;
    p.kind = q.getColumn(0).getString();
    p.name = q.getColumn(1).getString();
    p.confirmed = q.getColumn(2).getInt64();
    p.false_positive = q.getColumn(3).getInt64();
    p.not_relevant = q.getColumn(4).getInt64();
    if (p.confirmed + p.false_positive > 0) {
      p.precision =
          static_cast<double>(p.confirmed) / static_cast<double>(p.confirmed + p.false_positive);
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace earshot::sqlite_reviews
