// earshot rules check FILE...   validates rules files (errors and warnings, file:line:col)
// earshot rules test FILE...    runs rule unit tests, printing expected against got
#include <iostream>

#include "classifiers/triage_classifier.h"
#include "daemon/cli/options.h"
#include "rules/rule_engine.h"
#include "rules/rule_test_runner.h"
#include "rules/rules_file.h"

namespace earshot::cli {
namespace {

constexpr const char* kRulesUsage =
    "usage: earshot rules check FILE...   validate rules files\n"
    "       earshot rules test FILE...    run rule tests (YAML: rules: [...], tests: [...])\n";

int Check(const std::vector<std::string>& files) {
  RuleSetSource source;
  RuleDiagnostics diagnostics;
  for (const auto& f : files)
    LoadRulesFile(f, &source, &diagnostics);
  std::unique_ptr<RuleEngine> engine;
  if (diagnostics.ok()) engine = RuleEngine::Compile(source, &diagnostics);
  for (const auto& e : diagnostics.errors)
    std::cerr << e.ToString() << "\n";
  for (const auto& w : diagnostics.warnings)
    std::cerr << w.ToString() << "\n";
  if (!engine) {
    std::cerr << diagnostics.errors.size() << " error"
              << (diagnostics.errors.size() == 1 ? "" : "s") << "\n";
    return kExitConfig;
  }
  std::cout << "ok: " << engine->rules().size() << " rules, " << source.macros.size() << " macros, "
            << source.lists.size() << " lists";
  if (!diagnostics.warnings.empty())
    std::cout << ", " << diagnostics.warnings.size() << " warnings";
  std::cout << "\n";
  return kExitOk;
}

int Test(const std::vector<std::string>& files) {
  // Mentions a test gives no labels for are labelled as the daemon would, by the triage.
  auto triage = TriageClassifier::Create({});
  if (!triage.ok()) {
    std::cerr << "earshot rules test: " << triage.status().ToString() << "\n";
    return kExitFailure;
  }
  const Classifier& classifier = **triage;
  LabelFunction label = [&](const Mention& m) {
    std::vector<Label> labels;
    classifier.Classify(m, &labels);
    return labels;
  };
  int total = 0, failed = 0;
  bool load_failed = false;
  for (const auto& file : files) {
    RuleTestReport report = RunRuleTestFile(file, label);
    for (const auto& e : report.load_errors)
      std::cerr << e.ToString() << "\n";
    load_failed |= !report.load_errors.empty();
    for (const auto& o : report.outcomes) {
      ++total;
      if (o.passed) {
        std::cout << "PASS " << o.name << "\n";
        continue;
      }
      ++failed;
      std::cout << "FAIL " << o.name << " (" << o.where << ")\n";
      for (const auto& d : o.differences)
        std::cout << "  " << d << "\n";
    }
  }
  std::cout << total << " tests, " << failed << " failed\n";
  if (load_failed) return kExitConfig;
  return failed ? kExitFailure : kExitOk;
}

}  // namespace

int Rules(const Args& args) {
  if (args.empty() || args[0] == "-h" || args[0] == "--help") {
    (args.empty() ? std::cerr : std::cout) << kRulesUsage;
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::string& sub = args[0];
  std::vector<std::string> files(args.begin() + 1, args.end());
  if ((sub != "check" && sub != "test") || files.empty()) {
    std::cerr << kRulesUsage;
    return kExitUsage;
  }
  return sub == "check" ? Check(files) : Test(files);
}

}  // namespace earshot::cli
