#include "classifiers/sentiment/sentiment_scorer.h"

#include <algorithm>
#include <cmath>

#include "classifiers/lexicons/embedded.h"

namespace earshot {
namespace {

constexpr double kCapsEmphasis = 0.733;  // VADER's empirically derived ALL CAPS increment
constexpr double kElongationEmphasis = 0.3;
constexpr double kNegationScale = -0.74;  // "not good" is milder than "bad"
constexpr double kExclamationEmphasis = 0.292;
constexpr double kBeforeContrast = 0.5;
constexpr double kAfterContrast = 1.5;
constexpr double kNormalisation = 15;   // score / sqrt(score^2 + 15) keeps it in (-1, 1)
constexpr double kRatingWeight = 0.65;  // stars say more than words about a review
constexpr int kModifierWindow = 3;

const char* const kLanguages[] = {"en", "ru", "pl", "de"};

double Sign(double v) {
  return v < 0 ? -1.0 : 1.0;
}

bool IsLexical(const Token& t) {
  return t.kind == Token::Kind::kWord || t.kind == Token::Kind::kEmoji ||
         t.kind == Token::Kind::kEmoticon;
}

// Runs of ")" and "(" are smileys in Russian-speaking writing: ")))" is a grin.
double ParenthesisValence(const Token& t, const std::string& lang, bool saw_open_paren) {
  if (t.kind != Token::Kind::kPunct || t.folded.empty()) return 0;
  const char c = t.folded[0];
  if (c != ')' && c != '(') return 0;
  for (char ch : t.folded) {
    if (ch != c) return 0;
  }
  const int n = static_cast<int>(std::min<size_t>(t.folded.size(), 3));
  if (n < 2 && !(lang == "ru" && c == ')' && !saw_open_paren)) return 0;
  return (c == ')' ? 0.9 : -1.0) * (1 + 0.3 * (n - 1));
}

}  // namespace

Result<SentimentScorer> SentimentScorer::Create(const std::map<std::string, std::string>& extra) {
  SentimentScorer scorer;
  for (const char* lang : kLanguages) {
    const std::string name = std::string(lang) + ".tsv";
    Lexicon& lexicon = scorer.lexicons_[lang];
    if (Status s = lexicon.Load(EmbeddedData("common.tsv"), "common.tsv"); !s.ok()) return s;
    if (Status s = lexicon.Load(EmbeddedData(name), name); !s.ok()) return s;
  }
  for (const auto& [lang, text] : extra) {
    if (Status s = scorer.lexicons_[lang].Load(text, "lexicon for " + lang); !s.ok()) return s;
  }
  return scorer;
}

SentimentResult SentimentScorer::Score(const std::vector<Token>& tokens, const std::string& lang,
                                       std::optional<double> rating, bool want_evidence) const {
  SentimentResult result;
  auto found = lexicons_.find(lang);
  const Lexicon* lexicon = found == lexicons_.end() ? nullptr : &found->second;

  int words = 0, caps_words = 0, exclamations = 0;
  for (const auto& t : tokens) {
    if (t.kind == Token::Kind::kWord) {
      ++words;
      caps_words += t.all_caps;
    }
    exclamations += t.exclamations;
  }
  // When everything is shouted, nothing in particular is.
  const bool caps_mean_emphasis = caps_words * 2 < words;

  // Reused from text to text, so most texts are scored without allocating.
  thread_local std::vector<double> valence;
  thread_local std::vector<const LexiconEntry*> entries;
  valence.assign(tokens.size(), 0);
  entries.assign(tokens.size(), nullptr);
  if (lexicon) {
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (!IsLexical(tokens[i])) continue;
      const LexiconEntry* e = nullptr;
      if (i + 1 < tokens.size() && tokens[i + 1].kind == Token::Kind::kWord) {
        e = lexicon->FindPair(tokens[i].folded, tokens[i + 1].folded);
      }
      if (!e) e = lexicon->Find(tokens[i].folded);
      if (!e && tokens[i].elongated) {
        for (const auto& variant : ElongationVariants(tokens[i].folded)) {
          if ((e = lexicon->Find(variant))) break;
        }
      }
      entries[i] = e;
    }
  }

