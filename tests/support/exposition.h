// A strict reader of the Prometheus text exposition format (0.0.4), line by line, for tests
// that scrape /metrics: every problem is reported, not skipped.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace earshot::testing {

struct MetricSample {
  std::string name;  // with its _bucket / _sum / _count suffix
  std::map<std::string, std::string> labels;
  double value = 0;
};

struct Exposition {
  std::map<std::string, std::string> types;  // family -> counter gauge histogram ...
  std::map<std::string, std::string> help;
  std::vector<MetricSample> samples;
  std::vector<std::string> errors;  // "line N: what is wrong"

  // The value of the one sample with this name and (at least) these labels.
  std::optional<double> Value(const std::string& name,
                              const std::map<std::string, std::string>& labels = {}) const;
  std::vector<MetricSample> All(const std::string& name) const;
};

Exposition ParseExposition(const std::string& text);

}  // namespace earshot::testing
