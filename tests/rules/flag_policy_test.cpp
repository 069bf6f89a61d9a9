#include "rules/flag_policy.h"

#include <catch2/catch.hpp>

using namespace earshot;

TEST_CASE("Only pattern labels of flagging sets flag a mention and all are named") {
  FlagPolicy policy({"refund", "legal"});
  std::vector<Label> labels = {
      {"pattern", "delivery", 1, {}},
      {"pattern", "refund", 1, {}},
      {"intent", "legal", 1, {}},  // same name, other kind: not a configured pattern set
      {"pattern", "legal", 1, {}},
  };
  FlagDecision d = policy.Decide(labels);
  CHECK(d.flagged);
  CHECK(d.reason == "label refund, label legal");

  CHECK_FALSE(policy.Decide({{"pattern", "delivery", 1, {}}}).flagged);
  CHECK_FALSE(policy.Decide({}).flagged);
}

TEST_CASE("High and critical urgency flag a mention") {
  FlagPolicy policy({});
  CHECK(policy.Decide({{"urgency", "critical", 1, {}}}).reason == "urgency critical");
  CHECK(policy.Decide({{"urgency", "high", 1, {}}}).flagged);
  CHECK_FALSE(policy.Decide({{"urgency", "normal", 1, {}}}).flagged);
}
