#include "daemon/metrics/daemon_metrics.h"

#include <algorithm>

namespace earshot::metrics {
namespace {

// Classifying one mention takes tens of microseconds to a few milliseconds; rules less.
std::vector<double> ClassifyBuckets() {
  return {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5};
}
std::vector<double> RulesBuckets() {
  return {0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005,
          0.001,    0.0025,  0.005,    0.01,    0.05,   0.1};
}

const char* const kOpenStates[] = {"new", "assigned", "contacted"};

}  // namespace

DaemonMetrics::DaemonMetrics(Store* store, std::function<UnixMillis()> clock)
    : store_(store),
      clock_(std::move(clock)),
      polls_(registry_.AddCounter("earshot_source_polls_total",
                                  "Polls finished per source, successful or not.", {"source"})),
      poll_failures_(registry_.AddCounter("earshot_source_poll_failures_total",
                                          "Polls that failed per source.", {"source"})),
      mentions_(registry_.AddCounter("earshot_source_mentions_total",
                                     "New mentions stored per source.", {"source"})),
      fetched_(registry_.AddCounter("earshot_source_fetched_total",
                                    "Mentions the connector returned per source, before the "
                                    "keyword filter and de-duplication.",
                                    {"source"})),
      edited_(registry_.AddCounter("earshot_source_edited_total",
                                   "Stored mentions seen again with a new text, title or rating "
                                   "(kept as a revision, labelled and ruled again).",
                                   {"source"})),
      deleted_(registry_.AddCounter(
          "earshot_source_deleted_total",
          "Stored mentions seen deleted on their platform (kept, marked).", {"source"})),
      lag_(registry_.AddGauge("earshot_source_lag_seconds",
                              "Seconds since the newest mention seen from the source was created.",
                              {"source"})),
      rate_limit_(registry_.AddGauge("earshot_source_rate_limit_remaining",
                                     "Requests left in the platform's rate-limit window, where "
                                     "the platform says.",
                                     {"source"})),
      circuit_(registry_.AddGauge("earshot_source_circuit_state",
                                  "The source's circuit breaker: 0 closed, 1 half-open (a trial "
                                  "request may go out), 2 open (no requests).",
                                  {"source"})),
      last_success_(registry_.AddGauge("earshot_source_last_success_timestamp_seconds",
                                       "Unix time of the source's last successful poll.",
                                       {"source"})),
      classify_(registry_
                    .AddHistogram("earshot_classify_seconds",
                                  "Time to label one mention (all classifiers).", ClassifyBuckets())
                    .With({})),
      rules_(registry_
                 .AddHistogram("earshot_rules_seconds",
                               "Time to evaluate the rules against one labelled mention.",
                               RulesBuckets())
                 .With({})),
      outbox_depth_(
          registry_.AddGauge("earshot_outbox_depth", "Alerts waiting in the outbox for delivery.")
              .With({})),
      delivered_(
          registry_.AddCounter("earshot_alerts_delivered_total", "Alert rows a channel accepted.")
              .With({})),
      delivery_failures_(registry_
                             .AddCounter("earshot_alert_delivery_failures_total",
                                         "Alert rows whose delivery attempt failed (retried or "
                                         "given up).")
                             .With({})),
      given_up_(registry_
                    .AddCounter("earshot_alerts_failed_total",
                                "Alert rows given up on (a permanent error or too many "
                                "attempts).")
                    .With({})),
      cases_open_(
          registry_.AddGauge("earshot_cases_open", "Open outreach cases by state.", {"state"})),
      sla_breaches_(
          registry_.AddGauge("earshot_cases_sla_breached", "Open cases past their SLA deadline.")
              .With({})),
      reloads_(registry_.AddCounter("earshot_config_reloads_total",
                                    "Configuration reloads (SIGHUP) by result.", {"result"})),
      reload_ok_(registry_
                     .AddGauge("earshot_config_last_reload_successful",
                               "1 when the last reload was applied (or none was tried), 0 when "
                               "it was refused.")
                     .With({})),
      sources_scheduled_(
          registry_.AddGauge("earshot_sources_scheduled", "Sources being polled on schedule.")
              .With({})),
      store_up_(registry_.AddGauge("earshot_store_up", "1 when the store answered this scrape.")
                    .With({})) {
  reload_ok_.Set(1);
  reloads_.With({"ok"});
  reloads_.With({"error"});
  for (const char* state : kOpenStates)
    cases_open_.With({state});
  registry_.AddCollector([this] { Collect(); });
}

void DaemonMetrics::RecordPoll(const std::string& source, const PollOutcome& o) {
  polls_.With({source}).Inc();
  poll_failures_.With({source});
  mentions_.With({source});
  fetched_.With({source});
  edited_.With({source});
  deleted_.With({source});
  circuit_.With({source}).Set(static_cast<double>(o.circuit));
  if (o.rate_limit_remaining) rate_limit_.With({source}).Set(*o.rate_limit_remaining);
  if (!o.status.ok()) {
    poll_failures_.With({source}).Inc();
    return;
  }
  mentions_.With({source}).Inc(o.inserted);
  fetched_.With({source}).Inc(o.fetched);
  edited_.With({source}).Inc(o.edited);
  deleted_.With({source}).Inc(o.deleted);
  last_success_.With({source}).Set(static_cast<double>(clock_()) / 1000.0);
  std::lock_guard lock(mu_);
  if (o.newest_mention_at > 0) {
    UnixMillis& newest = newest_[source];
    newest = std::max(newest, o.newest_mention_at);
  }
}

void DaemonMetrics::RecordDelivery(int delivered_rows, int failed_rows, int given_up_rows) {
  delivered_.Inc(delivered_rows);
  delivery_failures_.Inc(failed_rows);
  given_up_.Inc(given_up_rows);
}

void DaemonMetrics::RecordReload(bool ok) {
  reloads_.With({ok ? "ok" : "error"}).Inc();
  reload_ok_.Set(ok ? 1 : 0);
}

void DaemonMetrics::SetSourcesScheduled(int count) {
  sources_scheduled_.Set(count);
}

void DaemonMetrics::ForgetSource(const std::string& source) {
  lag_.Remove({source});
  rate_limit_.Remove({source});
  circuit_.Remove({source});
  std::lock_guard lock(mu_);
  newest_.erase(source);
}

void DaemonMetrics::Collect() {
  const UnixMillis now = clock_();
  {
    std::lock_guard lock(mu_);
    for (const auto& [source, newest] : newest_)
      lag_.With({source}).Set(static_cast<double>(std::max<int64_t>(0, now - newest)) / 1000.0);
  }
  if (!store_) return;
  bool up = true;
  if (auto depth = store_->OutboxDepth(); depth.ok()) {
    outbox_depth_.Set(static_cast<double>(*depth));
  } else {
    up = false;
  }
  CaseQuery open;
  open.limit = 1'000'000;
  if (auto cases = store_->ListCases(open); cases.ok()) {
    std::map<std::string, int64_t> by_state;
    int64_t breached = 0;
    for (const auto& c : *cases) {
      ++by_state[c.state];
      if (c.sla_due_at && *c.sla_due_at < now) ++breached;
    }
    for (const char* state : kOpenStates)
      cases_open_.With({state}).Set(static_cast<double>(by_state[state]));
    sla_breaches_.Set(static_cast<double>(breached));
  } else {
    up = false;
  }
  store_up_.Set(up ? 1 : 0);
}

}  // namespace earshot::metrics
