// The store behind the pipeline's needs, not behind SQL: a PostgreSQL backend for teams that
// run several daemons is meant to be another implementation of this interface, not a rewrite.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/label.h"
#include "core/mention.h"
#include "core/source_cursor.h"
#include "core/status.h"
#include "core/time.h"

namespace earshot {

struct SourceState {
  std::string name;
  std::string kind;
  SourceCursor cursor;
  UnixMillis last_poll_at = 0;
  UnixMillis last_success_at = 0;
  int consecutive_failures = 0;
  std::string last_error;
  int64_t mention_count = 0;
};

// A rule asked for an outreach case: opened for the mention's customer, or the mention is added
// to that customer's open case.
struct CaseRequest {
  std::string rule;
  std::string queue = "default";
  int priority = 3;  // 1 critical .. 4 low
  int64_t sla_ms = 0;
  std::string reason;  // the rule's rendered output
  std::vector<std::string> skills;
};

// A rule asked for a team-chat alert; it waits in the outbox, written with the mention.
struct AlertRequest {
  std::string channel;
  std::string rule;
  std::string priority;  // critical high medium low
  std::string summary;   // the rule's rendered output
  std::string group_key;
  int64_t group_wait_ms = 0;
  int64_t group_interval_ms = 0;
  int64_t repeat_interval_ms = 0;
  int64_t digest_ms = 0;
};

// A mention as the pipeline leaves it: labelled, flagged or not, with what rules asked for.
struct AnnotatedMention {
  Mention mention;
  std::vector<Label> labels;
  bool flagged = false;
  std::string flag_reason;  // e.g. "label refund"
  std::optional<CaseRequest> open_case;
  std::vector<AlertRequest> alerts;
};

// Everything one successful poll produced. Committed in one transaction: mentions, labels and
// the cursor advance land together or not at all.
struct PollCommit {
  std::string source;
  std::string kind;
  SourceCursor next_cursor;
  UnixMillis polled_at = 0;
  std::vector<AnnotatedMention> mentions;
};

// A reviewer's verdict on a flagged mention: was the flag right?
struct Review {
  int64_t id = 0;
  int64_t mention_id = 0;
  std::string verdict;          // confirmed false_positive not_relevant
  std::string corrected_label;  // the label it should have had, when the reviewer says
  std::string reviewer;
  UnixMillis at = 0;
  std::string note;
};

// How often a flagging label was right, from each reviewed mention's latest verdict.
struct LabelPrecision {
  std::string kind;  // intent pattern rule
  std::string name;
  int64_t confirmed = 0;
  int64_t false_positive = 0;
  int64_t not_relevant = 0;
  std::optional<double> precision;  // confirmed / (confirmed + false_positive); none without both
};

// A version of a mention that an edit replaced, as it was stored before the edit.
struct MentionRevision {
  int64_t id = 0;
  std::string title;
  std::string text;
  std::optional<double> rating;
  UnixMillis edited_at = 0;  // of that version; 0 when it was the original
  bool flagged = false;
  std::string flag_reason;
  UnixMillis replaced_at = 0;  // when the edit was stored
};

struct StoredMention {
  int64_t id = 0;
  AnnotatedMention annotated;
  UnixMillis stored_at = 0;
  std::string content_hash;
  std::optional<int64_t> duplicate_of;     // earlier mention with the same content
  std::optional<UnixMillis> deleted_at;    // when the platform was seen to have deleted it
  std::vector<Review> reviews;             // oldest first
  std::vector<MentionRevision> revisions;  // oldest first; only GetMention reads them
};

// CommitPoll stores a mention already stored (same source and external id) by what changed:
// its text, title or rating (an edit: the old version is kept as a revision, the new one is
// labelled, flagged, and its rules' cases and alerts run again, an alert at most once per rule
// and mention); only its engagement (the counts are updated); or the platform deleted it (it is
// marked deleted and keeps its text). A deleted item never stored before is not stored.
struct CommitSummary {
  int inserted = 0;
  int duplicates = 0;          // same source + external id already stored, and not edited
  int edited = 0;              // stored before, and its text, title or rating changed
  int engagement_updated = 0;  // of the duplicates, how many had new engagement counts
  int deleted = 0;             // stored before, now deleted on the platform
  int deleted_unknown = 0;     // deleted items never stored: not stored now either
  int cross_posts = 0;         // stored, but the same text was already seen from elsewhere
  int flagged = 0;             // of the inserted and edited, how many are newly flagged
  int cases_opened = 0;
  int cases_updated = 0;  // an open case of the same customer took the mention
  int alerts_queued = 0;
};

// An author's earlier mentions, for rules that count them (author.negative_count(7d)).
struct AuthorActivity {
  std::vector<UnixMillis> mentions_at;
  std::vector<UnixMillis> negative_at;
};

// A customer as the CRM knows them, with the identities they post under: "reddit:anna",
// "x:anna_k", "email:anna@example.com" (see IdentityKey).
struct Customer {
  int64_t id = 0;
  std::string crm_id;
  std::string name;
  std::string email;
  std::string phone;
  std::vector<std::string> identities;
};

struct CaseSummary {
  int64_t id = 0;
  std::string customer_key;  // "platform:author"
  std::string state;         // new assigned contacted resolved no_response declined
  int priority = 3;
  std::string queue;
  std::string assignee;
  std::string reason;
  std::optional<UnixMillis> sla_due_at;
  UnixMillis opened_at = 0;
  UnixMillis updated_at = 0;
  std::optional<UnixMillis> closed_at;
  std::string outcome;
  int64_t mention_count = 0;
  std::string author_handle;
  std::string platform;
  std::string latest_url;
  std::string lang;                  // of the mention that opened the case
  std::vector<std::string> skills;   // callers need these
  std::optional<Customer> customer;  // when the author is a known customer
};

// Matches one alert field: rule, channel, source, platform, author or priority.
struct SilenceMatcher {
  std::string field;
  std::string value;
};

struct Silence {
  int64_t id = 0;
  std::vector<SilenceMatcher> matchers;  // all must match
  UnixMillis starts_at = 0;
  UnixMillis ends_at = 0;
  std::string created_by;
  std::string comment;
};

struct CaseEvent {
  UnixMillis at = 0;
  std::string actor;   // "rule:churn_threat", a caller's name
  std::string action;  // opened attached assigned contacted resolved no_response declined note
  std::string detail;
};

struct CaseDetail {
  CaseSummary summary;
  std::vector<StoredMention> mentions;
  std::vector<CaseEvent> events;
};

struct CaseQuery {
  std::vector<std::string> states;  // empty: the open ones (new, assigned, contacted)
  std::string queue;                // empty: all
  std::string assignee;             // empty: anyone
  std::string customer_key;         // empty: any customer
  size_t limit = 200;
};

struct CaseUpdate {
  int64_t id = 0;
  std::string actor;
  std::string action;  // assign contacted resolved no_response declined note
  std::string assignee;
  std::string outcome;
  std::string note;
  UnixMillis at = 0;
};

struct DailyVolume {
  std::string day;  // YYYY-MM-DD, UTC, of the mention's creation (else storing) time
  std::string source;
  int64_t mentions = 0;
  int64_t negative = 0;  // with a negative sentiment label
};

// What the overview shows: volume per day and source, and how outreach keeps its promises.
struct ServiceStats {
  std::vector<DailyVolume> daily;                           // by day, then source
  std::vector<std::pair<std::string, int64_t>> open_cases;  // state -> count
  int64_t sla_breaches = 0;                                 // open cases past their SLA deadline
  int64_t cases_opened = 0;                                 // since `since`
  int64_t cases_contacted = 0;                              // of those, contacted at least once
  int64_t contacted_within_sla = 0;  // of those, first contacted by the deadline
  std::optional<int64_t> median_first_contact_ms;
};

struct OutboxMessage {
  int64_t id = 0;
  std::string channel;
  std::string dedup_key;
  std::string payload;  // JSON, see store/outbox_payload.h
  int attempts = 0;
  UnixMillis created_at = 0;
  UnixMillis next_attempt_at = 0;
};

struct MentionQuery {
  bool flagged_only = false;
  UnixMillis since = 0;     // stored_at >= since
  std::string source;       // empty: all
  std::string label;        // empty: any; else a label name that must be present
  std::string text_search;  // FTS5 query; empty: none
  std::string intent;       // empty: any; else an intent label that must be present
  std::string lang;         // empty: any; else the mention's language
  bool unreviewed_only = false;
  int64_t same_author_as = 0;  // other mentions by this mention's author; 0: anyone
  int64_t before_id = 0;       // paging: only ids below this; 0: from the newest
  size_t limit = 100;
};

class Store {
 public:
  virtual ~Store() = default;

