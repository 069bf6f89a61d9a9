// A small metrics registry for the daemon's /metrics endpoint: counters, gauges and histograms,
// each in a family with label names, rendered in the Prometheus text exposition format (0.0.4).
// Updating a metric is lock-free (atomics); finding a labelled series takes a mutex, so hot
// paths keep the reference they got. References stay valid as long as the registry lives.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

namespace earshot::metrics {

class Counter {
 public:
  void Inc(double by = 1.0) {
    if (by > 0) value_.fetch_add(by, std::memory_order_relaxed);
  }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Inc(double by = 1.0) { value_.fetch_add(by, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Histogram {
 public:
  // `bounds`: the buckets' upper bounds, ascending; +Inf is implied.
  explicit Histogram(std::vector<double> bounds);
  void Observe(double value);

  struct Snapshot {
    std::vector<double> bounds;
    std::vector<uint64_t> cumulative;  // one per bound, then +Inf (== count)
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot Read() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1, not cumulative
  std::atomic<double> sum_{0.0};
};

// Buckets from `start`, each `factor` times the last.
std::vector<double> ExponentialBuckets(double start, double factor, int count);

enum class Type { kCounter, kGauge, kHistogram };

class FamilyBase {
 public:
  FamilyBase(std::string name, std::string help, Type type, std::vector<std::string> label_names)
      : name_(std::move(name)),
        help_(std::move(help)),
        type_(type),
        label_names_(std::move(label_names)) {}
  virtual ~FamilyBase() = default;
  const std::string& name() const { return name_; }
  void Render(std::string* out) const;

 protected:
  virtual void RenderSeries(const std::string& labels, const void* metric,
                            std::string* out) const = 0;
  virtual std::vector<std::pair<std::string, const void*>> Series() const = 0;
  std::string LabelText(const std::vector<std::string>& values) const;

  std::string name_;
  std::string help_;
  Type type_;
  std::vector<std::string> label_names_;
};

template <typename M>
class Family : public FamilyBase {
 public:
  using FamilyBase::FamilyBase;
  Family(std::string name, std::string help, Type type, std::vector<std::string> label_names,
         std::function<std::unique_ptr<M>()> make)
      : FamilyBase(std::move(name), std::move(help), type, std::move(label_names)),
        make_(std::move(make)) {}

  // The series with these label values (one per label name), created at zero on first use.
  M& With(const std::vector<std::string>& values) {
    std::lock_guard lock(mu_);
    auto& slot = series_[values];
    if (!slot) {
      if constexpr (std::is_default_constructible_v<M>) {
        slot = make_ ? make_() : std::make_unique<M>();
      } else {
        slot = make_();
      }
    }
    return *slot;
  }
  // Forgets a series (a source that was removed); references to it become dangling.
  void Remove(const std::vector<std::string>& values) {
    std::lock_guard lock(mu_);
    series_.erase(values);
  }

 protected:
  std::vector<std::pair<std::string, const void*>> Series() const override {
    std::lock_guard lock(mu_);
    std::vector<std::pair<std::string, const void*>> out;
    for (const auto& [values, metric] : series_)
      out.emplace_back(LabelText(values), metric.get());
    return out;
  }
  void RenderSeries(const std::string& labels, const void* metric, std::string* out) const override;

 private:
  mutable std::mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<M>> series_;
  std::function<std::unique_ptr<M>()> make_;
};

template <>
void Family<Counter>::RenderSeries(const std::string&, const void*, std::string*) const;
template <>
void Family<Gauge>::RenderSeries(const std::string&, const void*, std::string*) const;
template <>
void Family<Histogram>::RenderSeries(const std::string&, const void*, std::string*) const;

class Registry {
 public:
  Family<Counter>& AddCounter(const std::string& name, const std::string& help,
                              std::vector<std::string> label_names = {});
  Family<Gauge>& AddGauge(const std::string& name, const std::string& help,
                          std::vector<std::string> label_names = {});
  Family<Histogram>& AddHistogram(const std::string& name, const std::string& help,
                                  std::vector<double> bounds,
                                  std::vector<std::string> label_names = {});

  // Runs before every Render: for values read on demand (a store count, a lag).
  void AddCollector(std::function<void()> collect);

  // Every family in registration order, in the text exposition format.
  std::string Render() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<FamilyBase>> families_;
  std::vector<std::function<void()>> collectors_;
};

// A number as the exposition format writes it: shortest round-trip form, +Inf, -Inf, NaN.
std::string FormatValue(double value);
// A label value with \, " and newline escaped.
std::string EscapeLabelValue(const std::string& value);

}  // namespace earshot::metrics
