#include "rules/flag_policy.h"

namespace earshot {

FlagDecision FlagPolicy::Decide(const std::vector<Label>& labels) const {
  FlagDecision decision;
  for (const auto& label : labels) {
    // Until the team's own rules say otherwise, anything the triage calls urgent gets a look.
    if (label.kind == "urgency" && (label.name == "high" || label.name == "critical")) {
      decision.reason += decision.flagged ? ", " : "";
      decision.reason += "urgency " + label.name;
      decision.flagged = true;
      continue;
    }
    if (label.kind != "pattern" || !flagging_sets_.count(label.name)) continue;
    decision.reason += decision.flagged ? ", label " : "label ";
    decision.reason += label.name;
    decision.flagged = true;
  }
  return decision;
}

}  // namespace earshot
