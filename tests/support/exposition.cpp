#include "tests/support/exposition.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <set>
#include <sstream>

namespace earshot::testing {
namespace {

bool NameStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':';
}
bool NameChar(char c) {
  return NameStart(c) || std::isdigit(static_cast<unsigned char>(c));
}

std::optional<double> ParseNumber(const std::string& text) {
  if (text == "+Inf" || text == "Inf") return HUGE_VAL;
  if (text == "-Inf") return -HUGE_VAL;
  if (text == "NaN") return std::nan("");
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return v;
}

// The family a sample belongs to: histograms' series carry a suffix.
std::string FamilyOf(const std::string& name, const std::map<std::string, std::string>& types) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s = suffix;
    if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
      const std::string base = name.substr(0, name.size() - s.size());
      auto it = types.find(base);
      if (it != types.end() && (it->second == "histogram" || it->second == "summary")) return base;
    }
  }
  return name;
}

}  // namespace

std::optional<double> Exposition::Value(const std::string& name,
                                        const std::map<std::string, std::string>& labels) const {
  std::optional<double> found;
  for (const auto& s : samples) {
    if (s.name != name) continue;
    bool match = true;
    for (const auto& [k, v] : labels) {
      auto it = s.labels.find(k);
      match &= it != s.labels.end() && it->second == v;
    }
    if (!match) continue;
    if (found) return std::nullopt;  // ambiguous
    found = s.value;
  }
  return found;
}

std::vector<MetricSample> Exposition::All(const std::string& name) const {
  std::vector<MetricSample> out;
  for (const auto& s : samples)
    if (s.name == name) out.push_back(s);
  return out;
}

Exposition ParseExposition(const std::string& text) {
  Exposition out;
  std::set<std::string> seen_families;  // families that already had samples
  std::set<std::string> series;         // name + labels, to catch repeats
  std::istringstream in(text);
  std::string line;
  int number = 0;
  auto error = [&](const std::string& what) {
    out.errors.push_back("line " + std::to_string(number) + ": " + what + ": " + line);
  };
  if (!text.empty() && text.back() != '\n') {
    out.errors.push_back("the exposition does not end with a newline");
  }
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    if (line[0] == '#') {
      std::istringstream words(line.substr(1));
      std::string keyword, name;
      words >> keyword >> name;
      if (keyword != "HELP" && keyword != "TYPE") continue;  // a plain comment
      if (name.empty() || !NameStart(name[0])) {
        error("bad metric name in " + keyword);
        continue;
      }
      std::string rest;
      std::getline(words, rest);
      if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
      if (keyword == "HELP") {
        if (out.help.count(name)) error("second HELP for " + name);
        out.help[name] = rest;
      } else {
        static const std::set<std::string> kTypes = {"counter", "gauge", "histogram", "summary",
                                                     "untyped"};
        if (!kTypes.count(rest)) error("unknown type '" + rest + "'");
        if (out.types.count(name)) error("second TYPE for " + name);
        if (seen_families.count(name)) error("TYPE after samples of " + name);
        out.types[name] = rest;
      }
      continue;
    }
    MetricSample sample;
    size_t i = 0;
    if (!NameStart(line[0])) {
      error("a sample must start with a metric name");
      continue;
    }
    while (i < line.size() && NameChar(line[i]))
      ++i;
    sample.name = line.substr(0, i);
    bool bad = false;
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        size_t start = i;
        while (i < line.size() && NameChar(line[i]))
          ++i;
        std::string label = line.substr(start, i - start);
        if (label.empty() || i + 1 >= line.size() || line[i] != '=' || line[i + 1] != '"') {
          bad = true;
          break;
        }
        i += 2;
        std::string value;
        while (i < line.size() && line[i] != '"') {
          if (line[i] == '\\' && i + 1 < line.size()) {
            char e = line[++i];
            if (e == 'n') {
              value += '\n';
            } else if (e == '\\' || e == '"') {
              value += e;
            } else {
              bad = true;
            }
          } else {
            value += line[i];
          }
          ++i;
        }
        if (i >= line.size()) {
          bad = true;
          break;
        }
        ++i;  // closing quote
        if (sample.labels.count(label)) bad = true;
        sample.labels[label] = value;
        if (i < line.size() && line[i] == ',') ++i;
      }
      if (bad || i >= line.size()) {
        error("bad label set");
        continue;
      }
      ++i;  // '}'
    }
    if (i >= line.size() || line[i] != ' ') {
      error("no space before the value");
      continue;
    }
    std::istringstream rest(line.substr(i + 1));
    std::string value_text, timestamp, extra;
    rest >> value_text >> timestamp >> extra;
    auto value = ParseNumber(value_text);
    if (!value || !extra.empty() || (!timestamp.empty() && !ParseNumber(timestamp))) {
      error("bad value");
      continue;
    }
    sample.value = *value;
    const std::string family = FamilyOf(sample.name, out.types);
    if (!out.types.count(family)) error("no TYPE before the samples of " + family);
    seen_families.insert(family);
    std::string key = sample.name;
    for (const auto& [k, v] : sample.labels)
      key += "|" + k + "=" + v;
    if (!series.insert(key).second) error("repeated series");
    out.samples.push_back(std::move(sample));
  }
  // Histograms: buckets cumulative, ending in +Inf equal to _count.
  for (const auto& [family, type] : out.types) {
    if (type != "histogram") continue;
    std::map<std::string, std::vector<std::pair<double, double>>> buckets;  // series -> (le, n)
    for (const auto& s : out.samples) {
      if (s.name != family + "_bucket") continue;
      auto labels = s.labels;
      auto le = labels.find("le");
      if (le == labels.end()) {
        out.errors.push_back(family + ": a bucket without le");
        continue;
      }
      auto bound = ParseNumber(le->second);
      labels.erase(le);
      std::string key;
      for (const auto& [k, v] : labels)
        key += k + "=" + v + ",";
      if (bound) buckets[key].emplace_back(*bound, s.value);
    }
    for (auto& [key, list] : buckets) {
      for (size_t j = 1; j < list.size(); ++j) {
        if (list[j].first <= list[j - 1].first) out.errors.push_back(family + ": le not ascending");
        if (list[j].second < list[j - 1].second)
          out.errors.push_back(family + ": buckets not cumulative");
      }
      if (list.empty() || !std::isinf(list.back().first)) {
        out.errors.push_back(family + ": no +Inf bucket");
        continue;
      }
      double count = -1;
      for (const auto& s : out.samples) {
        if (s.name != family + "_count") continue;
        std::string k;
        for (const auto& [n, v] : s.labels)
          k += n + "=" + v + ",";
        if (k == key) count = s.value;
      }
      if (count != list.back().second) out.errors.push_back(family + ": +Inf bucket != _count");
    }
  }
  return out;
}

}  // namespace earshot::testing
