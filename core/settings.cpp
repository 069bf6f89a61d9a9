#include "core/settings.h"

#include <charconv>

#include "core/time.h"

namespace earshot {

bool Settings::Has(const std::string& name) const {
  return scalars_.count(name) || lists_.count(name) || maps_.count(name);
}

std::string Settings::Get(const std::string& name, const std::string& fallback) const {
  auto it = scalars_.find(name);
  return it == scalars_.end() ? fallback : it->second;
}

int64_t Settings::GetInt(const std::string& name, int64_t fallback) const {
  auto it = scalars_.find(name);
  if (it == scalars_.end()) return fallback;
  int64_t v = 0;
  const auto& s = it->second;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return (ec == std::errc() && ptr == s.data() + s.size()) ? v : fallback;
}

bool Settings::GetBool(const std::string& name, bool fallback) const {
  auto it = scalars_.find(name);
  if (it == scalars_.end()) return fallback;
  const auto& s = it->second;
  if (s == "true" || s == "yes" || s == "on" || s == "1") return true;
  if (s == "false" || s == "no" || s == "off" || s == "0") return false;
  return fallback;
}

int64_t Settings::GetDurationMillis(const std::string& name, int64_t fallback) const {
  auto it = scalars_.find(name);
  if (it == scalars_.end()) return fallback;
  return ParseDurationMillis(it->second).value_or(fallback);
}

std::vector<std::string> Settings::GetList(const std::string& name) const {
  auto it = lists_.find(name);
  return it == lists_.end() ? std::vector<std::string>{} : it->second;
}

std::map<std::string, std::string> Settings::GetMap(const std::string& name) const {
  auto it = maps_.find(name);
  return it == maps_.end() ? std::map<std::string, std::string>{} : it->second;
}

}  // namespace earshot
