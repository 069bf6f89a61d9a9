// Lexicon and rule sentiment in the spirit of VADER, per language: polar words weighted,
// strengthened by boosters, ALL CAPS, elongation and '!', flipped by negation, re-weighted
// around "but", and blended with a star rating when the source has one. Every hit and every
// adjustment is returned as evidence with its span.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "classifiers/sentiment/lexicon.h"
#include "classifiers/text/tokenizer.h"
#include "core/label.h"

namespace earshot {

struct SentimentResult {
  double score = 0;  // in [-1, 1]
  std::string label = "neutral";
  std::vector<Evidence> evidence;
};

struct SentimentThresholds {
  double positive = 0.05;
  double negative = -0.05;
};

class SentimentScorer {
 public:
  // The built-in lexicons of every supported language; `extra` entries (a user's lexicon,
  // keyed by language) are loaded on top.
  static Result<SentimentScorer> Create(const std::map<std::string, std::string>& extra = {});

  // Without `want_evidence` only the score and label are filled, which is much cheaper.
  SentimentResult Score(const std::vector<Token>& tokens, const std::string& lang,
                        std::optional<double> rating, bool want_evidence = true) const;

  bool Supports(const std::string& lang) const { return lexicons_.count(lang) > 0; }

 private:
  std::map<std::string, Lexicon> lexicons_;
  SentimentThresholds thresholds_;
};

}  // namespace earshot
