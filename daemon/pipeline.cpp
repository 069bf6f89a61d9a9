#include "daemon/pipeline.h"

namespace earshot {

AnnotatedMention Pipeline::Process(Mention mention) const {
  AnnotatedMention out;
  out.mention = std::move(mention);
  for (const auto& classifier : classifiers_)
    classifier->Classify(out.mention, &out.labels);
  FlagDecision decision = policy_.Decide(out.labels);
  out.flagged = decision.flagged;
  out.flag_reason = std::move(decision.reason);
  return out;
}

}  // namespace earshot
