#include "store/sqlite_silences.h"

#include <SQLiteCpp/Statement.h>

#include <algorithm>

namespace earshot::sqlite_silences {
namespace {

// "rule=churn\nchannel=care-chat": values may hold anything but a newline.
std::string Encode(const std::vector<SilenceMatcher>& matchers) {
  std::string out;
  for (const auto& m : matchers)
    out += m.field + "=" + m.value + "\n";
  return out;
}

std::vector<SilenceMatcher> Decode(const std::string& text) {
  std::vector<SilenceMatcher> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    size_t eq = line.find('=');
    if (eq != std::string::npos) out.push_back({line.substr(0, eq), line.substr(eq + 1)});
    start = end + 1;
  }
  return out;
}

}  // namespace

Result<int64_t> Add(SQLite::Database& db, const Silence& silence) {
  static const std::vector<std::string> kFields = {"rule",     "channel", "source",
                                                   "platform", "author",  "priority"};
  if (silence.matchers.empty()) return Status::InvalidArgument("a silence needs a matcher");
  for (const auto& m : silence.matchers) {
    if (std::find(kFields.begin(), kFields.end(), m.field) == kFields.end()) {
      return Status::InvalidArgument("cannot silence by '" + m.field +
                                     "': use rule, channel, source, platform, author or priority");
    }
    if (m.value.empty() || m.value.find('\n') != std::string::npos)
      return Status::InvalidArgument("silence matcher " + m.field + " needs a one-line value");
  }
  if (silence.ends_at <= silence.starts_at)
    return Status::InvalidArgument("a silence must end after it starts");
  SQLite::Statement q(db,
                      "INSERT INTO silences (matchers, starts_at, ends_at, created_by, comment) "
                      "VALUES (?, ?, ?, ?, ?)");
  q.bind(1, Encode(silence.matchers));
  q.bind(2, static_cast<int64_t>(silence.starts_at));
  q.bind(3, static_cast<int64_t>(silence.ends_at));
  q.bind(4, silence.created_by);
  q.bind(5, silence.comment);
  q.exec();
  return static_cast<int64_t>(db.getLastInsertRowid());
}

std::vector<Silence> Active(SQLite::Database& db, UnixMillis now) {
  SQLite::Statement q(db,
                      "SELECT id, matchers, starts_at, ends_at, created_by, comment FROM silences "
                      "WHERE starts_at <= ? AND ends_at > ? ORDER BY id");
  q.bind(1, static_cast<int64_t>(now));
  q.bind(2, static_cast<int64_t>(now));
  std::vector<Silence> out;
  while (q.executeStep()) {
    Silence s;
    s.id = q.getColumn(0).getInt64();
    s.matchers = Decode(q.getColumn(1).getString());
    s.starts_at = q.getColumn(2).getInt64();
    s.ends_at = q.getColumn(3).getInt64();
    s.created_by = q.getColumn(4).getString();
    s.comment = q.getColumn(5).getString();
    out.push_back(std::move(s));
  }
  return out;
}

Status Expire(SQLite::Database& db, int64_t id, UnixMillis now) {
  SQLite::Statement q(db, "UPDATE silences SET ends_at = ? WHERE id = ? AND ends_at > ?");
  q.bind(1, static_cast<int64_t>(now));
  q.bind(2, id);
  q.bind(3, static_cast<int64_t>(now));
  if (q.exec() == 0) return Status::NotFound("no active silence #" + std::to_string(id));
  return Status::Ok();
}

}  // namespace earshot::sqlite_silences
