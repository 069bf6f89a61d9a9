// The full triage of one mention: language, sentiment, intents, topics and urgency, each a
// Label with the evidence that produced it. Immutable once built and safe to share.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "classifiers/classifier.h"
#include "core/status.h"

namespace earshot {

struct CustomTopic {
  std::string name;
  std::vector<std::string> patterns;  // RE2, case-insensitive, any language
};

struct TriageOptions {
  std::vector<CustomTopic> custom_topics;
  std::map<std::string, std::string> extra_lexicons;  // language -> lexicon text (TSV)
};

// The labels of one text, for callers that want them as a struct rather than Labels.
struct Triage {
  std::string lang;
  double lang_confidence = 0;
  double sentiment = 0;
  std::string sentiment_label;
  std::vector<std::string> intents;
  std::vector<std::string> topics;
  std::string urgency;
  bool complaint = false;
};

class TriageClassifier : public Classifier {
 public:
  static Result<std::unique_ptr<TriageClassifier>> Create(const TriageOptions& options = {});
  ~TriageClassifier() override;

  void Classify(const Mention& mention, std::vector<Label>* labels) const override;
  // The same analysis, summarised; `labels` may be null.
  Triage Analyse(const Mention& mention, std::vector<Label>* labels) const;
  // The same into `result`, reusing its storage: a caller classifying many texts into the same
  // Triages allocates nothing for them once they have grown.
  void Analyse(const Mention& mention, std::vector<Label>* labels, Triage* result) const;

 private:
  struct Impl;
  explicit TriageClassifier(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace earshot
