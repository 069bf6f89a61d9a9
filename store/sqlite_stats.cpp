#include "store/sqlite_stats.h"

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <utility>

namespace earshot::sqlite_stats {
namespace {

// "YYYY-MM-DD" of a day counted from 1970-01-01 (proleptic Gregorian; H. Hinnant's
// civil_from_days).
std::string Date(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char out[80];
  std::snprintf(out, sizeof out, "%04lld-%02lld-%02lld", static_cast<long long>(y),
                static_cast<long long>(m), static_cast<long long>(d));
  return out;
}

}  // namespace

ServiceStats Load(SQLite::Database& db, UnixMillis since, UnixMillis now) {
  ServiceStats stats;
  {
    // A mention's time is its creation, else its storing, time. The expression is written as
    // the index mentions_time_source has it: the window is a range of that index, which also
    // covers the source, and its rows come in time order, so days are summed here as they end,
    // without a temporary b-tree. A day is the UTC date of the time in whole seconds (as
    // strftime('%Y-%m-%d', time / 1000, 'unixepoch') gives it); sources in byte order.
    SQLite::Statement q(db, R"sql(
      SELECT (CASE WHEN m.created_at > 0 THEN m.created_at ELSE m.stored_at END) / 1000,
             m.source,
             EXISTS (SELECT 1 FROM labels l WHERE l.mention_id = m.id
                     AND l.kind = 'sentiment' AND l.name = 'negative')
      FROM mentions m
      WHERE (CASE WHEN m.created_at > 0 THEN m.created_at ELSE m.stored_at END) >= ?
      ORDER BY (CASE WHEN m.created_at > 0 THEN m.created_at ELSE m.stored_at END))sql");
    q.bind(1, static_cast<int64_t>(since));
    std::map<std::string, std::pair<int64_t, int64_t>> day_sources;  // mentions, negative
    int64_t day = 0;
    auto end_day = [&] {
      for (const auto& [source, counts] : day_sources)
        stats.daily.push_back({Date(day), source, counts.first, counts.second});
      day_sources.clear();
    };
    while (q.executeStep()) {
      const int64_t seconds = q.getColumn(0).getInt64();
      const int64_t row_day = seconds / 86400 - (seconds % 86400 < 0 ? 1 : 0);
      if (row_day != day) {
        end_day();
        day = row_day;
      }
      auto& counts = day_sources[q.getColumn(1).getString()];
      ++counts.first;
      counts.second += q.getColumn(2).getInt64();
    }
    end_day();
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
