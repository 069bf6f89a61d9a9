// A source's kind-specific settings, validated against the kind's declared specs before any
// connector sees them (in the spirit of Fluent Bit's config maps). Connectors depend only on
// this, never on YAML, so they can be built from a config file, an API call or a test.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace earshot {

enum class SettingType {
  kString,
  kSecret,  // like kString, but never logged or stored; may come from NAME_file
  kInt,
  kBool,
  kDuration,  // "30s", "5m": stored as its text, read with GetDurationMillis
  kStringList,
  kStringMap,  // e.g. extra HTTP headers
};

struct SettingSpec {
  std::string name;
  SettingType type = SettingType::kString;
  bool required = false;
  std::string default_value;  // for scalars; empty means none
  std::string help;
};

class Settings {
 public:
  void Set(const std::string& name, std::string value) { scalars_[name] = std::move(value); }
  void SetList(const std::string& name, std::vector<std::string> v) { lists_[name] = std::move(v); }
  void SetMap(const std::string& name, std::map<std::string, std::string> v) {
    maps_[name] = std::move(v);
  }

  bool Has(const std::string& name) const;
  std::string Get(const std::string& name, const std::string& fallback = "") const;
  int64_t GetInt(const std::string& name, int64_t fallback) const;
  bool GetBool(const std::string& name, bool fallback) const;
  int64_t GetDurationMillis(const std::string& name, int64_t fallback) const;
  std::vector<std::string> GetList(const std::string& name) const;
  std::map<std::string, std::string> GetMap(const std::string& name) const;

 private:
  std::map<std::string, std::string> scalars_;
  std::map<std::string, std::vector<std::string>> lists_;
  std::map<std::string, std::map<std::string, std::string>> maps_;
};

}  // namespace earshot
