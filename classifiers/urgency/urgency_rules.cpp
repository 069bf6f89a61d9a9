#include "classifiers/urgency/urgency_rules.h"

#include <algorithm>

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
  auto has = [&](std::string_view intent) {
    return std::find(in.intents.begin(), in.intents.end(), intent) != in.intents.end();
  };
  if (has("spam")) {
    u.Note("spam");
    return u;
  }
  const bool unhappy = has("complaint") || in.sentiment <= -0.05;
  if (has("safety")) u.Raise(kCritical, "safety");
  if (has("legal_threat")) u.Raise(kCritical, "legal_threat");
  if (has("churn_threat")) u.Raise(kHigh, "churn_threat");
  if (has("public_escalation")) u.Raise(unhappy ? kHigh : kNormal, "public_escalation");
  if (has("refund") && unhappy) u.Raise(kHigh, "refund");
  if (has("complaint")) u.Raise(in.sentiment <= -0.6 ? kHigh : kNormal, "complaint");
  if (in.sentiment <= -0.6)
    u.Raise(kHigh, "very_negative");
  else if (in.sentiment <= -0.05)
    u.Raise(kNormal, "negative");
  if (has("question")) u.Raise(kNormal, "question");
  if (const Mention* m = in.mention) {
    if (m->rating && *m->rating <= 2) u.Raise(*m->rating <= 1 ? kHigh : kNormal, "low_rating");
    const int64_t followers = m->author.followers.value_or(0);
    const int64_t engagement = m->engagement.likes + m->engagement.replies + m->engagement.shares;
    if (unhappy && followers >= kLargeAudience) {
      u.Raise(u.rank() >= kHigh ? kCritical : kHigh, "large_audience");
    } else if (unhappy && followers >= kNotableAudience) {
      u.Raise(u.rank() >= kNormal ? kHigh : kNormal, "notable_audience");
    }
    if (unhappy && engagement >= kViralEngagement) u.Raise(kHigh, "high_engagement");
  }
  return u;
}

}  // namespace earshot
