#include "store/sqlite_cases.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>

#include "store/author_key.h"
#include "store/sqlite_customers.h"

namespace earshot::sqlite_cases {
namespace {

constexpr const char* kOpenStates = "('new', 'assigned', 'contacted')";

constexpr const char* kCaseColumns = R"sql(
  SELECT c.id, c.customer_key, c.state, c.priority, c.queue, c.assignee, c.reason, c.sla_due_at,
         c.opened_at, c.updated_at, c.closed_at, c.outcome,
         (SELECT count(*) FROM case_mentions cm WHERE cm.case_id = c.id),
         (SELECT a.handle FROM case_mentions cm JOIN mentions m ON m.id = cm.mention_id
            LEFT JOIN authors a ON a.id = m.author_id WHERE cm.case_id = c.id
            ORDER BY m.id DESC LIMIT 1),
         (SELECT m.platform FROM case_mentions cm JOIN mentions m ON m.id = cm.mention_id
            WHERE cm.case_id = c.id ORDER BY m.id DESC LIMIT 1),
         (SELECT m.url FROM case_mentions cm JOIN mentions m ON m.id = cm.mention_id
            WHERE cm.case_id = c.id ORDER BY m.id DESC LIMIT 1),
         c.lang, c.skills, c.customer_id
  FROM cases c)sql";

std::optional<int64_t> OptionalInt(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getInt64();
}

CaseSummary ReadCase(SQLite::Database& db, SQLite::Statement& q) {
  CaseSummary c;
  c.id = q.getColumn(0).getInt64();
  c.customer_key = q.getColumn(1).getString();
  c.state = q.getColumn(2).getString();
  c.priority = q.getColumn(3).getInt();
  c.queue = q.getColumn(4).getString();
  c.assignee = q.getColumn(5).getString();
  c.reason = q.getColumn(6).getString();
  c.sla_due_at = OptionalInt(q.getColumn(7));
  c.opened_at = q.getColumn(8).getInt64();
  c.updated_at = q.getColumn(9).getInt64();
  c.closed_at = OptionalInt(q.getColumn(10));
  c.outcome = q.getColumn(11).getString();
  c.mention_count = q.getColumn(12).getInt64();
  c.author_handle = q.getColumn(13).isNull() ? "" : q.getColumn(13).getString();
  c.platform = q.getColumn(14).isNull() ? "" : q.getColumn(14).getString();
  c.latest_url = q.getColumn(15).isNull() ? "" : q.getColumn(15).getString();
  c.lang = q.getColumn(16).getString();
  std::string skills = q.getColumn(17).getString();
  for (size_t start = 0; start < skills.size();) {
    size_t comma = skills.find(',', start);
    if (comma == std::string::npos) comma = skills.size();
    c.skills.push_back(skills.substr(start, comma - start));
    start = comma + 1;
  }
  if (!q.getColumn(18).isNull())
    c.customer = sqlite_customers::ById(db, q.getColumn(18).getInt64());
  return c;
}

void AddEvent(SQLite::Database& db, int64_t case_id, UnixMillis at, const std::string& actor,
              const std::string& action, const std::string& detail) {
  SQLite::Statement q(
      db, "INSERT INTO case_events (case_id, at, actor, action, detail) VALUES (?, ?, ?, ?, ?)");
  q.bind(1, case_id);
  q.bind(2, static_cast<int64_t>(at));
  q.bind(3, actor);
  q.bind(4, action);
  q.bind(5, detail);
  q.exec();
}

bool IsOpen(const std::string& state) {
  return state == "new" || state == "assigned" || state == "contacted";
}

}  // namespace

std::optional<int64_t> OpenCaseOf(SQLite::Database& db, int64_t mention_id) {
  SQLite::Statement q(db, std::string("SELECT c.id FROM case_mentions cm JOIN cases c ON ") +
                              "c.id = cm.case_id WHERE cm.mention_id = ? AND c.state IN " +
                              kOpenStates + " ORDER BY c.id DESC LIMIT 1");
  q.bind(1, static_cast<int64_t>(mention_id));
  if (!q.executeStep()) return std::nullopt;
  return q.getColumn(0).getInt64();
}

