// What a rule condition can look at: the mention, its author's recent history and its labels.
// Facts are gathered once per mention so that evaluating many rules reads, never allocates.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/label.h"
#include "core/mention.h"
#include "core/time.h"

namespace earshot {

enum class FieldType { kString, kNumber, kSet, kLevel };

enum class FieldId {
  kSource,
  kPlatform,
  kLang,
  kText,
  kTitle,
  kUrl,
  kExternalId,
  kThreadId,
  kAuthorHandle,
  kAuthorName,
  kAuthorId,
  kSentimentLabel,
  kUrgency,
  kRating,
  kSentimentScore,
  kAuthorFollowers,
  kLikes,
  kReplies,
  kShares,
  kEngagement,
  kAge,
  kAuthorNegativeCount,
  kAuthorMentionCount,
  kIntents,
  kTopics,
  kLabels,
  kTags,
};

struct FieldSpec {
  std::string_view name;
  FieldId id;
  FieldType type;
  bool takes_window;  // author.negative_count(7d)
};

const FieldSpec* FindField(std::string_view name);
std::vector<std::string_view> FieldNames();
const char* FieldTypeName(FieldType type);

// Urgency as an ordered level: none < low < medium < high < critical. -1 for an unknown word.
int UrgencyLevel(std::string_view name);

// The author's earlier mentions, as far back as the rules' longest window needs.
// Views: the caller owns the times (the store's answer, a rule test's mentions).
struct AuthorHistory {
  std::span<const UnixMillis> mentions_at;  // created (or stored) times
  std::span<const UnixMillis> negative_at;  // of those, the negative ones
};

struct RuleInput {
  const Mention* mention = nullptr;
  const std::vector<Label>* labels = nullptr;
  const AuthorHistory* history = nullptr;  // null: no history known
  UnixMillis now = 0;
  std::span<const std::string> tags;  // tags given by rules that matched earlier in this pass
};

// A small fixed set of names; more than fit are ignored (no mention has 32 intents).
class NameSet {
 public:
  void Add(std::string_view name) {
    if (size_ < names_.size()) names_[size_++] = name;
  }
  bool Contains(std::string_view name) const {
    for (size_t i = 0; i < size_; ++i)
      if (names_[i] == name) return true;
    return false;
  }
  bool empty() const { return size_ == 0; }
  std::span<const std::string_view> names() const { return {names_.data(), size_}; }

 private:
  std::array<std::string_view, 32> names_{};
  size_t size_ = 0;
};

class MentionFacts {
 public:
  explicit MentionFacts(const RuleInput& input);

  std::string_view String(FieldId id) const;
  std::optional<double> Number(FieldId id, int64_t window_ms) const;
  const NameSet& Set(FieldId id) const;
  int Level(FieldId id) const { return id == FieldId::kUrgency ? urgency_ : -1; }
  bool negative() const { return sentiment_label_ == "negative"; }
  // A rule's tag, visible to the rules after it. The name must outlive the facts.
  void AddTag(std::string_view tag) { tags_.Add(tag); }

 private:
  const RuleInput& input_;
  std::string_view sentiment_label_;
  std::optional<double> sentiment_score_;
  std::string_view language_;
  int urgency_ = 0;
  NameSet intents_, topics_, labels_, tags_;
};

}  // namespace earshot
