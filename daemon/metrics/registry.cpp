#include "daemon/metrics/registry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace earshot::metrics {
namespace {

const char* TypeName(Type type) {
  switch (type) {
    case Type::kCounter:
      return "counter";
    case Type::kGauge:
      return "gauge";
    case Type::kHistogram:
      return "histogram";
  }
  return "untyped";
}

std::string EscapeHelp(const std::string& help) {
  std::string out;
  for (char c : help) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

// `labels` is "{a="x"}" or ""; adds one more label inside the braces.
std::string WithLabel(const std::string& labels, const std::string& name,
                      const std::string& value) {
  std::string pair = name + "=\"" + EscapeLabelValue(value) + "\"";
  if (labels.empty()) return "{" + pair + "}";
  return labels.substr(0, labels.size() - 1) + "," + pair + "}";
}

void Line(std::string* out, const std::string& name, const std::string& labels, double value) {
  *out += name;
  *out += labels;
  *out += ' ';
  *out += FormatValue(value);
  *out += '\n';
}

}  // namespace

std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  if (ec != std::errc()) return "NaN";
  return std::string(buf, end);
}

std::string EscapeLabelValue(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {
  if (!std::is_sorted(bounds_.begin(), bounds_.end()))
    throw std::invalid_argument("histogram bounds must ascend");
  for (size_t i = 0; i <= bounds_.size(); ++i)
    buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::Observe(double value) {
  // The first bucket whose bound is >= value ("le"); past the last bound: +Inf.
  size_t i = static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), value) -
                                 bounds_.begin());
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot s;
  s.bounds = bounds_;
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  s.count = running;
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

std::vector<double> ExponentialBuckets(double start, double factor, int count) {
  std::vector<double> out;
  double v = start;
  for (int i = 0; i < count; ++i, v *= factor)
    out.push_back(v);
  return out;
}

std::string FamilyBase::LabelText(const std::vector<std::string>& values) const {
  if (label_names_.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < label_names_.size(); ++i) {
    if (i) out += ",";
    out += label_names_[i] + "=\"" + EscapeLabelValue(i < values.size() ? values[i] : "") + "\"";
  }
  return out + "}";
}

void FamilyBase::Render(std::string* out) const {
  *out += "# HELP " + name_ + " " + EscapeHelp(help_) + "\n";
  *out += "# TYPE " + name_ + " " + TypeName(type_) + "\n";
  for (const auto& [labels, metric] : Series())
    RenderSeries(labels, metric, out);
}

template <>
void Family<Counter>::RenderSeries(const std::string& labels, const void* metric,
                                   std::string* out) const {
  Line(out, name_, labels, static_cast<const Counter*>(metric)->value());
}

template <>
void Family<Gauge>::RenderSeries(const std::string& labels, const void* metric,
                                 std::string* out) const {
  Line(out, name_, labels, static_cast<const Gauge*>(metric)->value());
}

template <>
void Family<Histogram>::RenderSeries(const std::string& labels, const void* metric,
                                     std::string* out) const {
  const Histogram::Snapshot s = static_cast<const Histogram*>(metric)->Read();
  for (size_t i = 0; i < s.bounds.size(); ++i) {
    Line(out, name_ + "_bucket", WithLabel(labels, "le", FormatValue(s.bounds[i])),
         static_cast<double>(s.cumulative[i]));
  }
  Line(out, name_ + "_bucket", WithLabel(labels, "le", "+Inf"), static_cast<double>(s.count));
  Line(out, name_ + "_sum", labels, s.sum);
  Line(out, name_ + "_count", labels, static_cast<double>(s.count));
}

Family<Counter>& Registry::AddCounter(const std::string& name, const std::string& help,
                                      std::vector<std::string> label_names) {
  auto family =
      std::make_unique<Family<Counter>>(name, help, Type::kCounter, std::move(label_names));
  Family<Counter>& ref = *family;
  std::lock_guard lock(mu_);
  families_.push_back(std::move(family));
  return ref;
}

Family<Gauge>& Registry::AddGauge(const std::string& name, const std::string& help,
                                  std::vector<std::string> label_names) {
  auto family = std::make_unique<Family<Gauge>>(name, help, Type::kGauge, std::move(label_names));
  Family<Gauge>& ref = *family;
  std::lock_guard lock(mu_);
  families_.push_back(std::move(family));
  return ref;
}

Family<Histogram>& Registry::AddHistogram(const std::string& name, const std::string& help,
                                          std::vector<double> bounds,
                                          std::vector<std::string> label_names) {
  auto family = std::make_unique<Family<Histogram>>(
      name, help, Type::kHistogram, std::move(label_names),
      [bounds = std::move(bounds)] { return std::make_unique<Histogram>(bounds); });
  Family<Histogram>& ref = *family;
  std::lock_guard lock(mu_);
  families_.push_back(std::move(family));
  return ref;
}

void Registry::AddCollector(std::function<void()> collect) {
  std::lock_guard lock(mu_);
  collectors_.push_back(std::move(collect));
}

std::string Registry::Render() const {
  std::lock_guard lock(mu_);
  for (const auto& collect : collectors_)
    collect();
  std::string out;
  for (const auto& family : families_)
    family->Render(&out);
  return out;
}

}  // namespace earshot::metrics