  size_t contrast_at = tokens.size();
  bool saw_open_paren = false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (double p = ParenthesisValence(t, lang, saw_open_paren); p != 0) {
      valence[i] = p;
      if (want_evidence)
        result.evidence.push_back({"emoticon:" + std::string(t.folded), t.span, "", p});
      continue;
    }
    if (t.kind == Token::Kind::kPunct && t.folded.find('(') != std::string::npos)
      saw_open_paren = true;
    const LexiconEntry* e = entries[i];
    if (!e) continue;
    if (e->kind == LexiconKind::kContrast) {
      contrast_at = i;
      continue;
    }
    if (e->kind != LexiconKind::kPolarity) continue;
    double v = e->weight;
    if (t.all_caps && caps_mean_emphasis) v += Sign(v) * kCapsEmphasis;
    if (t.elongated) v += Sign(v) * kElongationEmphasis;

    // Modifiers before the word, within its clause.
    const Token* negator = nullptr;
    int seen = 0;
    for (size_t j = i; j-- > 0 && seen < kModifierWindow;) {
      if (tokens[j].clause_break) break;
      if (!IsLexical(tokens[j])) continue;
      ++seen;
      const LexiconEntry* m = entries[j];
      if (!m) continue;
      if (m->kind == LexiconKind::kBooster) v += Sign(v) * m->weight * (1.0 - 0.05 * (seen - 1));
      if (m->kind == LexiconKind::kNegator && !negator) negator = &tokens[j];
      if (m->kind == LexiconKind::kPolarity && m->weight * e->weight < 0) break;
    }
    // German puts "nicht" after the verb it negates: "Das gefällt mir nicht".
    if (!negator && lang == "de") {
      seen = 0;
      for (size_t j = i + 1; j < tokens.size() && seen < kModifierWindow; ++j) {
        if (tokens[j].clause_break) break;
        if (!IsLexical(tokens[j])) continue;
        ++seen;
        if (entries[j] && entries[j]->kind == LexiconKind::kNegator) {
          negator = &tokens[j];
          break;
        }
        if (entries[j] && entries[j]->kind == LexiconKind::kPolarity) break;
      }
    }
    if (negator) {
      v *= kNegationScale;
      if (want_evidence) result.evidence.push_back({"rule:negation", negator->span, "", 0});
    }
    valence[i] = v;
    if (want_evidence)
      result.evidence.push_back({"lexicon:" + lang + ":" + e->term, t.span, "", v});
  }

  double sum = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    double v = valence[i];
    if (contrast_at < tokens.size() && v != 0)
      v *= i < contrast_at ? kBeforeContrast : kAfterContrast;
    sum += v;
  }
  if (want_evidence && contrast_at < tokens.size() && sum != 0) {
    result.evidence.push_back({"rule:contrast", tokens[contrast_at].span, "", 0});
  }
  if (sum != 0 && exclamations > 0) {
    sum += Sign(sum) * kExclamationEmphasis * std::min(exclamations, 4);
  }
  double score = sum / std::sqrt(sum * sum + kNormalisation);
  if (rating) {
    const double stars = (std::clamp(*rating, 1.0, 5.0) - 3.0) / 2.0;
    score = (1 - kRatingWeight) * score + kRatingWeight * stars;
    result.evidence.push_back(
        {"rating:" + std::to_string(static_cast<int>(*rating)), {0, 0}, "", stars});
  }
  result.score = std::clamp(score, -1.0, 1.0);
  result.label = result.score >= thresholds_.positive   ? "positive"
                 : result.score <= thresholds_.negative ? "negative"
                                                        : "neutral";
  return result;
}

}  // namespace earshot
