// Labels a mention with every configured pattern set that matches its title or text, with the
// matched spans as evidence. One RE2::Set scans the text once for all sets; only the sets that
// hit are re-run to find their spans. RE2 runs in linear time, so no pattern can hang the daemon.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "classifiers/classifier.h"
#include "core/status.h"

namespace earshot {

struct PatternSet {
  std::string name;
  std::vector<std::string> patterns;
};

class RegexLabeller : public Classifier {
 public:
  static Result<std::unique_ptr<RegexLabeller>> Create(const std::vector<PatternSet>& sets);
  // Checks one pattern the way Create compiles it; the error text is RE2's.
  static Status CheckPattern(const std::string& pattern);

  void Classify(const Mention& mention, std::vector<Label>* labels) const override;
  ~RegexLabeller() override;

 private:
  struct Impl;
  explicit RegexLabeller(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace earshot