  // The source's saved state, or a fresh one (empty cursor) if it was never polled.
  virtual Result<SourceState> LoadSourceState(const std::string& source) = 0;
  virtual Result<CommitSummary> CommitPoll(const PollCommit& commit) = 0;
  virtual Status RecordPollFailure(const std::string& source, const std::string& kind,
                                   const std::string& error, UnixMillis at) = 0;
  virtual Result<std::vector<SourceState>> ListSources() = 0;

  // Newest first.
  virtual Result<std::vector<StoredMention>> ListMentions(const MentionQuery& query) = 0;
  virtual Result<std::optional<StoredMention>> GetMention(int64_t id) = 0;
  virtual Result<int64_t> CountMentions(bool flagged_only) = 0;

  // Without the stored version of `except_source`'s `except_id`: an edit is not its own history.
  virtual Result<AuthorActivity> LoadAuthorActivity(const std::string& platform,
                                                    const Author& author, UnixMillis since,
                                                    const std::string& except_source = "",
                                                    const std::string& except_id = "") = 0;

  // Open cases first by priority, then by the SLA deadline.
  virtual Result<std::vector<CaseSummary>> ListCases(const CaseQuery& query) = 0;
  virtual Result<std::optional<CaseDetail>> GetCase(int64_t id) = 0;
  // InvalidArgument for a move the case's state does not allow; NotFound for no such case.
  virtual Status UpdateCase(const CaseUpdate& update) = 0;

