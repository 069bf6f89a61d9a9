#include "daemon/alerts/alert_dispatcher.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

#include "core/content_hash.h"
#include "daemon/notify/notifier.h"
#include "store/outbox_payload.h"

namespace earshot {
namespace {

constexpr size_t kMaxMoreLines = 10;

struct Row {
  OutboxMessage message;
  AlertPayload payload;
};

// Somewhere in the upper half of the capped backoff: spread out, but never hammering.
int64_t JitteredDelay(int64_t cap_ms) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_int_distribution<int64_t>(cap_ms / 2, std::max<int64_t>(cap_ms, 1))(rng);
}

std::string FieldOf(const AlertPayload& p, const std::string& channel, const std::string& field) {
  if (field == "rule") return p.rule;
  if (field == "channel") return channel;
  if (field == "source") return p.source;
  if (field == "platform") return p.platform;
  if (field == "author") return p.author;
  if (field == "priority") return p.priority;
  return "";
}

// The first active silence whose matchers all fit the alert, or null.
const Silence* SilencedBy(const std::vector<Silence>& silences, const AlertPayload& p,
                          const std::string& channel) {
  for (const auto& s : silences) {
    bool all = !s.matchers.empty();
    for (const auto& m : s.matchers)
      all &= FieldOf(p, channel, m.field) == m.value;
    if (all) return &s;
  }
  return nullptr;
}

std::string MoreLine(const AlertPayload& p) {
  std::string who = p.author.empty() ? p.source : p.author + " on " + p.source;
  return who + ": " + (p.summary.empty() ? p.excerpt : p.summary);
}

}  // namespace

AlertDispatcher::AlertDispatcher(Store& store, const HttpClient& http,
                                 std::vector<ChannelConfig> channels, DispatcherOptions options,
                                 Clock clock)
    : store_(store), http_(http), options_(std::move(options)), clock_(std::move(clock)) {
  for (auto& c : channels)
    channels_[c.name] = std::move(c);
}

void AlertDispatcher::QueueReminders(UnixMillis now) {
  for (auto it = reminders_.begin(); it != reminders_.end();) {
    Reminder& r = it->second;
    if (now < r.next_at) {
      ++it;
      continue;
    }
    std::vector<int64_t> waiting;
    for (int64_t id : r.case_ids) {
      auto c = store_.GetCase(id);
      if (c.ok() && *c && ((*c)->summary.state == "new" || (*c)->summary.state == "assigned"))
        waiting.push_back(id);
    }
    auto lead = AlertPayloadFromJson(r.payload);
    if (waiting.empty() || !lead) {
      it = reminders_.erase(it);
      continue;
    }
    ++r.sent;
    const int64_t interval = lead->repeat_interval_ms;
    lead->summary = "Still not contacted: " + lead->summary;
    lead->group_key = "repeat|" + it->first + "|" + std::to_string(r.sent);
    lead->group_wait_ms = 0;
    lead->digest_ms = 0;
    lead->repeat_interval_ms = 0;
    lead->case_id = waiting.front();
    std::string key = "repeat:" + std::to_string(r.next_at) + ":" + it->first;
    store_.EnqueueAlert(r.channel, key, AlertPayloadToJson(*lead), now);
    r.case_ids = std::move(waiting);
    r.next_at = now + interval;
    ++it;
  }
}

