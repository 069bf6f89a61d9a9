#include "daemon/source_runner.h"

#include <spdlog/spdlog.h>

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

PollOutcome SourceRunner::PollOnce(Store& store, const Pipeline& pipeline,
                                   const std::atomic<bool>& stop) {
  const auto start = std::chrono::steady_clock::now();
  PollOutcome outcome;
  const std::string& source = name();
  auto fail = [&](const Status& status) {
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
  outcome.fetched = static_cast<int>(result.mentions.size());

  PollCommit commit;
  commit.source = source;
  commit.kind = config_.spec.kind;
  commit.next_cursor = result.next_cursor;
  commit.polled_at = NowMillis();
  // Earlier mentions of this batch are history too: they are not in the store yet.
  std::map<std::string, AuthorActivity> batch_activity;
  const int64_t window = pipeline.history_window_ms();
  for (auto& mention : result.mentions) {
    if (!filter_.Accepts(mention)) {
      ++outcome.filtered;
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
          store.LoadAuthorActivity(mention.platform, mention.author, commit.polled_at - window);
      if (!stored.ok()) return fail(stored.status());
      activity = std::move(*stored);
      const AuthorActivity& batch = batch_activity[customer];
      activity.mentions_at.insert(activity.mentions_at.end(), batch.mentions_at.begin(),
                                  batch.mentions_at.end());
      activity.negative_at.insert(activity.negative_at.end(), batch.negative_at.begin(),
                                  batch.negative_at.end());
    }
    auto annotated = pipeline.Process(std::move(mention), &activity, commit.polled_at);
    if (!annotated) {
      ++outcome.dropped;
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
  // Flags are counted from what the store really inserted, not from re-seen duplicates.
  auto summary = store.CommitPoll(commit);
  if (!summary.ok()) return fail(summary.status());
  outcome.inserted = summary->inserted;
  outcome.flagged = summary->flagged;
  outcome.cases_opened = summary->cases_opened;
  outcome.alerts_queued = summary->alerts_queued;
  outcome.seconds = SecondsSince(start);
  return outcome;
}

}  // namespace earshot
