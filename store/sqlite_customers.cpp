#include "store/sqlite_customers.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

namespace earshot::sqlite_customers {
namespace {

// Open cases of the customer's identities become the customer's, so the next mention from any
// of their accounts joins the same case.
void RekeyOpenCases(SQLite::Database& db, int64_t customer_id) {
  SQLite::Statement q(db, R"sql(
    UPDATE cases SET customer_key = 'customer:' || ?1, customer_id = ?1
    WHERE state IN ('new', 'assigned', 'contacted') AND customer_key IN (
      SELECT a.platform || ':' || a.author_key FROM authors a JOIN customer_identities i
        ON i.identity = lower(a.platform || ':' || ltrim(a.handle, '@'))
      WHERE i.customer_id = ?1))sql");
  q.bind(1, customer_id);
  q.exec();
}

void LinkOne(SQLite::Database& db, const std::string& identity, int64_t customer_id,
             const std::string& origin) {
  SQLite::Statement q(db, R"sql(
    INSERT INTO customer_identities (identity, customer_id, origin) VALUES (?, ?, ?)
    ON CONFLICT(identity) DO UPDATE SET customer_id = excluded.customer_id,
      origin = excluded.origin)sql");
  q.bind(1, identity);
  q.bind(2, customer_id);
  q.bind(3, origin);
  q.exec();
}

Status CheckIdentity(const std::string& identity) {
  size_t colon = identity.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == identity.size()) {
    return Status::InvalidArgument("identity '" + identity +
                                   "' is not platform:handle (e.g. reddit:anna, "
                                   "email:anna@example.com)");
  }
  return Status::Ok();
}

}  // namespace

std::optional<Customer> ById(SQLite::Database& db, int64_t id) {
  SQLite::Statement q(db, "SELECT id, crm_id, name, email, phone FROM customers WHERE id = ?");
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  Customer c;
  c.id = q.getColumn(0).getInt64();
  c.crm_id = q.getColumn(1).getString();
  c.name = q.getColumn(2).getString();
  c.email = q.getColumn(3).getString();
  c.phone = q.getColumn(4).getString();
  SQLite::Statement ids(db,
                        "SELECT identity FROM customer_identities WHERE customer_id = ? "
                        "ORDER BY identity");
  ids.bind(1, id);
  while (ids.executeStep())
    c.identities.push_back(ids.getColumn(0).getString());
  return c;
}

std::optional<int64_t> IdOf(SQLite::Database& db, const std::vector<std::string>& identities) {
  SQLite::Statement q(db, "SELECT customer_id FROM customer_identities WHERE identity = ?");
  for (const auto& identity : identities) {
    if (identity.empty()) continue;
    q.bind(1, identity);
    if (q.executeStep()) return q.getColumn(0).getInt64();
    q.reset();
  }
  return std::nullopt;
}

std::optional<Customer> Find(SQLite::Database& db, const std::string& key) {
  if (key.size() > 1 && key[0] == '#') {
    try {
      return ById(db, std::stoll(key.substr(1)));
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  if (auto id = IdOf(db, {key})) return ById(db, *id);
  SQLite::Statement q(db, "SELECT id FROM customers WHERE crm_id = ? AND crm_id != ''");
  q.bind(1, key);
  if (q.executeStep()) return ById(db, q.getColumn(0).getInt64());
  return std::nullopt;
}

Result<int64_t> Upsert(SQLite::Database& db, const Customer& customer, UnixMillis now) {
  for (const auto& identity : customer.identities) {
    if (Status s = CheckIdentity(identity); !s.ok()) return s;
  }
  SQLite::Transaction tx(db);
  std::optional<int64_t> id;
  if (!customer.crm_id.empty()) {
    SQLite::Statement q(db, "SELECT id FROM customers WHERE crm_id = ?");
    q.bind(1, customer.crm_id);
    if (q.executeStep()) id = q.getColumn(0).getInt64();
  }
  if (!id && customer.crm_id.empty()) id = IdOf(db, customer.identities);
  if (id) {
    SQLite::Statement q(db, R"sql(
      UPDATE customers SET name = CASE WHEN ?2 != '' THEN ?2 ELSE name END,
        email = CASE WHEN ?3 != '' THEN ?3 ELSE email END,
        phone = CASE WHEN ?4 != '' THEN ?4 ELSE phone END WHERE id = ?1)sql");
    q.bind(1, *id);
    q.bind(2, customer.name);
    q.bind(3, customer.email);
    q.bind(4, customer.phone);
    q.exec();
  } else {
    SQLite::Statement q(db,
                        "INSERT INTO customers (crm_id, name, email, phone, created_at) "
                        "VALUES (?, ?, ?, ?, ?)");
    q.bind(1, customer.crm_id);
    q.bind(2, customer.name);
    q.bind(3, customer.email);
    q.bind(4, customer.phone);
    q.bind(5, static_cast<int64_t>(now));
    q.exec();
    id = db.getLastInsertRowid();
  }
  for (const auto& identity : customer.identities)
    LinkOne(db, identity, *id, "import");
  if (!customer.email.empty()) LinkOne(db, "email:" + customer.email, *id, "import");
  RekeyOpenCases(db, *id);
  tx.commit();
  return *id;
}

Result<int64_t> Link(SQLite::Database& db, const std::vector<std::string>& identities,
                     UnixMillis now) {
  if (identities.size() < 2) return Status::InvalidArgument("link needs two identities or more");
  for (const auto& identity : identities) {
    if (Status s = CheckIdentity(identity); !s.ok()) return s;
  }
  SQLite::Transaction tx(db);
  std::optional<int64_t> id = IdOf(db, identities);
  if (!id) {
    SQLite::Statement q(db, "INSERT INTO customers (created_at) VALUES (?)");
    q.bind(1, static_cast<int64_t>(now));
    q.exec();
    id = db.getLastInsertRowid();
  }
  for (const auto& identity : identities)
    LinkOne(db, identity, *id, "manual");
  RekeyOpenCases(db, *id);
  tx.commit();
  return *id;
}

}  // namespace earshot::sqlite_customers
