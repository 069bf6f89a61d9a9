// How soon a person should look: low, normal, high or critical, with every reason listed.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/mention.h"

namespace earshot {

struct UrgencyInput {
  double sentiment = 0;
  std::span<const std::string> intents;
  const Mention* mention = nullptr;  // reach (followers, engagement) and rating
};

struct Urgency {
  std::string level = "low";
  std::vector<std::string> reasons;
};

Urgency AssessUrgency(const UrgencyInput& input);

}  // namespace earshot
