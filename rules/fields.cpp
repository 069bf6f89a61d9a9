#include "rules/fields.h"

#include <algorithm>

namespace earshot {
namespace {

constexpr FieldSpec kFields[] = {
    {"source", FieldId::kSource, FieldType::kString, false},
    {"platform", FieldId::kPlatform, FieldType::kString, false},
    {"lang", FieldId::kLang, FieldType::kString, false},
    {"text", FieldId::kText, FieldType::kString, false},
    {"title", FieldId::kTitle, FieldType::kString, false},
    {"url", FieldId::kUrl, FieldType::kString, false},
    {"external_id", FieldId::kExternalId, FieldType::kString, false},
    {"thread_id", FieldId::kThreadId, FieldType::kString, false},
    {"author.handle", FieldId::kAuthorHandle, FieldType::kString, false},
    {"author.name", FieldId::kAuthorName, FieldType::kString, false},
    {"author.id", FieldId::kAuthorId, FieldType::kString, false},
    {"sentiment.label", FieldId::kSentimentLabel, FieldType::kString, false},
    {"urgency", FieldId::kUrgency, FieldType::kLevel, false},
    {"rating", FieldId::kRating, FieldType::kNumber, false},
    {"sentiment.score", FieldId::kSentimentScore, FieldType::kNumber, false},
    {"author.followers", FieldId::kAuthorFollowers, FieldType::kNumber, false},
    {"engagement.likes", FieldId::kLikes, FieldType::kNumber, false},
    {"engagement.replies", FieldId::kReplies, FieldType::kNumber, false},
    {"engagement.shares", FieldId::kShares, FieldType::kNumber, false},
    {"engagement", FieldId::kEngagement, FieldType::kNumber, false},
    {"age", FieldId::kAge, FieldType::kNumber, false},
    {"author.negative_count", FieldId::kAuthorNegativeCount, FieldType::kNumber, true},
    {"author.mention_count", FieldId::kAuthorMentionCount, FieldType::kNumber, true},
    {"intents", FieldId::kIntents, FieldType::kSet, false},
    {"topics", FieldId::kTopics, FieldType::kSet, false},
    {"labels", FieldId::kLabels, FieldType::kSet, false},
    {"tags", FieldId::kTags, FieldType::kSet, false},
};

int64_t CountSince(std::span<const UnixMillis> times, UnixMillis since) {
  return std::count_if(times.begin(), times.end(), [&](UnixMillis t) { return t >= since; });
}

}  // namespace

const FieldSpec* FindField(std::string_view name) {
  for (const auto& f : kFields)
    if (f.name == name) return &f;
  return nullptr;
}

std::vector<std::string_view> FieldNames() {
  std::vector<std::string_view> names;
  for (const auto& f : kFields)
    names.push_back(f.name);
  return names;
}

const char* FieldTypeName(FieldType type) {
  switch (type) {
    case FieldType::kString:
      return "text";
    case FieldType::kNumber:
      return "number";
    case FieldType::kSet:
      return "set of names";
    case FieldType::kLevel:
      return "level";
  }
  return "?";
}

int UrgencyLevel(std::string_view name) {
  static constexpr std::string_view kLevels[] = {"none", "low", "medium", "high", "critical"};
  for (size_t i = 0; i < std::size(kLevels); ++i)
    if (kLevels[i] == name) return static_cast<int>(i);
  return -1;
}

MentionFacts::MentionFacts(const RuleInput& input) : input_(input) {
  if (input.labels) {
    for (const auto& label : *input.labels) {
      if (label.kind == "sentiment") {
        sentiment_label_ = label.name;
        sentiment_score_ = label.score;
      } else if (label.kind == "urgency") {
        urgency_ = std::max(urgency_, UrgencyLevel(label.name));
      } else if (label.kind == "intent") {
        intents_.Add(label.name);
      } else if (label.kind == "topic") {
        topics_.Add(label.name);
      } else if (label.kind == "pattern") {
        labels_.Add(label.name);
      } else if (label.kind == "language" && language_.empty()) {
        language_ = label.name;
      } else if (label.kind == "tag") {
        tags_.Add(label.name);
      }
    }
  }
  for (const auto& tag : input.tags)
    tags_.Add(tag);
}

std::string_view MentionFacts::String(FieldId id) const {
  const Mention& m = *input_.mention;
  switch (id) {
    case FieldId::kSource:
      return m.source;
    case FieldId::kPlatform:
      return m.platform;
    case FieldId::kLang:
      return m.lang.empty() ? language_ : std::string_view(m.lang);
    case FieldId::kText:
      return m.text;
    case FieldId::kTitle:
      return m.title;
    case FieldId::kUrl:
      return m.url;
    case FieldId::kExternalId:
      return m.external_id;
    case FieldId::kThreadId:
      return m.thread_id;
    case FieldId::kAuthorHandle:
      return m.author.handle;
    case FieldId::kAuthorName:
      return m.author.name;
    case FieldId::kAuthorId:
      return m.author.id;
    case FieldId::kSentimentLabel:
      return sentiment_label_;
    default:
      return {};
  }
}

std::optional<double> MentionFacts::Number(FieldId id, int64_t window_ms) const {
  const Mention& m = *input_.mention;
  switch (id) {
    case FieldId::kRating:
      return m.rating;
    case FieldId::kSentimentScore:
      return sentiment_score_;
    case FieldId::kAuthorFollowers:
      if (!m.author.followers) return std::nullopt;
      return static_cast<double>(*m.author.followers);
    case FieldId::kLikes:
      return static_cast<double>(m.engagement.likes);
    case FieldId::kReplies:
      return static_cast<double>(m.engagement.replies);
    case FieldId::kShares:
      return static_cast<double>(m.engagement.shares);
    case FieldId::kEngagement:
      return static_cast<double>(m.engagement.likes + m.engagement.replies + m.engagement.shares);
    case FieldId::kAge:
      if (m.created_at == 0) return std::nullopt;
      return static_cast<double>(input_.now - m.created_at);
    case FieldId::kAuthorNegativeCount:
    case FieldId::kAuthorMentionCount: {
      // This mention counts too: "the third negative mention" includes the one at hand.
      bool negative_kind = id == FieldId::kAuthorNegativeCount;
      int64_t count = negative_kind ? (negative() ? 1 : 0) : 1;
      if (input_.history) {
        const auto& times =
            negative_kind ? input_.history->negative_at : input_.history->mentions_at;
        count += CountSince(times, input_.now - window_ms);
      }
      return static_cast<double>(count);
    }
    default:
      return std::nullopt;
  }
}

const NameSet& MentionFacts::Set(FieldId id) const {
  switch (id) {
    case FieldId::kIntents:
      return intents_;
    case FieldId::kTopics:
      return topics_;
    case FieldId::kTags:
      return tags_;
    default:
      return labels_;
  }
}

}  // namespace earshot
