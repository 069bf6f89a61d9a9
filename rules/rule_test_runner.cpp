#include "rules/rule_test_runner.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include "core/time.h"
#include "rules/rule_engine.h"

namespace earshot {
namespace {

// A fixed instant, so tests with offsets ("-2d") read the same on any day.
constexpr UnixMillis kTestNow = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

struct Expectation {
  std::vector<std::string> matches, tags, alerts;
  bool flagged = false, dropped = false;
  std::string case_queue;  // "" for none
};

struct TestMention {
  Mention mention;
  std::optional<std::vector<Label>> labels;
};

std::string Join(std::vector<std::string> v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i)
    out += (i ? ", " : "") + v[i];
  return out + "]";
}

class TestFileReader {
 public:
  TestFileReader(std::string path, RuleTestReport* report)
      : path_(std::move(path)), report_(report) {}

  void Error(const YAML::Node& node, std::string message) {
    RuleError e;
    e.file = path_;
    e.line = node.Mark().line + 1;
    e.column = node.Mark().column + 1;
    e.code = RuleErrorCode::kBadEntry;
    e.message = std::move(message);
    report_->load_errors.push_back(std::move(e));
  }

  std::vector<std::string> Names(const YAML::Node& node) {
    std::vector<std::string> out;
    if (!node) return out;
    if (node.IsScalar()) return {node.Scalar()};
    if (!node.IsSequence()) {
      Error(node, "expected a name or a list of names");
      return out;
    }
    for (const auto& n : node)
      out.push_back(n.as<std::string>());
    return out;
  }

  Expectation ReadExpect(const YAML::Node& node) {
    Expectation e;
    if (!node || node.IsNull()) return e;
    if (!node.IsMap()) {
      Error(node, "expect: is a map (matches, flagged, dropped, tags, alerts, case)");
      return e;
    }
    for (const auto& kv : node) {
      std::string key = kv.first.Scalar();
      if (key != "matches" && key != "flagged" && key != "dropped" && key != "tags" &&
          key != "alerts" && key != "case")
        Error(kv.first, "unknown key '" + key + "' in expect:");
    }
    e.matches = Names(node["matches"]);
    e.tags = Names(node["tags"]);
    e.alerts = Names(node["alerts"]);
    if (node["flagged"]) e.flagged = node["flagged"].as<bool>();
    if (node["dropped"]) e.dropped = node["dropped"].as<bool>();
    if (node["case"]) e.case_queue = node["case"].Scalar() == "none" ? "" : node["case"].Scalar();
    return e;
  }

  std::vector<Label> ReadLabels(const YAML::Node& node) {
    std::vector<Label> labels;
    for (const auto& kv : node) {
      std::string key = kv.first.Scalar();
      if (key == "sentiment") {
        double score = kv.second.as<double>();
        std::string name = score <= -0.05 ? "negative" : (score >= 0.05 ? "positive" : "neutral");
        labels.push_back({"sentiment", name, score, {}});
      } else if (key == "urgency") {
        labels.push_back({"urgency", kv.second.Scalar(), 1, {}});
      } else if (key == "language") {
        labels.push_back({"language", kv.second.Scalar(), 1, {}});
      } else if (key == "intents" || key == "topics" || key == "patterns" || key == "tags") {
        std::string kind = key == "intents"    ? "intent"
                           : key == "topics"   ? "topic"
                           : key == "patterns" ? "pattern"
                                               : "tag";
        for (const auto& name : Names(kv.second))
          labels.push_back({kind, name, 1, {}});
      } else {
        Error(kv.first, "unknown label '" + key +
                            "' (sentiment, urgency, language, intents, topics, patterns, tags)");
      }
    }
    return labels;
  }

  TestMention ReadMention(const YAML::Node& node, size_t index) {
    TestMention t;
    Mention& m = t.mention;
    m.source = "test";
    m.platform = "test";
    m.external_id = "m" + std::to_string(index);
    m.author.handle = "customer";
    m.created_at = kTestNow;
    for (const auto& kv : node) {
      std::string key = kv.first.Scalar();
      const YAML::Node& v = kv.second;
      if (key == "text")
        m.text = v.Scalar();
      else if (key == "title")
        m.title = v.Scalar();
      else if (key == "source")
        m.source = v.Scalar();
      else if (key == "platform")
        m.platform = v.Scalar();
      else if (key == "lang")
        m.lang = v.Scalar();
      else if (key == "url")
        m.url = v.Scalar();
      else if (key == "author")
        m.author.handle = v.Scalar();
      else if (key == "author_name")
        m.author.name = v.Scalar();
      else if (key == "followers")
        m.author.followers = v.as<int64_t>();
      else if (key == "rating")
        m.rating = v.as<double>();
      else if (key == "likes")
        m.engagement.likes = v.as<int64_t>();
      else if (key == "replies")
        m.engagement.replies = v.as<int64_t>();
      else if (key == "shares")
        m.engagement.shares = v.as<int64_t>();
      else if (key == "labels")
        t.labels = ReadLabels(v);
      else if (key == "at") {
        std::string at = v.Scalar();
        bool negative = !at.empty() && at[0] == '-';
        auto ms = ParseDurationMillis(negative ? at.substr(1) : at);
        if (!ms)
          Error(v, "at: is an offset from now such as -2d or -30m");
        else
          m.created_at = kTestNow + (negative ? -*ms : *ms);
      } else {
        Error(kv.first, "unknown mention key '" + key + "'");
      }
    }
    return t;
  }

