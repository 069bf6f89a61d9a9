#include "classifiers/triage_classifier.h"

#include <algorithm>

#include "classifiers/intents/pattern_table.h"
#include "classifiers/language/language_detector.h"
#include "classifiers/lexicons/embedded.h"
#include "classifiers/sentiment/sentiment_scorer.h"
#include "classifiers/text/tokenizer.h"
#include "classifiers/urgency/urgency_rules.h"
#include "core/utf8.h"

namespace earshot {
namespace {

constexpr size_t kMaxAnalysedBytes = 20'000;  // a novel-length post is judged by its start
constexpr double kSarcasmDamping = 0.6;
constexpr double kComplaintCeiling = 0.25;    // a "complaint" phrased glowingly is not one
constexpr double kNegativeComplaint = -0.05;  // any negative text to a brand is a complaint
constexpr double kNeutralBand = 0.05;
constexpr double kPoliteBand = 0.2;  // "please respond" does not make a fire report good news
constexpr double kReportedFailure = -0.2;

bool Known(const std::string& lang) {
  return lang == "en" || lang == "ru" || lang == "pl" || lang == "de";
}

Evidence PatternEvidence(const PatternHit& hit, const std::string& field) {
  return {"pattern:" + std::string(hit.pattern_id), hit.span, field, 0};
}

}  // namespace

// Intents and topics share one table, so each text is scanned by one DFA; topic names carry
// this prefix.
constexpr std::string_view kTopic = "topic:";

struct TriageClassifier::Impl {
  SentimentScorer scorer;
  PatternTable patterns;
};

TriageClassifier::TriageClassifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TriageClassifier::~TriageClassifier() = default;

Result<std::unique_ptr<TriageClassifier>> TriageClassifier::Create(const TriageOptions& options) {
  auto scorer = SentimentScorer::Create(options.extra_lexicons);
  if (!scorer.ok()) return scorer.status();
  auto impl = std::make_unique<Impl>();
  impl->scorer = std::move(scorer).value();
  Status s = impl->patterns.Load(EmbeddedData("intents.tsv"), "intents.tsv");
  if (s.ok())
    s = impl->patterns.Load(EmbeddedData("topics.tsv"), "topics.tsv", std::string(kTopic));
  for (const auto& topic : options.custom_topics) {
    for (size_t i = 0; s.ok() && i < topic.patterns.size(); ++i) {
      s = impl->patterns.Add("*", std::string(kTopic) + topic.name, topic.patterns[i],
                             "topic " + topic.name + " pattern " + std::to_string(i + 1));
    }
  }
  if (s.ok()) s = impl->patterns.Compile();
  if (!s.ok()) return s;
  return std::unique_ptr<TriageClassifier>(new TriageClassifier(std::move(impl)));
}

void TriageClassifier::Classify(const Mention& mention, std::vector<Label>* labels) const {
  Analyse(mention, labels);
}

Triage TriageClassifier::Analyse(const Mention& mention, std::vector<Label>* labels) const {
  Triage out;
  Analyse(mention, labels, &out);
  return out;
}

void TriageClassifier::Analyse(const Mention& mention, std::vector<Label>* labels,
                               Triage* result) const {
  Triage& out = *result;
  out.intents.clear();
  out.topics.clear();
  const bool use_title = mention.text.empty();
  const std::string field = use_title ? "title" : "";
  const std::string_view text =
      TruncateUtf8(use_title ? mention.title : mention.text, kMaxAnalysedBytes);

  if (Known(mention.lang)) {
    out.lang = mention.lang;
    out.lang_confidence = 1.0;
  } else {
    LanguageGuess guess = DetectLanguage(text);
    out.lang = guess.lang;
    out.lang_confidence = guess.confidence;
  }

  // Reused from text to text, so most texts are analysed without allocating; kMaxAnalysedBytes
  // bounds what they keep.
  thread_local std::vector<Token> tokens;
  thread_local std::string folded;
  Tokenize(text, &tokens, &folded);
  const bool want_evidence = labels != nullptr;
  SentimentResult sentiment = impl_->scorer.Score(tokens, out.lang, mention.rating, want_evidence);

  thread_local std::vector<PatternHit> hits, intent_hits, topic_hits;
  hits.clear();
  intent_hits.clear();
  topic_hits.clear();
  impl_->patterns.Match(text, out.lang, &hits, want_evidence);
  for (PatternHit& h : hits) {
    if (h.name.starts_with(kTopic)) {
      h.name.remove_prefix(kTopic.size());
      topic_hits.push_back(h);
    } else {
      intent_hits.push_back(h);
    }
  }
  auto hit = [&](std::string_view name) {
    return std::find_if(intent_hits.begin(), intent_hits.end(),
                        [&](const PatternHit& h) { return h.name == name; });
  };

  // Praise words around a complaint marker are sarcasm: "great, another delay".
  if (auto sarcasm = hit("sarcasm"); sarcasm != intent_hits.end() && sentiment.score > -0.2) {
    sentiment.score = -std::max(0.3, std::abs(sentiment.score) * kSarcasmDamping);
    sentiment.label = "negative";
    sentiment.evidence.push_back({"rule:sarcasm", sarcasm->span, field, sentiment.score});
  }
  const bool complaint_words = hit("complaint") != intent_hits.end();
  const bool danger =
      hit("safety") != intent_hits.end() || hit("legal_threat") != intent_hits.end();
  // A reported failure, danger or legal trouble told in neutral or merely polite words ("on hold
  // for 40 minutes", "... please respond") is still bad news.
  const double band = danger ? kPoliteBand : kNeutralBand;
  if ((complaint_words || danger) && std::abs(sentiment.score) < band) {
    sentiment.score = kReportedFailure;
    sentiment.label = "negative";
    if (want_evidence) {
      // The complaint, or else the danger, that reported it.
      auto cause = hit("complaint");
      if (cause == intent_hits.end()) cause = hit("safety");
      if (cause == intent_hits.end()) cause = hit("legal_threat");
      sentiment.evidence.push_back({"rule:reported_failure", cause->span, field, kReportedFailure});
    }
  }
  out.sentiment = sentiment.score;
  out.sentiment_label = sentiment.label;

  const bool grievance = hit("refund") != intent_hits.end() ||
                         hit("churn_threat") != intent_hits.end() ||
                         hit("legal_threat") != intent_hits.end();
  out.complaint = ((complaint_words || grievance) && sentiment.score < kComplaintCeiling) ||
                  sentiment.score <= kNegativeComplaint;

  // Labels are built only for callers that want them.
  std::vector<Label> intent_labels;
  if (out.complaint) out.intents.emplace_back("complaint");
  for (const auto& h : intent_hits) {
    if (h.name == "sarcasm" || h.name == "complaint") continue;
    if (h.name == "praise" && sentiment.score < 0) continue;  // "thanks for nothing"
    out.intents.emplace_back(h.name);
    if (want_evidence)
      intent_labels.push_back({"intent", std::string(h.name), 1.0, {PatternEvidence(h, field)}});
  }
  if (out.complaint && want_evidence) {
    Label complaint{"intent", "complaint", std::min(1.0, 0.5 + std::abs(sentiment.score)), {}};
    if (auto c = hit("complaint"); c != intent_hits.end())
      complaint.evidence.push_back(PatternEvidence(*c, field));
    complaint.evidence.push_back({"sentiment", {0, 0}, field, sentiment.score});
    intent_labels.insert(intent_labels.begin(), std::move(complaint));
  }

  for (const auto& h : topic_hits)
    out.topics.emplace_back(h.name);

  Urgency urgency = AssessUrgency({out.sentiment, out.intents, &mention});
  out.urgency = urgency.level();

  if (!labels) return;
  labels->push_back({"language", out.lang, out.lang_confidence, {}});
  for (auto& e : sentiment.evidence)
    e.field = field;
  labels->push_back({"sentiment", sentiment.label, sentiment.score, std::move(sentiment.evidence)});
  for (auto& l : intent_labels)
    labels->push_back(std::move(l));
  for (const auto& h : topic_hits) {
    labels->push_back({"topic", std::string(h.name), 1.0, {PatternEvidence(h, field)}});
  }
  Label urgency_label{"urgency", std::string(urgency.level()), 1.0, {}};
  for (std::string_view reason : urgency.reasons()) {
    urgency_label.evidence.push_back({"urgency:" + std::string(reason), {0, 0}, field, 0});
  }
  labels->push_back(std::move(urgency_label));
}

}  // namespace earshot
