#include "classifiers/urgency/urgency_rules.h"

#include <algorithm>
#include <utility>

namespace earshot {
namespace {

constexpr int64_t kLargeAudience = 10'000;
constexpr int64_t kNotableAudience = 1'000;
constexpr int64_t kViralEngagement = 100;

constexpr int kNormal = 1;
constexpr int kHigh = 2;
constexpr int kCritical = 3;

}  // namespace

void Urgency::Raise(int rank, std::string_view reason) {
  rank_ = std::max(rank_, rank);
  Note(reason);
}

Urgency AssessUrgency(const UrgencyInput& in) {
  Urgency u;
  // Each rule asks about an intent: the list is read once, not once per rule.
  enum : unsigned {
    kSpam = 1,
    kComplaint = 2,
    kSafety = 4,
    kLegal = 8,
    kChurn = 16,
    kEscalation = 32,
    kRefund = 64,
    kQuestion = 128
  };
  static constexpr std::pair<std::string_view, unsigned> kIntents[] = {
      {"spam", kSpam},          {"complaint", kComplaint}, {"safety", kSafety},
      {"legal_threat", kLegal}, {"churn_threat", kChurn},  {"public_escalation", kEscalation},
      {"refund", kRefund},      {"question", kQuestion}};
  unsigned intents = 0;
  for (std::string_view intent : in.intents) {
    for (const auto& [name, flag] : kIntents) {
      if (intent == name) intents |= flag;
    }
  }
  auto has = [&](unsigned flag) { return (intents & flag) != 0; };
  if (has(kSpam)) {
    u.Note("spam");
    return u;
  }
  const bool unhappy = has(kComplaint) || in.sentiment <= -0.05;
  if (has(kSafety)) u.Raise(kCritical, "safety");
  if (has(kLegal)) u.Raise(kCritical, "legal_threat");
  if (has(kChurn)) u.Raise(kHigh, "churn_threat");
  if (has(kEscalation)) u.Raise(unhappy ? kHigh : kNormal, "public_escalation");
  if (has(kRefund) && unhappy) u.Raise(kHigh, "refund");
  if (has(kComplaint)) u.Raise(in.sentiment <= -0.6 ? kHigh : kNormal, "complaint");
  if (in.sentiment <= -0.6)
    u.Raise(kHigh, "very_negative");
  else if (in.sentiment <= -0.05)
    u.Raise(kNormal, "negative");
  if (has(kQuestion)) u.Raise(kNormal, "question");
  if (const Mention* m = in.mention) {
    if (m->rating && *m->rating <= 2) u.Raise(*m->rating <= 1 ? kHigh : kNormal, "low_rating");
    // Reach matters only for an unhappy mention, and is read only then: it lies in other cache
    // lines of the mention than its text.
    if (!unhappy) return u;
    const int64_t followers = m->author.followers.value_or(0);
    const int64_t engagement = m->engagement.likes + m->engagement.replies + m->engagement.shares;
    if (followers >= kLargeAudience) {
      u.Raise(u.rank() >= kHigh ? kCritical : kHigh, "large_audience");
    } else if (followers >= kNotableAudience) {
      u.Raise(u.rank() >= kNormal ? kHigh : kNormal, "notable_audience");
    }
    if (engagement >= kViralEngagement) u.Raise(kHigh, "high_engagement");
  }
  return u;
}

}  // namespace earshot
