// Watches for what should reach a person before it grows: cases about to miss (or past) their
// SLA, sources that keep failing, a spike of negative mentions against the usual rate. Each
// escalation is queued once in the outbox (its dedup key); the alert dispatcher delivers it.
// It also hands new cases to callers on shift, by language and skills, in turn.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "daemon/escalations/shift.h"
#include "store/store.h"

namespace earshot {

struct CallerSpec {
  std::string name;
  std::vector<std::string> languages;  // empty: any
  std::vector<std::string> skills;
  Shift shift = Shift::Always();
};

struct EscalationOptions {
  std::string channel;  // empty: escalations are not alerted (assignment still runs)
  int64_t sla_warning_ms = 10 * 60'000;  // 0: no warnings, only breaches
  bool source_failing = true;
  int failing_after = 5;
  int64_t source_silent_ms = 0;  // > 0: a polling source with no new mention for this long
  bool negative_spike = false;
  int64_t spike_window_ms = 3600'000;
  int64_t spike_baseline_ms = 7 * 86'400'000LL;
  double spike_factor = 3;
  int64_t spike_min_count = 5;
  int64_t spike_cooldown_ms = 6 * 3600'000;
  std::string link_base;
};

struct EscalationSummary {
  int assigned = 0;
  int queued = 0;  // escalation alerts newly queued
};

class EscalationMonitor {
 public:
  EscalationMonitor(Store& store, EscalationOptions options, std::vector<CallerSpec> callers)
      : store_(store), options_(std::move(options)), callers_(std::move(callers)) {}

  EscalationSummary Tick(UnixMillis now);

 private:
  const CallerSpec* PickCaller(const CaseSummary& c, UnixMillis now);
  bool Queue(const std::string& dedup_key, const std::string& rule, const std::string& priority,
             const std::string& summary, const CaseSummary* c, UnixMillis now);

  Store& store_;
  EscalationOptions options_;
  std::vector<CallerSpec> callers_;
  std::map<std::string, UnixMillis> last_assigned_;  // caller -> when they last got a case
  // source -> (its mention count, when that count was first seen): how long it has been quiet.
  std::map<std::string, std::pair<int64_t, UnixMillis>> quiet_since_;
};

}  // namespace earshot
