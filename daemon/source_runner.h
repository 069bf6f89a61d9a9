// Runs one configured source: poll, filter, label, commit. The cursor only advances through
// the store's CommitPoll, together with the mentions it led to. Push sources (kind webhook) are
// never polled: their mentions arrive through Ingest and take the same path to the store.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "connectors/connector.h"
#include "connectors/http/source_traffic.h"
#include "connectors/keyword_filter.h"
#include "connectors/webhook/webhook_connector.h"
#include "daemon/config/config.h"
#include "daemon/pipeline.h"
#include "store/store.h"

namespace earshot {

struct PollOutcome {
  Status status;
  int fetched = 0;     // mentions the connector returned
  int filtered = 0;    // dropped by the keyword filter
  int inserted = 0;    // new in the store
  int duplicates = 0;  // already stored (same source and external id), not edited
  int edited = 0;      // already stored, with a new text, title or rating: labelled again
  int deleted = 0;     // already stored, now deleted on the platform
  int flagged = 0;
  int dropped = 0;  // by a rule's drop action
  int cases_opened = 0;
  int alerts_queued = 0;
  int http_status = 0;
  bool not_modified = false;
  bool has_more = false;  // the connector has more right now: poll again without waiting
  double seconds = 0;
  UnixMillis newest_mention_at = 0;  // creation time of the newest mention fetched (else fetch)
  // Requests left in the platform's rate-limit window, when its last response said.
  std::optional<double> rate_limit_remaining;
  CircuitState circuit = CircuitState::kClosed;
};

// True when two source configurations would poll the same way (their place in the file aside):
// a reload keeps such a source's runner, its schedule and its connection state.
bool SameSource(const SourceConfig& a, const SourceConfig& b);

class SourceRunner {
 public:
  static Result<std::unique_ptr<SourceRunner>> Create(const SourceConfig& config, HttpClient& http);

  const SourceConfig& config() const { return config_; }
  const std::string& name() const { return config_.spec.name; }

  // Fed by pushes (POST /ingest/<source>), never polled on an interval.
  bool push() const { return push_; }

  // Never throws; a failure is recorded in the store and returned.
  PollOutcome PollOnce(Store& store, const Pipeline& pipeline, const std::atomic<bool>& stop);

  // Mentions a sender pushed, processed exactly like a poll's (keyword filter, pipeline with the
  // author's history, one CommitPoll transaction). Pushes to one source commit one at a time, so
  // each sees the ones before it in the authors' history. A failure is returned, not recorded:
  // the sender is told and may retry, and nothing was stored.
  PollOutcome Ingest(Store& store, const Pipeline& pipeline, std::vector<Mention> mentions);

  // While the source's circuit is open: when its next trial request may go out; else 0.
  UnixMillis circuit_open_until() const { return traffic_.breaker().open_until(); }

 private:
  SourceRunner(SourceConfig config, std::unique_ptr<Connector> connector, KeywordFilter filter)
      : config_(std::move(config)),
        connector_(std::move(connector)),
        filter_(std::move(filter)),
        traffic_(RequestLimits{config_.requests_per_minute, config_.requests_per_day},
                 config_.circuit_breaker) {
    push_ = IsPushKind(config_.spec.kind);
  }

  // The path every mention takes to the store, polled or pushed: the keyword filter, the
  // source's settings, the pipeline (with each author's stored and in-batch history), then one
  // CommitPoll of the mentions with `next_cursor`. Fills outcome's counts.
  Status ProcessAndCommit(Store& store, const Pipeline& pipeline, std::vector<Mention> mentions,
                          const SourceCursor& next_cursor, PollOutcome* outcome);

  SourceConfig config_;
  std::unique_ptr<Connector> connector_;
  KeywordFilter filter_;
  bool push_ = false;
  SourceTraffic traffic_;  // its request rate, daily budget and circuit breaker
  std::mutex ingest_mu_;   // one push at a time per source
};

}  // namespace earshot
