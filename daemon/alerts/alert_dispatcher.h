// Delivers the outbox to team chat. Alerts of one group (the rule's group_by) travel together:
// the first message waits group_wait to gather its fellows, later ones at most every
// group_interval, or one digest per period. A delivered row is marked in the store, so a
// restart repeats nothing that was confirmed; the delivery id lets receivers drop the rare
// message that was sent but not yet marked when the process died.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "connectors/http/http_client.h"
#include "daemon/notify/channel.h"
#include "store/store.h"

namespace earshot {

struct DispatcherOptions {
  int64_t base_backoff_ms = 5'000;
  int64_t max_backoff_ms = 15 * 60'000;
  int max_attempts = 20;  // then the rows are marked failed
  std::string link_base;  // e.g. "http://127.0.0.1:8080": links to cases in messages
  size_t max_rows_per_tick = 1000;
};

struct DispatchSummary {
  int messages = 0;  // delivery attempts
  int delivered_rows = 0;
  int retried_rows = 0;
  int failed_rows = 0;
  int waiting_rows = 0;  // due but held back by grouping
  int silenced_rows = 0;
};

class AlertDispatcher {
 public:
  using Clock = std::function<UnixMillis()>;

  AlertDispatcher(Store& store, const HttpClient& http, std::vector<ChannelConfig> channels,
                  DispatcherOptions options = {}, Clock clock = NowMillis);

  // One pass over what is due. `flush` sends every group now (for `run --once`).
  DispatchSummary Tick(bool flush = false);

 private:
  Store& store_;
  const HttpClient& http_;
  std::map<std::string, ChannelConfig> channels_;
  DispatcherOptions options_;
  Clock clock_;
  // A delivered group whose cases nobody has contacted yet is sent again after its
  // repeat_interval. Kept in memory: after a restart, SLA escalations still remind.
  struct Reminder {
    std::string channel;
    std::string payload;  // the lead alert's, as queued
    std::vector<int64_t> case_ids;
    UnixMillis next_at = 0;
    int sent = 0;
  };
  void QueueReminders(UnixMillis now);

  std::map<std::string, UnixMillis> last_sent_;  // group -> when its last message went out
  std::map<std::string, Reminder> reminders_;    // group -> its pending reminder
};

}  // namespace earshot
