#include "daemon/escalations/escalation_monitor.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "rules/rule_set.h"
#include "store/outbox_payload.h"

namespace earshot {
namespace {

std::string Minutes(int64_t ms) {
  return std::to_string(std::max<int64_t>(ms, 0) / 60'000) + "m";
}

std::string Who(const CaseSummary& c) {
  if (c.customer && !c.customer->name.empty()) return c.customer->name;
  return c.author_handle.empty() ? c.customer_key : c.author_handle;
}

}  // namespace

const CallerSpec* EscalationMonitor::PickCaller(const CaseSummary& c, UnixMillis now) {
  const CallerSpec* best = nullptr;
  for (const auto& caller : callers_) {
    if (!caller.shift.Contains(now)) continue;
    if (!caller.languages.empty() && !c.lang.empty() &&
        std::find(caller.languages.begin(), caller.languages.end(), c.lang) ==
            caller.languages.end())
      continue;
    bool skilled = std::all_of(c.skills.begin(), c.skills.end(), [&](const std::string& s) {
      return std::find(caller.skills.begin(), caller.skills.end(), s) != caller.skills.end();
    });
    if (!skilled) continue;
    // Round robin: whoever has waited longest for a case gets the next one.
    if (!best || last_assigned_[caller.name] < last_assigned_[best->name]) best = &caller;
  }
  return best;
}

bool EscalationMonitor::Queue(const std::string& dedup_key, const std::string& rule,
                              const std::string& priority, const std::string& summary,
                              const CaseSummary* c, UnixMillis now) {
  if (options_.channel.empty()) return false;
  AlertPayload p;
  p.rule = rule;
  p.priority = priority;
  p.summary = summary;
  p.source = "earshot";
  p.platform = "earshot";
  if (c) {
    p.author = Who(*c);
    p.url = c->latest_url;
    p.case_id = c->id;
    p.excerpt = c->reason;
  }
  p.group_key = dedup_key;  // escalations are not grouped: each is news
  auto queued = store_.EnqueueAlert(options_.channel, dedup_key, AlertPayloadToJson(p), now);
  if (!queued.ok()) {
    spdlog::warn("escalations: cannot queue {}: {}", rule, queued.status().ToString());
    return false;
  }
  if (*queued) spdlog::info("escalation {}: {}", rule, summary);
  return *queued;
}

EscalationSummary EscalationMonitor::Tick(UnixMillis now) {
  EscalationSummary summary;
  auto cases = store_.ListCases({});
  if (!cases.ok()) {
    spdlog::warn("escalations: cannot list cases: {}", cases.status().ToString());
    return summary;
  }
  for (auto& c : *cases) {
    if (c.state == "new" && c.assignee.empty() && !callers_.empty()) {
      if (const CallerSpec* caller = PickCaller(c, now)) {
        CaseUpdate u;
        u.id = c.id;
        u.actor = "earshot";
        u.action = "assign";
        u.assignee = caller->name;
        u.note = "round robin" + (c.lang.empty() ? std::string() : ", language " + c.lang);
        u.at = now;
        if (Status s = store_.UpdateCase(u); s.ok()) {
          last_assigned_[caller->name] = now;
          c.state = "assigned";
          c.assignee = caller->name;
          ++summary.assigned;
        } else {
          spdlog::warn("escalations: cannot assign case {}: {}", c.id, s.ToString());
        }
      }
    }
    if (!c.sla_due_at || c.state == "contacted") continue;
    const UnixMillis due = *c.sla_due_at;
    const std::string id = std::to_string(c.id);
    const std::string who = Who(c);
    const std::string assignee = c.assignee.empty() ? "nobody" : c.assignee;
    if (due <= now) {
      summary.queued += Queue("sla_breached:case:" + id + ":" + std::to_string(due), "sla_breached",
                              PriorityName(c.priority),
                              "Case #" + id + " (" + who + ") missed its first-contact deadline " +
                                  Minutes(now - due) + " ago; assigned to " + assignee,
                              &c, now);
    } else if (options_.sla_warning_ms > 0 && due - now <= options_.sla_warning_ms) {
      summary.queued += Queue("sla_warning:case:" + id + ":" + std::to_string(due), "sla_warning",
                              PriorityName(c.priority),
                              "Case #" + id + " (" + who + ") must be contacted within " +
                                  Minutes(due - now) + "; assigned to " + assignee,
                              &c, now);
    }
  }

  if (options_.source_failing || options_.source_silent_ms > 0) {
    auto sources = store_.ListSources();
    if (sources.ok()) {
      for (const auto& s : *sources) {
        auto& [count, since] = quiet_since_[s.name];
        if (count != s.mention_count || since == 0) {
          count = s.mention_count;
          since = now;
        }
        // Silent: polls succeed, yet nothing new has come for a long time (a changed feed URL,
        // a revoked scope, a filter that no longer matches).
        if (options_.source_silent_ms > 0 && s.consecutive_failures == 0 &&
            now - since >= options_.source_silent_ms) {
          summary.queued += Queue(
              "source_silent:" + s.name + ":" + std::to_string(count), "source_silent", "medium",
              "Source " + s.name + " has brought no new mention for " +
                  std::to_string((now - since) / 3600'000) + "h although its polls succeed",
              nullptr, now);
        }
        if (!options_.source_failing || s.consecutive_failures < options_.failing_after) continue;
        summary.queued +=
            Queue("source_failing:" + s.name + ":" + std::to_string(s.last_success_at),
                  "source_failing", "high",
                  "Source " + s.name + " has failed " + std::to_string(s.consecutive_failures) +
                      " polls in a row: " + s.last_error,
                  nullptr, now);
      }
    }
  }

  if (options_.negative_spike && options_.spike_baseline_ms > options_.spike_window_ms) {
    auto recent =
        store_.CountLabelled("sentiment", "negative", now - options_.spike_window_ms, now);
    auto before = store_.CountLabelled("sentiment", "negative", now - options_.spike_baseline_ms,
                                       now - options_.spike_window_ms);
    // Without any history before the window (a new install, a first import) there is no usual
    // rate to compare with, so nothing counts as a spike yet.
    int64_t history = 0;
    for (const char* label : {"negative", "neutral", "positive"}) {
      auto n = store_.CountLabelled("sentiment", label, now - options_.spike_baseline_ms,
                                    now - options_.spike_window_ms);
      if (n.ok()) history += *n;
    }
    if (recent.ok() && before.ok() && history > 0) {
      double windows = static_cast<double>(options_.spike_baseline_ms - options_.spike_window_ms) /
                       static_cast<double>(options_.spike_window_ms);
      double expected = static_cast<double>(*before) / windows;
      if (*recent >= options_.spike_min_count &&
          static_cast<double>(*recent) >= options_.spike_factor * std::max(expected, 1.0)) {
        // One alert per cool-down period, however long the spike lasts.
        int64_t bucket = now / std::max<int64_t>(options_.spike_cooldown_ms, 1);
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.1f", expected);
        summary.queued +=
            Queue("negative_spike:" + std::to_string(bucket), "negative_spike", "high",
                  std::to_string(*recent) + " negative mentions in the last " +
                      Minutes(options_.spike_window_ms) + " against " + buf + " usually",
                  nullptr, now);
      }
    }
  }
  return summary;
}

}  // namespace earshot
