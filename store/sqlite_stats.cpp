#include "store/sqlite_stats.h"

#include <SQLiteCpp/Statement.h>

#include <algorithm>

namespace earshot::sqlite_stats {

ServiceStats Load(SQLite::Database& db, UnixMillis since, UnixMillis now) {
  ServiceStats stats;
  {
    SQLite::Statement q(db, R"sql(
      SELECT strftime('%Y-%m-%d', at / 1000, 'unixepoch') AS day, source, count(*),
             sum(EXISTS (SELECT 1 FROM labels l WHERE l.mention_id = v.id
                         AND l.kind = 'sentiment' AND l.name = 'negative'))
      FROM (SELECT id, source,
                   CASE WHEN created_at > 0 THEN created_at ELSE stored_at END AS at
            FROM mentions) v
      WHERE at >= ?
      GROUP BY day, source ORDER BY day, source)sql");
    q.bind(1, static_cast<int64_t>(since));
    while (q.executeStep()) {
      stats.daily.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(),
                             q.getColumn(2).getInt64(), q.getColumn(3).getInt64()});
    }
  }
  {
    SQLite::Statement q(db,
                        "SELECT state, count(*) FROM cases WHERE state IN ('new', 'assigned', "
                        "'contacted') GROUP BY state ORDER BY state");
    while (q.executeStep())
      stats.open_cases.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getInt64());
  }
  {
    SQLite::Statement q(db,
                        "SELECT count(*) FROM cases WHERE state IN ('new', 'assigned', "
                        "'contacted') AND sla_due_at IS NOT NULL AND sla_due_at < ?");
    q.bind(1, static_cast<int64_t>(now));
    if (q.executeStep()) stats.sla_breaches = q.getColumn(0).getInt64();
  }
  {
    SQLite::Statement q(db, R"sql(
      SELECT c.opened_at, c.sla_due_at,
             (SELECT min(e.at) FROM case_events e WHERE e.case_id = c.id
              AND e.action = 'contacted')
      FROM cases c WHERE c.opened_at >= ?)sql");
    q.bind(1, static_cast<int64_t>(since));
    std::vector<int64_t> waits;
    while (q.executeStep()) {
      ++stats.cases_opened;
      if (q.getColumn(2).isNull()) continue;
      const int64_t contacted = q.getColumn(2).getInt64();
      waits.push_back(std::max<int64_t>(0, contacted - q.getColumn(0).getInt64()));
      if (q.getColumn(1).isNull() || contacted <= q.getColumn(1).getInt64()) {
        ++stats.contacted_within_sla;
      }
    }
    stats.cases_contacted = static_cast<int64_t>(waits.size());
    if (!waits.empty()) {
      std::sort(waits.begin(), waits.end());
      const size_t n = waits.size();
      stats.median_first_contact_ms = n % 2 ? waits[n / 2] : (waits[n / 2 - 1] + waits[n / 2]) / 2;
    }
  }
  return stats;
}

}  // namespace earshot::sqlite_stats