  // NotFound for no such mention; InvalidArgument for an unknown verdict.
  virtual Status AddReview(const Review& review) = 0;
  virtual Result<std::vector<LabelPrecision>> ReviewPrecision() = 0;
  // Daily volume from `since`; case figures for cases opened from `since`, breaches at `now`.
  virtual Result<ServiceStats> LoadServiceStats(UnixMillis since, UnixMillis now) = 0;

  // Messages due by `now`, oldest first.
  virtual Result<std::vector<OutboxMessage>> DueOutbox(UnixMillis now, size_t limit) = 0;
  virtual Status MarkDelivered(const std::vector<int64_t>& ids, UnixMillis at) = 0;
  virtual Status MarkRetry(const std::vector<int64_t>& ids, UnixMillis next_attempt_at,
                           const std::string& error) = 0;
  virtual Status MarkFailed(const std::vector<int64_t>& ids, const std::string& error) = 0;
  virtual Result<int64_t> OutboxDepth() = 0;
  // Queues a message outside a poll (escalations); false when `dedup_key` was queued before.
  virtual Result<bool> EnqueueAlert(const std::string& channel, const std::string& dedup_key,
                                    const std::string& payload, UnixMillis now) = 0;
  virtual Status MarkSilenced(const std::vector<int64_t>& ids, int64_t silence_id) = 0;

  // Creates or updates (by crm_id) a customer and links its identities to it; an identity
  // linked to another customer moves. Open cases of those identities move to the customer.
  virtual Result<int64_t> UpsertCustomer(const Customer& customer) = 0;
  // Links identities to one customer, creating it when none of them has one yet.
  virtual Result<int64_t> LinkIdentities(const std::vector<std::string>& identities) = 0;
  virtual Result<std::optional<Customer>> FindCustomer(const std::string& identity) = 0;

  virtual Result<int64_t> AddSilence(const Silence& silence) = 0;
  virtual Result<std::vector<Silence>> ActiveSilences(UnixMillis now) = 0;
  virtual Status ExpireSilence(int64_t id, UnixMillis now) = 0;

  // Mentions stored in [since, until) that carry the label (e.g. sentiment/negative).
  virtual Result<int64_t> CountLabelled(const std::string& kind, const std::string& name,
                                        UnixMillis since, UnixMillis until) = 0;
};

// "platform:author" for the author's customer identity; empty when the mention has no author.
std::string CustomerKey(const Mention& m);
// "reddit:anna": the platform and the handle without a leading '@', lower-cased; what CRM
// imports and `earshot customers link` name. Empty when the mention has no handle.
std::string IdentityKey(const std::string& platform, const std::string& handle);

}  // namespace earshot
