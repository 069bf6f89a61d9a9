// Who is asking: API tokens (kept only as SHA-256 hashes), browser sessions with their CSRF
// tokens, and the limit on failed logins. All thread-safe: the HTTP server calls from its pool.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace earshot::web {

enum class Role { kViewer, kReviewer, kCaller, kAdmin };
enum class Permission { kRead, kReview, kCaseWork };

std::optional<Role> RoleFromName(std::string_view name);
const char* RoleName(Role role);
// viewer reads; a reviewer also gives verdicts; a caller also works cases; admin does all.
bool Allows(Role role, Permission permission);
const char* PermissionName(Permission permission);

struct Principal {
  std::string name;
  Role role = Role::kViewer;
};

std::string Sha256(std::string_view data);  // 32 raw bytes
std::string RandomHex(size_t bytes);        // from the system's CSPRNG
// Compares in time that depends only on the lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

struct TokenEntry {
  std::string name;
  Role role = Role::kViewer;
  std::string token_sha256;
};

class TokenTable {
 public:
  explicit TokenTable(std::vector<TokenEntry> entries) : entries_(std::move(entries)) {}
  bool empty() const { return entries_.empty(); }
  bool HasName(const std::string& name) const;
  // Hashes the token and compares it with every entry in constant time.
  std::optional<Principal> Find(std::string_view token) const;

 private:
  std::vector<TokenEntry> entries_;
};

struct Session {
  Principal who;
  std::string csrf;
  UnixMillis expires_at = 0;
};

class SessionTable {
 public:
  explicit SessionTable(int64_t ttl_ms, size_t max_sessions = 10000)
      : ttl_ms_(ttl_ms), max_sessions_(max_sessions) {}
  int64_t ttl_ms() const { return ttl_ms_; }
  // A new session; returns its id (64 hex digits), to go into the cookie.
  std::string Create(const Principal& who, UnixMillis now);
  std::optional<Session> Find(std::string_view id, UnixMillis now);
  void Remove(std::string_view id);

 private:
  std::mutex mu_;
  int64_t ttl_ms_;
  size_t max_sessions_;
  std::map<std::string, Session> by_hash_;  // keyed by SHA-256 of the id
};

// Failed logins per client address in a sliding window.
class LoginLimiter {
 public:
  LoginLimiter(int max_failures, int64_t window_ms)
      : max_failures_(max_failures), window_ms_(window_ms) {}
  // Milliseconds until the address may try again; 0 when it may now.
  int64_t BlockedFor(const std::string& address, UnixMillis now);
  void Failed(const std::string& address, UnixMillis now);

 private:
  void Prune(const std::string& address, UnixMillis now);
  std::mutex mu_;
  int max_failures_;
  int64_t window_ms_;
  std::map<std::string, std::vector<UnixMillis>> failures_;
};

}  // namespace earshot::web