std::pair<int64_t, bool> OpenOrAttach(SQLite::Database& db, const CaseRequest& request,
                                      const AnnotatedMention& annotated, int64_t mention_id,
                                      UnixMillis now) {
  const Mention& m = annotated.mention;
  std::optional<int64_t> customer_id =
      sqlite_customers::IdOf(db, {IdentityKey(m.platform, m.author.handle)});
  std::string customer_key =
      customer_id ? "customer:" + std::to_string(*customer_id) : CustomerKey(m);
  if (customer_key.empty()) customer_key = "mention:" + std::to_string(mention_id);
  std::string lang = m.lang;
  for (const auto& l : annotated.labels)
    if (lang.empty() && l.kind == "language") lang = l.name;
  std::string skills;
  for (const auto& s : request.skills)
    skills += (skills.empty() ? "" : ",") + s;
  const std::string actor = "rule:" + request.rule;
  const int64_t sla_due = now + request.sla_ms;
  SQLite::Statement find(db, std::string("SELECT id, priority, sla_due_at FROM cases WHERE ") +
                                 "customer_key = ? AND state IN " + kOpenStates +
                                 " ORDER BY id DESC LIMIT 1");
  find.bind(1, customer_key);
  if (find.executeStep()) {
    const int64_t id = find.getColumn(0).getInt64();
    const int priority = std::min(find.getColumn(1).getInt(), request.priority);
    int64_t due = find.getColumn(2).isNull()
                      ? sla_due
                      : std::min<int64_t>(find.getColumn(2).getInt64(), sla_due);
    find.reset();
    SQLite::Statement link(
        db, "INSERT OR IGNORE INTO case_mentions (case_id, mention_id) VALUES (?, ?)");
    link.bind(1, id);
    link.bind(2, mention_id);
    link.exec();
    SQLite::Statement up(
        db, "UPDATE cases SET priority = ?, sla_due_at = ?, updated_at = ? WHERE id = ?");
    up.bind(1, priority);
    up.bind(2, due);
    up.bind(3, static_cast<int64_t>(now));
    up.bind(4, id);
    up.exec();
    AddEvent(db, id, now, actor, "attached", "mention " + std::to_string(mention_id));
    return {id, false};
  }
  find.reset();
  SQLite::Statement insert(db, R"sql(
    INSERT INTO cases (customer_key, state, priority, queue, reason, sla_due_at, opened_at,
                       updated_at, customer_id, lang, skills)
    VALUES (?, 'new', ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
  insert.bind(1, customer_key);
  insert.bind(2, request.priority);
  insert.bind(3, request.queue);
  insert.bind(4, request.reason);
  insert.bind(5, sla_due);
  insert.bind(6, static_cast<int64_t>(now));
  insert.bind(7, static_cast<int64_t>(now));
  if (customer_id) insert.bind(8, *customer_id);
  insert.bind(9, lang);
  insert.bind(10, skills);
  insert.exec();
  const int64_t id = db.getLastInsertRowid();
  SQLite::Statement link(db, "INSERT INTO case_mentions (case_id, mention_id) VALUES (?, ?)");
  link.bind(1, id);
  link.bind(2, mention_id);
  link.exec();
  AddEvent(db, id, now, actor, "opened", request.reason);
  return {id, true};
}

std::vector<CaseSummary> List(SQLite::Database& db, const CaseQuery& query) {
  std::string sql = std::string(kCaseColumns) + " WHERE 1 = 1";
  if (query.states.empty()) {
    sql += std::string(" AND c.state IN ") + kOpenStates;
  } else {
    sql += " AND c.state IN (";
    for (size_t i = 0; i < query.states.size(); ++i)
      sql += i ? ", ?" : "?";
    sql += ")";
  }
  if (!query.queue.empty()) sql += " AND c.queue = ?";
  if (!query.assignee.empty()) sql += " AND c.assignee = ?";
  if (!query.customer_key.empty()) sql += " AND c.customer_key = ?";
  sql += " ORDER BY c.priority, c.sla_due_at IS NULL, c.sla_due_at, c.id LIMIT ?";
  SQLite::Statement q(db, sql);
  int i = 1;
  for (const auto& s : query.states)
    q.bind(i++, s);
  if (!query.queue.empty()) q.bind(i++, query.queue);
  if (!query.assignee.empty()) q.bind(i++, query.assignee);
  if (!query.customer_key.empty()) q.bind(i++, query.customer_key);
  q.bind(i, static_cast<int64_t>(std::clamp<size_t>(query.limit, 1, 1000)));
  std::vector<CaseSummary> out;
  while (q.executeStep())
    out.push_back(ReadCase(db, q));
  return out;
}

std::optional<CaseSummary> Get(SQLite::Database& db, int64_t id) {
  SQLite::Statement q(db, std::string(kCaseColumns) + " WHERE c.id = ?");
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return ReadCase(db, q);
}

std::vector<int64_t> MentionIds(SQLite::Database& db, int64_t case_id) {
  SQLite::Statement q(db,
                      "SELECT mention_id FROM case_mentions WHERE case_id = ? ORDER BY mention_id");
  q.bind(1, case_id);
  std::vector<int64_t> ids;
  while (q.executeStep())
    ids.push_back(q.getColumn(0).getInt64());
  return ids;
}

std::vector<CaseEvent> Events(SQLite::Database& db, int64_t case_id) {
  SQLite::Statement q(
      db, "SELECT at, actor, action, detail FROM case_events WHERE case_id = ? ORDER BY id");
  q.bind(1, case_id);
  std::vector<CaseEvent> out;
  while (q.executeStep()) {
    out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(),
                   q.getColumn(2).getString(), q.getColumn(3).getString()});
  }
  return out;
}

