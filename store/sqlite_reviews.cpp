#include "store/sqlite_reviews.h"

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <utility>

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
  // Reviews in reviews_mention_verdict's order (by mention, then oldest first), each with its
  // mention's labels through labels_mention_kind: a mention's rows are consecutive and its last row
  // is its latest verdict. Counted here, which spares SQLite temporary b-trees on every call.
  SQLite::Statement q(db, R"sql(
    SELECT r.mention_id, r.verdict, l.kind, l.name
    FROM reviews r CROSS JOIN labels l ON l.mention_id = r.mention_id
    WHERE +l.kind IN ('intent', 'pattern', 'rule')
    ORDER BY r.mention_id, r.id)sql");
  // By kind, then name: std::string compares bytes as unsigned, as SQLite's BINARY does.
  std::map<std::pair<std::string, std::string>, LabelPrecision> by_label;
  int64_t mention_id = 0;
  std::string verdict;
  std::vector<LabelPrecision*> labels;  // the mention's, with repeats
  auto end_mention = [&] {
    std::sort(labels.begin(), labels.end());
    labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
    for (LabelPrecision* p : labels) {
      if (verdict == "confirmed") {
        ++p->confirmed;
      } else if (verdict == "false_positive") {
        ++p->false_positive;
      } else if (verdict == "not_relevant") {
        ++p->not_relevant;
      }
    }
    labels.clear();
  };
  while (q.executeStep()) {
    const int64_t id = q.getColumn(0).getInt64();
    if (id != mention_id) {
      end_mention();
      mention_id = id;
    }
    verdict = q.getColumn(1).getString();
    auto [it, added] =
        by_label.try_emplace({q.getColumn(2).getString(), q.getColumn(3).getString()});
    if (added) {
      it->second.kind = it->first.first;
      it->second.name = it->first.second;
    }
    labels.push_back(&it->second);
  }
  end_mention();
  std::vector<LabelPrecision> out;
  for (auto& [key, p] : by_label) {
    if (p.confirmed + p.false_positive > 0) {
      p.precision =
          static_cast<double>(p.confirmed) / static_cast<double>(p.confirmed + p.false_positive);
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace earshot::sqlite_reviews
