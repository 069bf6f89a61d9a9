// What happens to every mention between the connector and the store: classifiers add labels
// with evidence, then the flag policy decides whether a person should look at it.
#pragma once

#include <memory>
#include <vector>

#include "classifiers/classifier.h"
#include "rules/flag_policy.h"
#include "store/store.h"

namespace earshot {

class Pipeline {
 public:
  Pipeline(std::vector<std::unique_ptr<Classifier>> classifiers, FlagPolicy policy)
      : classifiers_(std::move(classifiers)), policy_(std::move(policy)) {}

  // Thread-safe: classifiers and policy are immutable.
  AnnotatedMention Process(Mention mention) const;

 private:
  std::vector<std::unique_ptr<Classifier>> classifiers_;
  FlagPolicy policy_;
};

}  // namespace earshot