 private:
  std::string path_;
  RuleTestReport* report_;
};

void Compare(const std::string& what, std::vector<std::string> expected,
             std::vector<std::string> got, RuleTestOutcome* outcome) {
  std::sort(expected.begin(), expected.end());
  std::sort(got.begin(), got.end());
  got.erase(std::unique(got.begin(), got.end()), got.end());
  if (expected != got)
    outcome->differences.push_back(what + ": expected " + Join(expected) + ", got " + Join(got));
}

void CompareBool(const std::string& what, bool expected, bool got, RuleTestOutcome* outcome) {
  if (expected != got)
    outcome->differences.push_back(what + ": expected " + (expected ? "true" : "false") + ", got " +
                                   (got ? "true" : "false"));
}

}  // namespace

int RuleTestReport::failed() const {
  return static_cast<int>(std::count_if(outcomes.begin(), outcomes.end(),
                                        [](const RuleTestOutcome& o) { return !o.passed; }));
}

RuleTestReport RunRuleTestFile(const std::string& path, const LabelFunction& label) {
  RuleTestReport report;
  TestFileReader reader(path, &report);
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    report.load_errors.push_back({path, 0, 0, "", RuleErrorCode::kBadEntry, "cannot read", ""});
    return report;
  } catch (const YAML::Exception& e) {
    report.load_errors.push_back(
        {path, e.mark.line + 1, e.mark.column + 1, "", RuleErrorCode::kYamlSyntax, e.msg, ""});
    return report;
  }
  if (!root.IsMap() || !root["rules"] || !root["tests"] || !root["tests"].IsSequence()) {
    reader.Error(root, "a rule test file has rules: [files...] and tests: [...]");
    return report;
  }
  try {
    std::vector<std::string> rule_files;
    std::filesystem::path dir = std::filesystem::path(path).parent_path();
    for (const auto& f : reader.Names(root["rules"]))
      rule_files.push_back((dir / f).string());
    RuleDiagnostics diagnostics;
    auto engine = RuleEngine::FromFiles(rule_files, &diagnostics);
    if (!engine) {
      report.load_errors = diagnostics.errors;
      return report;
    }
    for (const auto& test : root["tests"]) {
      RuleTestOutcome outcome;
      outcome.name = test["name"] ? test["name"].Scalar() : "(unnamed)";
      outcome.where = path + ":" + std::to_string(test.Mark().line + 1);
      if (!test["mentions"] || !test["mentions"].IsSequence() || test["mentions"].size() == 0) {
        reader.Error(test, "test '" + outcome.name + "' needs mentions: [...]");
        continue;
      }
      std::vector<TestMention> mentions;
      for (const auto& m : test["mentions"])
        mentions.push_back(reader.ReadMention(m, mentions.size()));
      Expectation expect = reader.ReadExpect(test["expect"]);
      if (!report.load_errors.empty()) return report;

      // Earlier mentions of the test are the author's history for the later ones.
      std::vector<std::pair<const Mention*, bool>> seen;  // mention, negative
      RuleVerdict verdict;
      for (auto& t : mentions) {
        std::vector<Label> labels =
            t.labels ? *t.labels : (label ? label(t.mention) : std::vector<Label>{});
        std::vector<UnixMillis> mentions_at, negative_at;
        for (const auto& [earlier, negative] : seen) {
          if (earlier->author.handle != t.mention.author.handle) continue;
          mentions_at.push_back(earlier->created_at);
          if (negative) negative_at.push_back(earlier->created_at);
        }
        AuthorHistory history{mentions_at, negative_at};
        RuleInput input{&t.mention, &labels, &history, t.mention.created_at, {}};
        verdict = engine->Evaluate(input);
        bool negative = std::any_of(labels.begin(), labels.end(), [](const Label& l) {
          return l.kind == "sentiment" && l.name == "negative";
        });
        seen.push_back({&t.mention, negative});
      }
      std::vector<std::string> matches, alerts;
      for (const auto& m : verdict.matches)
        matches.push_back(m.rule->name);
      for (const auto& a : verdict.alerts)
        alerts.push_back(a.action->channel);
      Compare("matches", expect.matches, matches, &outcome);
      CompareBool("flagged", expect.flagged, verdict.flag, &outcome);
      CompareBool("dropped", expect.dropped, verdict.drop, &outcome);
      Compare("tags", expect.tags, verdict.tags, &outcome);
      Compare("alerts", expect.alerts, alerts, &outcome);
      std::string got_case =
          verdict.case_rule ? verdict.case_rule->actions.open_case->queue : std::string();
      if (got_case != expect.case_queue) {
        outcome.differences.push_back("case: expected " +
                                      (expect.case_queue.empty() ? "none" : expect.case_queue) +
                                      ", got " + (got_case.empty() ? "none" : got_case));
      }
      outcome.passed = outcome.differences.empty();
      report.outcomes.push_back(std::move(outcome));
    }
  } catch (const YAML::Exception& e) {
    report.load_errors.push_back(
        {path, e.mark.line + 1, e.mark.column + 1, "", RuleErrorCode::kBadEntry, e.msg, ""});
  }
  return report;
}

}  // namespace earshot