Status Update(SQLite::Database& db, const CaseUpdate& u) {
  auto current = Get(db, u.id);
  if (!current) return Status::NotFound("no case " + std::to_string(u.id));
  const std::string& state = current->state;
  const std::string& a = u.action;
  if (a != "note" && !IsOpen(state)) {
    return Status::InvalidArgument("case " + std::to_string(u.id) + " is " + state +
                                   "; only notes can be added to a closed case");
  }
  std::string next = state;
  std::string assignee = current->assignee;
  std::string detail = u.note;
  if (a == "assign") {
    if (u.assignee.empty()) return Status::InvalidArgument("assign needs a caller's name");
    assignee = u.assignee;
    if (state == "new") next = "assigned";
    detail = u.assignee + (u.note.empty() ? "" : ": " + u.note);
  } else if (a == "contacted") {
    next = "contacted";
    if (assignee.empty()) assignee = u.actor;
  } else if (a == "resolved" || a == "no_response" || a == "declined") {
    next = a;
    if (assignee.empty()) assignee = u.actor;
    if (!u.outcome.empty()) detail = u.outcome + (u.note.empty() ? "" : ": " + u.note);
  } else if (a == "note") {
    if (u.note.empty()) return Status::InvalidArgument("a note needs text");
  } else {
    return Status::InvalidArgument("unknown case action '" + a +
                                   "' (assign, contacted, resolved, no_response, declined, note)");
  }
  SQLite::Transaction tx(db);
  SQLite::Statement q(db, R"sql(
    UPDATE cases SET state = ?, assignee = ?, updated_at = ?,
      closed_at = CASE WHEN ? THEN ? ELSE closed_at END,
      outcome = CASE WHEN ? != '' THEN ? ELSE outcome END
    WHERE id = ?)sql");
  const bool closing = !IsOpen(next) && IsOpen(state);
  q.bind(1, next);
  q.bind(2, assignee);
  q.bind(3, static_cast<int64_t>(u.at));
  q.bind(4, closing ? 1 : 0);
  q.bind(5, static_cast<int64_t>(u.at));
  q.bind(6, closing ? u.outcome : std::string());
  q.bind(7, closing ? u.outcome : std::string());
  q.bind(8, u.id);
  q.exec();
  AddEvent(db, u.id, u.at, u.actor, a, detail);
  tx.commit();
  return Status::Ok();
}

}  // namespace earshot::sqlite_cases
