#include "daemon/source_runner.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <map>

#include "core/utf8.h"
#include "store/author_key.h"

namespace earshot {
namespace {

constexpr size_t kMaxTextBytes = 64 * 1024;  // longer texts are cut: nobody triages a novel

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

bool SameSource(const SourceConfig& a, const SourceConfig& b) {
  if (a.spec.name != b.spec.name || a.spec.kind != b.spec.kind || a.spec.lang != b.spec.lang ||
      a.interval_ms != b.interval_ms || a.jitter != b.jitter || a.enabled != b.enabled ||
      a.keep_raw != b.keep_raw || a.keywords.include != b.keywords.include ||
      a.keywords.exclude != b.keywords.exclude || a.requests_per_minute != b.requests_per_minute ||
      a.requests_per_day != b.requests_per_day ||
      a.circuit_breaker.failures_to_open != b.circuit_breaker.failures_to_open ||
      a.circuit_breaker.open_ms != b.circuit_breaker.open_ms ||
      a.circuit_breaker.max_open_ms != b.circuit_breaker.max_open_ms) {
    return false;
  }
  // Settings are validated against the kind's specs, so the specs name every one there is.
  const ConnectorDescriptor* descriptor = FindConnector(a.spec.kind);
  if (!descriptor) return false;
  const Settings& x = a.spec.settings;
  const Settings& y = b.spec.settings;
  for (const auto& spec : descriptor->settings) {
    const std::string& n = spec.name;
    if (x.Has(n) != y.Has(n)) return false;
    if (spec.type == SettingType::kStringList) {
      if (x.GetList(n) != y.GetList(n)) return false;
    } else if (spec.type == SettingType::kStringMap) {
      if (x.GetMap(n) != y.GetMap(n)) return false;
    } else if (x.Get(n) != y.Get(n)) {
      return false;
    }
  }
  return true;
}

Result<std::unique_ptr<SourceRunner>> SourceRunner::Create(const SourceConfig& config,
                                                           HttpClient& http) {
  const ConnectorDescriptor* descriptor = FindConnector(config.spec.kind);
  if (!descriptor) return Status::InvalidArgument("unknown source kind '" + config.spec.kind + "'");
  auto connector = descriptor->create(config.spec, http);
  if (!connector.ok()) return connector.status().WithContext("source " + config.spec.name);
  auto filter = KeywordFilter::Create(config.keywords.include, config.keywords.exclude);
  if (!filter.ok()) return filter.status().WithContext("source " + config.spec.name);
  return std::unique_ptr<SourceRunner>(
      new SourceRunner(config, std::move(connector).value(), std::move(filter).value()));
}

Status SourceRunner::ProcessAndCommit(Store& store, const Pipeline& pipeline,
                                      std::vector<Mention> mentions,
                                      const SourceCursor& next_cursor, PollOutcome* outcome) {
  const std::string& source = name();
  outcome->fetched = static_cast<int>(mentions.size());
  for (const auto& m : mentions) {
    const UnixMillis at = m.created_at > 0 ? m.created_at : NowMillis();
    outcome->newest_mention_at = std::max(outcome->newest_mention_at, at);
  }

  PollCommit commit;
  commit.source = source;
  commit.kind = config_.spec.kind;
  commit.next_cursor = next_cursor;
  commit.polled_at = NowMillis();
  // Earlier mentions of this batch are history too: they are not in the store yet.
  std::map<std::string, AuthorActivity> batch_activity;
  const int64_t window = pipeline.history_window_ms();
  for (auto& mention : mentions) {
    // A deletion only marks what is stored: its placeholder text is no mention to classify.
    if (mention.deleted) {
      mention.source = source;
      if (mention.fetched_at == 0) mention.fetched_at = commit.polled_at;
      AnnotatedMention deletion;
      deletion.mention = std::move(mention);
      commit.mentions.push_back(std::move(deletion));
      continue;
    }
    if (!filter_.Accepts(mention)) {
      ++outcome->filtered;
      continue;
    }
    mention.source = source;
    if (!config_.spec.lang.empty()) mention.lang = config_.spec.lang;
    if (!config_.keep_raw) mention.raw.clear();
    if (mention.text.size() > kMaxTextBytes)
      mention.text = std::string(TruncateUtf8(mention.text, kMaxTextBytes));
    if (mention.fetched_at == 0) mention.fetched_at = commit.polled_at;
    AuthorActivity activity;
    const std::string customer = CustomerKey(mention);
    if (window > 0 && !customer.empty()) {
      auto stored =
          store.LoadAuthorActivity(mention.platform, mention.author, commit.polled_at - window,
                                   mention.source, mention.external_id);
      if (!stored.ok()) return stored.status();
      activity = std::move(*stored);
      const AuthorActivity& batch = batch_activity[customer];
      activity.mentions_at.insert(activity.mentions_at.end(), batch.mentions_at.begin(),
                                  batch.mentions_at.end());
      activity.negative_at.insert(activity.negative_at.end(), batch.negative_at.begin(),
                                  batch.negative_at.end());
    }
    auto annotated = pipeline.Process(std::move(mention), &activity, commit.polled_at);
    if (!annotated) {
      ++outcome->dropped;
      continue;
    }
    if (window > 0 && !customer.empty()) {
      const Mention& m = annotated->mention;
      UnixMillis at = m.created_at > 0 ? m.created_at : commit.polled_at;
      AuthorActivity& batch = batch_activity[customer];
      batch.mentions_at.push_back(at);
      for (const auto& l : annotated->labels)
        if (l.kind == "sentiment" && l.name == "negative") batch.negative_at.push_back(at);
    }
    commit.mentions.push_back(std::move(*annotated));
  }
  // Flags are counted from what the store really inserted or saw edited, not from re-seen
  // duplicates.
  auto summary = store.CommitPoll(commit);
  if (!summary.ok()) return summary.status();
  outcome->inserted = summary->inserted;
  outcome->duplicates = summary->duplicates;
  outcome->edited = summary->edited;
  outcome->deleted = summary->deleted;
  outcome->flagged = summary->flagged;
  outcome->cases_opened = summary->cases_opened;
  outcome->alerts_queued = summary->alerts_queued;
  return Status::Ok();
}

PollOutcome SourceRunner::PollOnce(Store& store, const Pipeline& pipeline,
                                   const std::atomic<bool>& stop) {
  const auto start = std::chrono::steady_clock::now();
  PollOutcome outcome;
  const std::string& source = name();
  const int64_t opened_before = traffic_.breaker().times_opened();
  const bool closed_before = traffic_.breaker().state() == CircuitState::kClosed;
  auto note_traffic = [&] {
    outcome.rate_limit_remaining = traffic_.rate_limit_remaining();
    outcome.circuit = traffic_.breaker().state();
    if (traffic_.breaker().times_opened() > opened_before) {
      const int64_t wait_s = std::max<int64_t>(0, traffic_.breaker().open_until() - NowMillis());
      spdlog::warn("source {}: circuit opened: no requests for {:.0f} s, then one trial", source,
                   wait_s / 1000.0);
    } else if (!closed_before && outcome.circuit == CircuitState::kClosed) {
      spdlog::info("source {}: circuit closed: the trial request succeeded", source);
    }
  };
  auto fail = [&](const Status& status) {
    note_traffic();
    outcome.status = status;
    outcome.seconds = SecondsSince(start);
    Status recorded =
        store.RecordPollFailure(source, config_.spec.kind, status.message(), NowMillis());
    if (!recorded.ok())
      spdlog::error("source {}: cannot record failure: {}", source, recorded.ToString());
    return outcome;
  };

  auto state = store.LoadSourceState(source);
  if (!state.ok()) return fail(state.status());

  Result<PollResult> polled = Status::Aborted("not polled");
  try {
    // Every request the connector sends from here on passes the source's circuit breaker and
    // request gate.
    ScopedSourceTraffic traffic(&traffic_);
    polled = connector_->Poll(state->cursor, stop);
  } catch (const std::exception& e) {
    polled = Status::Aborted(std::string("connector threw: ") + e.what());
  }
  if (!polled.ok()) return fail(polled.status());
  PollResult& result = polled.value();
  for (const auto& warning : result.warnings)
    spdlog::warn("source {}: {}", source, warning);
  outcome.http_status = result.http_status;
  outcome.not_modified = result.not_modified;
  outcome.has_more = result.has_more;
  if (Status s = ProcessAndCommit(store, pipeline, std::move(result.mentions), result.next_cursor,
                                  &outcome);
      !s.ok()) {
    return fail(s);
  }
  note_traffic();
  outcome.seconds = SecondsSince(start);
  return outcome;
}

PollOutcome SourceRunner::Ingest(Store& store, const Pipeline& pipeline,
                                 std::vector<Mention> mentions) {
  const auto start = std::chrono::steady_clock::now();
  PollOutcome outcome;
  std::lock_guard lock(ingest_mu_);
  try {
    outcome.status =
        ProcessAndCommit(store, pipeline, std::move(mentions), SourceCursor{}, &outcome);
  } catch (const std::exception& e) {
    outcome.status = Status::Aborted(std::string("ingest failed: ") + e.what());
  }
  outcome.seconds = SecondsSince(start);
  return outcome;
}

}  // namespace earshot
