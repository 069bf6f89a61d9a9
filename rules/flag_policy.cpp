#include "rules/flag_policy.h"

namespace earshot {

FlagDecision FlagPolicy::Decide(const std::vector<Label>& labels) const {
  FlagDecision decision;
  for (const auto& label : labels) {
    if (label.kind != "pattern" || !flagging_sets_.count(label.name)) continue;
    decision.reason += decision.flagged ? ", " : "label ";
    decision.reason += label.name;
    decision.flagged = true;
  }
  return decision;
}

}  // namespace earshot
