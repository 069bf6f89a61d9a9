// Rule evaluation throughput: a rule set of N generated rules in the shapes teams write
// (equality, sets, numbers, levels, lists, macros, icontains and regexes over the text),
// evaluated against labelled review-length mentions. Reports mentions/s and rules/s.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "rules/rule_engine.h"
#include "rules/rules_file.h"

namespace earshot {
namespace {

std::string GenerateRules(int n) {
  std::string yaml =
      "- list: own_accounts\n  items: [voltwave, voltwave_help]\n"
      "- macro: from_customer\n  condition: not author.handle in own_accounts\n"
      "- macro: unhappy\n  condition: sentiment.label == negative or rating <= 3\n";
  for (int i = 0; i < n; ++i) {
    std::string c;
    switch (i % 6) {
      case 0:
        c = "source == src" + std::to_string(i) + " and sentiment.score < -0." +
            std::to_string(i % 9 + 1);
        break;
      case 1:
        c = "intents contains churn_threat and author.followers > " + std::to_string(i * 10);
        break;
      case 2:
        c = "from_customer and text icontains 'word" + std::to_string(i) + "'";
        break;
      case 3:
        c = "lang in (en, de) and rating <= " + std::to_string(i % 5 + 1) + " and unhappy";
        break;
      case 4:
        c = "topics in (billing, network) and urgency >= high and from_customer";
        break;
      case 5:
        c = "text matches '\\\\b(refund|chargeback)" + std::to_string(i) +
            "\\\\b' or author.negative_count(7d) >= " + std::to_string(i % 4 + 3);
        break;
    }
    yaml += "- rule: r" + std::to_string(i) + "\n  condition: \"" + c +
            "\"\n  priority: medium\n  actions: [flag]\n";
  }
  return yaml;
}

struct Sample {
  Mention mention;
  std::vector<Label> labels;
};

std::vector<Sample> Samples() {
  const char* texts[] = {
      "Third time this week my internet is down. If this is not fixed by Friday I'm cancelling "
      "and switching to another provider. Support keeps me on hold for an hour every time.",
      "Support fixed my SIM swap in five minutes. Friendly and fast, thank you! The new plan is "
      "cheaper too, and the coverage in the mountains finally works.",
      "Ordered a phone from the shop two weeks ago, the package still shows in transit. I want a "
      "refund for the express shipping I paid for, nobody answers my emails.",
      "Seit Montag funktioniert das Internet nicht mehr. Ich habe dreimal angerufen und niemand "
      "kann mir sagen, wann die Störung behoben ist.",
  };
  std::vector<Sample> out;
  int i = 0;
  for (const char* t : texts) {
    Sample s;
    s.mention.source = "src" + std::to_string(i);
    s.mention.platform = "reddit";
    s.mention.text = t;
    s.mention.author.handle = "customer" + std::to_string(i);
    s.mention.author.followers = 100 * (i + 1);
    s.mention.rating = 1 + i;
    s.mention.lang = i == 3 ? "de" : "en";
    s.labels = {{"sentiment", i == 1 ? "positive" : "negative", i == 1 ? 0.6 : -0.5, {}},
                {"urgency", i == 0 ? "high" : "low", 1, {}},
                {"intent", i == 0 ? "churn_threat" : "complaint", 1, {}},
                {"topic", "network", 1, {}}};
    out.push_back(std::move(s));
    ++i;
  }
  return out;
}

void BM_EvaluateRules(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  RuleSetSource source;
  RuleDiagnostics diagnostics;
  LoadRulesText(GenerateRules(n), "bench.yaml", &source, &diagnostics);
  auto engine = RuleEngine::Compile(source, &diagnostics);
  if (!engine) {
    state.SkipWithError(diagnostics.errors.front().ToString().c_str());
    return;
  }
  auto samples = Samples();
  const std::vector<UnixMillis> negatives = {1'700'000'000'000, 1'700'000'100'000};
  AuthorHistory history;
  history.negative_at = negatives;
  size_t i = 0, matched = 0;
  for (auto _ : state) {
    const Sample& s = samples[i++ % samples.size()];
    RuleInput input{&s.mention, &s.labels, &history, 1'700'000'200'000, {}};
    RuleVerdict v = engine->Evaluate(input);
    matched += v.matches.size();
    benchmark::DoNotOptimize(v);
  }
  state.counters["mentions/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["rules/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * n, benchmark::Counter::kIsRate);
  state.counters["matches/mention"] =
      static_cast<double>(matched) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_EvaluateRules)->Arg(10)->Arg(100)->Arg(1000);

void BM_CompileRules(benchmark::State& state) {
  std::string yaml = GenerateRules(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    RuleSetSource source;
    RuleDiagnostics diagnostics;
    LoadRulesText(yaml, "bench.yaml", &source, &diagnostics);
    benchmark::DoNotOptimize(RuleEngine::Compile(source, &diagnostics));
  }
}
BENCHMARK(BM_CompileRules)->Arg(1000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace earshot

BENCHMARK_MAIN();
