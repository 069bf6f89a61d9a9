// Decides whether a labelled mention goes to the review queue: urgency high or critical, or a
// configured pattern set marked `flag: true`. The rules engine adds team-written conditions.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "core/label.h"

namespace earshot {

struct FlagDecision {
  bool flagged = false;
  std::string reason;  // "label refund, cancel"
};

class FlagPolicy {
 public:
  explicit FlagPolicy(std::set<std::string> flagging_pattern_sets)
      : flagging_sets_(std::move(flagging_pattern_sets)) {}

  FlagDecision Decide(const std::vector<Label>& labels) const;

 private:
  std::set<std::string> flagging_sets_;
};

}  // namespace earshot
