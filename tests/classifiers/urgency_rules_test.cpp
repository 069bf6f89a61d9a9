#include "classifiers/urgency/urgency_rules.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace earshot;

namespace {

struct Assessed {
  std::string level;
  std::vector<std::string> reasons;
};

Assessed Assess(std::vector<std::string> intents, double sentiment,
                const Mention* mention = nullptr) {
  const Urgency u = AssessUrgency({sentiment, intents, mention});
  Assessed out{std::string(u.level()), {}};
  for (std::string_view r : u.reasons())
    out.reasons.emplace_back(r);
  return out;
}

using Reasons = std::vector<std::string>;

}  // namespace

TEST_CASE("urgency: each intent raises its level and says why", "[urgency]") {
  CHECK(Assess({}, 0).level == "low");
  CHECK(Assess({}, 0).reasons.empty());
  CHECK(Assess({"safety"}, 0).level == "critical");
  CHECK(Assess({"legal_threat"}, 0).level == "critical");
  CHECK(Assess({"churn_threat"}, 0).level == "high");
  CHECK(Assess({"public_escalation"}, 0).level == "normal");
  CHECK(Assess({"public_escalation"}, -0.3).level == "high");  // an unhappy one
  CHECK(Assess({"refund"}, 0).level == "low");                 // asked for calmly
  CHECK(Assess({"refund"}, -0.3).level == "high");
  CHECK(Assess({"complaint"}, -0.3).level == "normal");
  CHECK(Assess({"complaint"}, -0.7).level == "high");
  CHECK(Assess({}, -0.7).level == "high");
  CHECK(Assess({}, -0.1).level == "normal");
  CHECK(Assess({"question"}, 0.5).level == "normal");
  CHECK(Assess({"praise"}, 0.9).level == "low");
  CHECK(Assess({"complaint", "safety", "question"}, -0.7).reasons ==
        Reasons{"safety", "complaint", "very_negative", "question"});
  // Spam outranks everything else and is all that is said.
  const Assessed spam = Assess({"spam", "safety", "complaint"}, -0.9);
  CHECK(spam.level == "low");
  CHECK(spam.reasons == Reasons{"spam"});
}

TEST_CASE("urgency: reach and ratings raise an unhappy mention", "[urgency]") {
  Mention m;
  m.rating = 1;
  CHECK(Assess({}, 0, &m).level == "high");
  m.rating = 2;
  CHECK(Assess({}, 0, &m).level == "normal");
  m.rating = 3;
  CHECK(Assess({}, 0, &m).level == "low");

  Mention famous;
  famous.author.followers = 50'000;
  CHECK(Assess({}, 0.5, &famous).level == "low");  // reach alone is no alarm
  CHECK(Assess({"complaint"}, -0.3, &famous).level == "high");
  CHECK(Assess({"churn_threat"}, -0.3, &famous).level == "critical");
  famous.author.followers = 5'000;
  CHECK(Assess({}, -0.3, &famous).level == "high");
  CHECK(Assess({}, -0.3, &famous).reasons == Reasons{"negative", "notable_audience"});

  Mention viral;
  viral.engagement.likes = 90;
  viral.engagement.shares = 20;
  const Assessed a = Assess({"complaint"}, -0.3, &viral);
  CHECK(a.level == "high");
  CHECK(a.reasons == Reasons{"complaint", "negative", "high_engagement"});
}
