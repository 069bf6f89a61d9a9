// Throughput of the triage classifier per language and text length, single-threaded.
// Run: build/release/bench/classify_bench  (Google Benchmark flags apply)
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "classifiers/triage_classifier.h"

namespace {

using earshot::Mention;

const std::vector<std::pair<std::string, std::string>>& Samples() {
  static const std::vector<std::pair<std::string, std::string>> samples = {
      {"en", "@voltwave my bill doubled this month and nobody on the hotline can explain why"},
      {"en", "Thanks for the quick fix, the new app is really great!"},
      {"en", "Third time this week the internet is down. If it's not fixed I'm cancelling."},
      {"ru", "Второй день не работает мобильный интернет, верните деньги за месяц!"},
      {"ru", "Спасибо за быструю доставку, всё отлично)))"},
      {"pl", "Przesyłka dotarła uszkodzona, obsługa nie odpowiada na reklamację."},
      {"pl", "Świetna obsługa w salonie, polecam!"},
      {"de", "Seit Montag funktioniert das Internet nicht. Ich will mein Geld zurück!"},
      {"de", "Ich bin sehr zufrieden, der Tarifwechsel ging ganz ohne Probleme."},
  };
  return samples;
}

const earshot::TriageClassifier& Classifier() {
  static auto classifier = earshot::TriageClassifier::Create();
  return **classifier;
}

std::vector<Mention> Mentions(const std::string& lang, int repeat) {
  std::vector<Mention> out;
  for (const auto& [l, text] : Samples()) {
    if (lang != "all" && l != lang) continue;
    Mention m;
    m.lang = l;
    for (int i = 0; i < repeat; ++i)
      m.text += (i ? " " : "") + text;
    out.push_back(std::move(m));
  }
  return out;
}

void Classify(benchmark::State& state, const std::string& lang, int repeat, bool evidence) {
  const auto mentions = Mentions(lang, repeat);
  const auto& classifier = Classifier();
  size_t i = 0, bytes = 0;
  std::vector<earshot::Label> labels;
  for (auto _ : state) {
    const Mention& m = mentions[i++ % mentions.size()];
    labels.clear();
    benchmark::DoNotOptimize(classifier.Analyse(m, evidence ? &labels : nullptr));
    bytes += m.text.size();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

}  // namespace

BENCHMARK_CAPTURE(Classify, all_short, std::string("all"), 1, false);
BENCHMARK_CAPTURE(Classify, all_short_with_evidence, std::string("all"), 1, true);
BENCHMARK_CAPTURE(Classify, en_short, std::string("en"), 1, false);
BENCHMARK_CAPTURE(Classify, ru_short, std::string("ru"), 1, false);
BENCHMARK_CAPTURE(Classify, pl_short, std::string("pl"), 1, false);
BENCHMARK_CAPTURE(Classify, de_short, std::string("de"), 1, false);
BENCHMARK_CAPTURE(Classify, all_review_length, std::string("all"), 10, false);

BENCHMARK_MAIN();