DispatchSummary AlertDispatcher::Tick(bool flush) {
  DispatchSummary summary;
  const UnixMillis now = clock_();
  QueueReminders(now);
  auto due = store_.DueOutbox(now, options_.max_rows_per_tick);
  if (!due.ok()) {
    spdlog::warn("alerts: cannot read the outbox: {}", due.status().ToString());
    return summary;
  }
  auto silences = store_.ActiveSilences(now);
  if (!silences.ok()) {
    spdlog::warn("alerts: cannot read silences: {}", silences.status().ToString());
    return summary;
  }
  // Groups in the order their oldest row was written.
  std::vector<std::string> order;
  std::map<std::string, std::vector<Row>> groups;
  for (auto& message : *due) {
    auto payload = AlertPayloadFromJson(message.payload);
    if (!payload) {
      store_.MarkFailed({message.id}, "unreadable payload");
      ++summary.failed_rows;
      continue;
    }
    if (const Silence* silence = SilencedBy(*silences, *payload, message.channel)) {
      store_.MarkSilenced({message.id}, silence->id);
      ++summary.silenced_rows;
      spdlog::info("alert channel={} rule={} silenced by #{}", message.channel, payload->rule,
                   silence->id);
      continue;
    }
    std::string key = message.channel + "\n" + payload->group_key;
    if (!groups.count(key)) order.push_back(key);
    groups[key].push_back({std::move(message), std::move(*payload)});
  }

  for (const auto& key : order) {
    std::vector<Row>& rows = groups[key];
    const AlertPayload& first = rows.front().payload;
    UnixMillis oldest = rows.front().message.created_at;
    for (const auto& r : rows)
      oldest = std::min(oldest, r.message.created_at);
    auto sent = last_sent_.find(key);
    UnixMillis ready_at;
    if (first.digest_ms > 0) {
      ready_at = (sent != last_sent_.end() ? sent->second : oldest) + first.digest_ms;
    } else if (sent != last_sent_.end()) {
      ready_at = std::max(oldest + first.group_wait_ms, sent->second + first.group_interval_ms);
    } else {
      ready_at = oldest + first.group_wait_ms;
    }
    if (!flush && now < ready_at) {
      summary.waiting_rows += static_cast<int>(rows.size());
      continue;
    }

    std::vector<int64_t> ids;
    int attempts = 0;
    std::string id_list;
    for (const auto& r : rows) {
      ids.push_back(r.message.id);
      attempts = std::max(attempts, r.message.attempts);
      id_list += std::to_string(r.message.id) + ",";
    }
    const std::string& channel_name = rows.front().message.channel;
    auto channel = channels_.find(channel_name);
    if (channel == channels_.end()) {
      spdlog::error("alerts: no channel named '{}'; {} alert(s) dropped", channel_name, ids.size());
      store_.MarkFailed(ids, "no channel named '" + channel_name + "'");
      summary.failed_rows += static_cast<int>(ids.size());
      continue;
    }

    // The newest alert leads; the others are listed under it.
    const AlertPayload& lead = rows.back().payload;
    AlertMessage message;
    message.delivery_id = "earshot-" + ContentHash(channel_name + ":" + id_list).substr(0, 24);
    message.rule = lead.rule;
    message.priority = lead.priority;
    message.summary = lead.summary;
    message.source = lead.source;
    message.platform = lead.platform;
    message.author = lead.author;
    message.excerpt = lead.excerpt;
    message.highlights = lead.highlights;
    message.url = lead.url;
    if (lead.case_id > 0 && !options_.link_base.empty())
      message.case_url = options_.link_base + "/#/cases/" + std::to_string(lead.case_id);
    message.group_count = static_cast<int>(rows.size());
    for (size_t i = rows.size() - 1; i-- > 0 && message.more_lines.size() < kMaxMoreLines;)
      message.more_lines.push_back(MoreLine(rows[i].payload));

    ++summary.messages;
    DeliveryResult result = Deliver(http_, channel->second, message);
    const int n = static_cast<int>(ids.size());
    switch (result.outcome) {
      case DeliveryOutcome::kDelivered:
        store_.MarkDelivered(ids, now);
        last_sent_[key] = now;
        if (lead.repeat_interval_ms > 0) {
          std::vector<int64_t> case_ids;
          for (const auto& r : rows)
            if (r.payload.case_id > 0) case_ids.push_back(r.payload.case_id);
          if (!case_ids.empty()) {
            reminders_[key] = {channel_name, rows.back().message.payload, std::move(case_ids),
                               now + lead.repeat_interval_ms, 0};
          }
        }
        summary.delivered_rows += n;
        spdlog::info("alert channel={} rule={} mentions={} delivered", channel_name, lead.rule, n);
        break;
      case DeliveryOutcome::kRetry: {
        if (attempts + 1 >= options_.max_attempts) {
          store_.MarkFailed(ids, result.error);
          summary.failed_rows += n;
          spdlog::error("alert channel={} rule={} gave up after {} attempts: {}", channel_name,
                        lead.rule, attempts + 1, result.error);
          break;
        }
        int64_t backoff = options_.base_backoff_ms << std::min(attempts, 20);
        int64_t delay = JitteredDelay(std::min(backoff, options_.max_backoff_ms));
        if (result.retry_after_ms >= 0) delay = std::max(delay, result.retry_after_ms);
        store_.MarkRetry(ids, now + delay, result.error);
        summary.retried_rows += n;
        spdlog::warn("alert channel={} rule={} will retry in {:.1f}s: {}", channel_name, lead.rule,
                     delay / 1000.0, result.error);
        break;
      }
      case DeliveryOutcome::kPermanentFailure:
        store_.MarkFailed(ids, result.error);
        summary.failed_rows += n;
        spdlog::error("alert channel={} rule={} failed: {}", channel_name, lead.rule, result.error);
        break;
    }
  }
  return summary;
}

}  // namespace earshot
