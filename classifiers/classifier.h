// A classifier adds labels, each with its evidence, to a mention. Immutable after construction
// and safe to call from several threads at once.
#pragma once

#include <vector>

#include "core/label.h"
#include "core/mention.h"

namespace earshot {

class Classifier {
 public:
  virtual ~Classifier() = default;
  virtual void Classify(const Mention& mention, std::vector<Label>* labels) const = 0;
};

}  // namespace earshot
