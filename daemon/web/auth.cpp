#include "daemon/web/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace earshot::web {

std::optional<Role> RoleFromName(std::string_view name) {
  if (name == "viewer") return Role::kViewer;
  if (name == "reviewer") return Role::kReviewer;
  if (name == "caller") return Role::kCaller;
  if (name == "admin") return Role::kAdmin;
  return std::nullopt;
}

const char* RoleName(Role role) {
  switch (role) {
    case Role::kViewer:
      return "viewer";
    case Role::kReviewer:
      return "reviewer";
    case Role::kCaller:
      return "caller";
    case Role::kAdmin:
      return "admin";
  }
  return "viewer";
}

bool Allows(Role role, Permission permission) {
  switch (permission) {
    case Permission::kRead:
      return true;
    case Permission::kReview:
      return role == Role::kReviewer || role == Role::kAdmin;
    case Permission::kCaseWork:
      return role == Role::kCaller || role == Role::kAdmin;
  }
  return false;
}

const char* PermissionName(Permission permission) {
  switch (permission) {
    case Permission::kRead:
      return "read";
    case Permission::kReview:
      return "review mentions";
    case Permission::kCaseWork:
      return "work cases";
  }
  return "?";
}

std::string Sha256(std::string_view data) {
  std::string out(32, '\0');
  unsigned int len = 0;
  if (!EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out.data()), &len,
                  EVP_sha256(), nullptr)) {
    throw std::runtime_error("SHA-256 failed");
  }
  return out;
}

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
    throw std::runtime_error("no random bytes from OpenSSL");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char c : raw) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  OPENSSL_cleanse(raw.data(), raw.size());
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool TokenTable::HasName(const std::string& name) const {
  for (const auto& e : entries_)
    if (e.name == name) return true;
  return false;
}

std::optional<Principal> TokenTable::Find(std::string_view token) const {
  if (token.empty()) return std::nullopt;
  const std::string hash = Sha256(token);
  const TokenEntry* found = nullptr;
  for (const auto& e : entries_) {
    // No early exit: every entry is compared, whichever matches.
    const bool match = ConstantTimeEquals(hash, e.token_sha256);
    if (match && !found) found = &e;
  }
  if (!found) return std::nullopt;
  return Principal{found->name, found->role};
}

std::string SessionTable::Create(const Principal& who, UnixMillis now) {
  std::string id = RandomHex(32);
  Session s{who, RandomHex(32), now + ttl_ms_};
  std::lock_guard lock(mu_);
  for (auto it = by_hash_.begin(); it != by_hash_.end();) {
    it = it->second.expires_at <= now ? by_hash_.erase(it) : std::next(it);
  }
  if (by_hash_.size() >= max_sessions_) {
    // Full: the session closest to expiry gives way.
    auto oldest = by_hash_.begin();
    for (auto it = by_hash_.begin(); it != by_hash_.end(); ++it)
      if (it->second.expires_at < oldest->second.expires_at) oldest = it;
    by_hash_.erase(oldest);
  }
  by_hash_[Sha256(id)] = std::move(s);
  return id;
}

std::optional<Session> SessionTable::Find(std::string_view id, UnixMillis now) {
  if (id.size() != 64) return std::nullopt;
  const std::string key = Sha256(id);
  std::lock_guard lock(mu_);
  auto it = by_hash_.find(key);
  if (it == by_hash_.end()) return std::nullopt;
  if (it->second.expires_at <= now) {
    by_hash_.erase(it);
    return std::nullopt;
  }
  return it->second;
}

void SessionTable::Remove(std::string_view id) {
  const std::string key = Sha256(id);
  std::lock_guard lock(mu_);
  by_hash_.erase(key);
}

void LoginLimiter::Prune(const std::string& address, UnixMillis now) {
  auto it = failures_.find(address);
  if (it == failures_.end()) return;
  auto& times = it->second;
  std::erase_if(times, [&](UnixMillis t) { return t <= now - window_ms_; });
  if (times.empty()) failures_.erase(it);
}

int64_t LoginLimiter::BlockedFor(const std::string& address, UnixMillis now) {
  std::lock_guard lock(mu_);
  Prune(address, now);
  auto it = failures_.find(address);
  if (it == failures_.end() || static_cast<int>(it->second.size()) < max_failures_) return 0;
  return std::max<int64_t>(1, it->second.front() + window_ms_ - now);
}

void LoginLimiter::Failed(const std::string& address, UnixMillis now) {
  std::lock_guard lock(mu_);
  Prune(address, now);
  if (failures_.size() > 100000) failures_.clear();  // a flood of addresses: start over
  auto& times = failures_[address];
  times.push_back(now);
  if (static_cast<int>(times.size()) > max_failures_) times.erase(times.begin());
}

}  // namespace earshot::web
