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

// A mention as the pipeline leaves it: labelled, and flagged or not.
struct AnnotatedMention {
  Mention mention;
  std::vector<Label> labels;
  bool flagged = false;
  std::string flag_reason;  // e.g. "label refund"
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

struct CommitSummary {
  int inserted = 0;
  int duplicates = 0;   // same source + external id already stored
  int cross_posts = 0;  // stored, but the same text was already seen from elsewhere
  int flagged = 0;      // of the inserted, how many are flagged
};

struct StoredMention {
  int64_t id = 0;
  AnnotatedMention annotated;
  UnixMillis stored_at = 0;
  std::string content_hash;
  std::optional<int64_t> duplicate_of;  // earlier mention with the same content
};

struct MentionQuery {
  bool flagged_only = false;
  UnixMillis since = 0;     // stored_at >= since
  std::string source;       // empty: all
  std::string label;        // empty: any; else a label name that must be present
  std::string text_search;  // FTS5 query; empty: none
  int64_t before_id = 0;    // paging: only ids below this; 0: from the newest
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
};

}  // namespace earshot
