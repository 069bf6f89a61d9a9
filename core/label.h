// What a classifier says about a mention, always with the evidence that made it say so.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace earshot {

// Byte offsets into Mention::text, [begin, end), always on UTF-8 character boundaries.
struct Span {
  size_t begin = 0;
  size_t end = 0;
  bool operator==(const Span&) const = default;
};

struct Evidence {
  std::string source;  // what fired: "pattern:refund#0", "lexicon:en:terrible", "rule:negation"
  Span span;
  std::string field;  // which text the span points into: "" (Mention::text) or "title"
  double weight = 0;  // its contribution, where the classifier scores
};

// kind: "pattern" (configured regex sets), "language", "sentiment", "intent", "urgency", "topic".
// For "sentiment" the name is negative/neutral/positive and score is in [-1, 1].
struct Label {
  std::string kind;
  std::string name;
  double score = 1.0;
  std::vector<Evidence> evidence;
};

}  // namespace earshot
