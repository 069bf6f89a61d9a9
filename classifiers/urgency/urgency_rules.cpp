#include "classifiers/urgency/urgency_rules.h"

#include <algorithm>
#include <string_view>

namespace earshot {
namespace {

constexpr int64_t kLargeAudience = 10'000;
constexpr int64_t kNotableAudience = 1'000;
constexpr int64_t kViralEngagement = 100;

int Rank(const std::string& level) {
  if (level == "critical") return 3;
  if (level == "high") return 2;
  if (level == "normal") return 1;
  return 0;
}

}  // namespace

Urgency AssessUrgency(const UrgencyInput& in) {
  Urgency u;
  auto has = [&](std::string_view intent) {
    return std::find(in.intents.begin(), in.intents.end(), intent) != in.intents.end();
  };
  auto raise = [&](const char* level, std::string reason) {
    if (Rank(level) > Rank(u.level)) u.level = level;
    u.reasons.push_back(std::move(reason));
  };
  if (has("spam")) {
    u.reasons.push_back("spam");
    return u;
  }
  const bool unhappy = has("complaint") || in.sentiment <= -0.05;
  if (has("safety")) raise("critical", "safety");
  if (has("legal_threat")) raise("critical", "legal_threat");
  if (has("churn_threat")) raise("high", "churn_threat");
  if (has("public_escalation")) raise(unhappy ? "high" : "normal", "public_escalation");
  if (has("refund") && unhappy) raise("high", "refund");
  if (has("complaint")) raise(in.sentiment <= -0.6 ? "high" : "normal", "complaint");
  if (in.sentiment <= -0.6)
    raise("high", "very_negative");
  else if (in.sentiment <= -0.05)
    raise("normal", "negative");
  if (has("question")) raise("normal", "question");
  if (const Mention* m = in.mention) {
    if (m->rating && *m->rating <= 2) raise(*m->rating <= 1 ? "high" : "normal", "low_rating");
    const int64_t followers = m->author.followers.value_or(0);
    const int64_t engagement = m->engagement.likes + m->engagement.replies + m->engagement.shares;
    if (unhappy && followers >= kLargeAudience) {
      raise(Rank(u.level) >= 2 ? "critical" : "high", "large_audience");
    } else if (unhappy && followers >= kNotableAudience) {
      raise(Rank(u.level) >= 1 ? "high" : "normal", "notable_audience");
    }
    if (unhappy && engagement >= kViralEngagement) raise("high", "high_engagement");
  }
  return u;
}

}  // namespace earshot
