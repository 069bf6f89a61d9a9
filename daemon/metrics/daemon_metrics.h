// The daemon's metrics: what the scheduler, the pipeline and the alert loop report as they go,
// and what is read from the store when /metrics is scraped (outbox depth, open cases).
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "core/time.h"
#include "daemon/metrics/registry.h"
#include "daemon/source_runner.h"
#include "store/store.h"

namespace earshot::metrics {

class DaemonMetrics {
 public:
  // `store` (may be null) is read at every scrape; `clock` gives "now" for lags.
  explicit DaemonMetrics(Store* store, std::function<UnixMillis()> clock = NowMillis);

  // A finished poll (ok or failed; a poll aborted by shutdown or reload is not reported).
  void RecordPoll(const std::string& source, const PollOutcome& outcome);
  // One pass of the alert loop: rows delivered, delivery attempts that failed (retried or
  // given up), rows given up on.
  void RecordDelivery(int delivered_rows, int failed_rows, int given_up_rows);
  void RecordReload(bool ok);
  void SetSourcesScheduled(int count);
  void ForgetSource(const std::string& source);

  Histogram& classify_seconds() { return classify_; }
  Histogram& rules_seconds() { return rules_; }
  Registry& registry() { return registry_; }
  std::string Render() { return registry_.Render(); }

 private:
  void Collect();

  Store* store_;
  std::function<UnixMillis()> clock_;
  Registry registry_;
  Family<Counter>& polls_;
  Family<Counter>& poll_failures_;
  Family<Counter>& mentions_;
  Family<Counter>& fetched_;
  Family<Counter>& edited_;
  Family<Counter>& deleted_;
  Family<Gauge>& lag_;
  Family<Gauge>& rate_limit_;
  Family<Gauge>& circuit_;
  Family<Gauge>& last_success_;
  Histogram& classify_;
  Histogram& rules_;
  Gauge& outbox_depth_;
  Counter& delivered_;
  Counter& delivery_failures_;
  Counter& given_up_;
  Family<Gauge>& cases_open_;
  Gauge& sla_breaches_;
  Family<Counter>& reloads_;
  Gauge& reload_ok_;
  Gauge& sources_scheduled_;
  Gauge& store_up_;

  std::mutex mu_;
  std::map<std::string, UnixMillis> newest_;  // source -> newest mention seen
};

}  // namespace earshot::metrics
