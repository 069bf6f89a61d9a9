#include "rules/rule_engine.h"

#include <catch2/catch.hpp>

#include "rules/rules_file.h"

namespace earshot {
namespace {

struct Compiled {
  std::unique_ptr<RuleEngine> engine;
  RuleDiagnostics diagnostics;
};

Compiled CompileText(const std::string& yaml) {
  Compiled c;
  RuleSetSource source;
  LoadRulesText(yaml, "rules.yaml", &source, &c.diagnostics);
  if (c.diagnostics.ok()) c.engine = RuleEngine::Compile(source, &c.diagnostics);
  return c;
}

std::string FirstError(const std::string& yaml) {
  Compiled c = CompileText(yaml);
  REQUIRE_FALSE(c.diagnostics.errors.empty());
  return c.diagnostics.errors.front().ToString();
}

Mention SampleMention() {
  Mention m;
  m.source = "reviews";
  m.platform = "trustpilot";
  m.text = "Third time the router drops. I want a refund or I cancel, my lawyer is next.";
  m.author.handle = "anna_k";
  m.author.followers = 1200;
  m.rating = 1;
  m.created_at = 1'000'000;
  m.engagement.likes = 40;
  return m;
}

std::vector<Label> SampleLabels() {
  return {{"sentiment", "negative", -0.7, {}}, {"urgency", "high", 1, {}},
          {"intent", "churn_threat", 1, {}},   {"intent", "complaint", 1, {}},
          {"topic", "connectivity", 1, {}},    {"language", "en", 0.99, {}}};
}

std::vector<std::string> Matches(const RuleEngine& engine, const Mention& m,
                                 const std::vector<Label>& labels,
                                 const AuthorHistory* history = nullptr) {
  RuleInput input{&m, &labels, history, m.created_at + 60'000, {}};
  std::vector<std::string> names;
  for (const auto& match : engine.Evaluate(input).matches)
    names.push_back(match.rule->name);
  return names;
}

std::string OneRule(const std::string& condition) {
  return "- rule: r\n  condition: " + condition + "\n  actions: [flag]\n";
}

bool Fires(const std::string& condition, const Mention& m = SampleMention(),
           const std::vector<Label>& labels = SampleLabels()) {
  Compiled c = CompileText(OneRule(condition));
  INFO(condition);
  for (const auto& e : c.diagnostics.errors)
    INFO(e.ToString());
  REQUIRE(c.engine);
  return !Matches(*c.engine, m, labels).empty();
}

TEST_CASE("Conditions over mention fields, labels and operators", "[rules]") {
  CHECK(Fires("source == reviews"));
  CHECK(Fires("source == 'reviews'"));
  CHECK_FALSE(Fires("source != reviews"));
  CHECK(Fires("platform in (trustpilot, yelp)"));
  CHECK(Fires("text contains refund"));
  CHECK_FALSE(Fires("text contains REFUND"));
  CHECK(Fires("text icontains REFUND"));
  CHECK(Fires("text startswith Third"));
  CHECK(Fires("text matches '\\b(lawyer|attorney)\\b'"));
  CHECK(Fires("rating <= 2"));
  CHECK_FALSE(Fires("rating > 2"));
  CHECK(Fires("sentiment.score < -0.5"));
  CHECK(Fires("sentiment.label == negative"));
  CHECK(Fires("urgency >= high"));
  CHECK_FALSE(Fires("urgency == critical"));
  CHECK(Fires("urgency in (high, critical)"));
  CHECK(Fires("intents contains churn_threat"));
  CHECK(Fires("intents in (legal_threat, churn_threat)"));
  CHECK_FALSE(Fires("intents contains praise"));
  CHECK(Fires("topics contains connectivity"));
  CHECK(Fires("lang == en"));
  CHECK(Fires("author.followers >= 1000 and engagement.likes > 10"));
  CHECK(Fires("author.handle startswith anna"));
  CHECK(Fires("not (rating > 3) and (lang == de or lang == en)"));
  CHECK(Fires("rating exists and not title exists"));
  CHECK(Fires("age < 1h"));
  CHECK_FALSE(Fires("age > 2m"));
}

TEST_CASE("A number the mention lacks satisfies no comparison", "[rules]") {
  Mention m = SampleMention();
  m.rating.reset();
  CHECK_FALSE(Fires("rating <= 2", m));
  CHECK_FALSE(Fires("rating > 2", m));
  CHECK_FALSE(Fires("rating exists", m));
}

TEST_CASE("icontains folds Cyrillic and Polish letters", "[rules]") {
  Mention m = SampleMention();
  m.text = "ВЕРНИТЕ ДЕНЬГИ, ZAŻÓŁĆ";
  CHECK(Fires("text icontains 'верните деньги'", m));
  CHECK(Fires("text icontains 'zażółć'", m));
}

TEST_CASE("Author history counts the mention at hand within the window", "[rules]") {
  Compiled c = CompileText(OneRule("author.negative_count(7d) >= 3"));
  REQUIRE(c.engine);
  CHECK(c.engine->history_window_ms() == 7 * 24 * 3600'000LL);
  Mention m = SampleMention();
  auto labels = SampleLabels();
  UnixMillis now = m.created_at + 60'000;
  std::vector<UnixMillis> negatives = {now - 3600'000};
  AuthorHistory history;
  history.negative_at = negatives;
  CHECK(Matches(*c.engine, m, labels, &history).empty());  // 2 of 3
  negatives.push_back(now - 6 * 24 * 3600'000LL);
  history.negative_at = negatives;
  CHECK(Matches(*c.engine, m, labels, &history).size() == 1);
  negatives.back() = now - 8 * 24 * 3600'000LL;  // outside the window
  CHECK(Matches(*c.engine, m, labels, &history).empty());
}

TEST_CASE("Lists, nested lists and macros resolve by name", "[rules]") {
  Compiled c = CompileText(R"(
- list: threats
  items: [legal_threat, churn_threat]
- list: all_threats
  items: [threats, safety]
- macro: unhappy
  condition: sentiment.score < -0.3 or rating <= 2
- macro: threatening
  condition: intents in all_threats
- rule: unhappy_threat
  condition: unhappy and threatening
  priority: high
  actions: [flag, {tag: escalate}]
- rule: tagged_later
  condition: tags contains escalate
  actions: [flag]
)");
  for (const auto& e : c.diagnostics.errors)
    INFO(e.ToString());
  REQUIRE(c.engine);
  CHECK(c.diagnostics.warnings.empty());
  CHECK(Matches(*c.engine, SampleMention(), SampleLabels()) ==
        std::vector<std::string>{"unhappy_threat", "tagged_later"});
}

TEST_CASE("Later files replace, append to and disable earlier definitions", "[rules]") {
  RuleSetSource source;
  RuleDiagnostics diagnostics;
  LoadRulesText(R"(
- list: own_accounts
  items: [voltwave]
- rule: negative
  condition: sentiment.label == negative
  actions: [flag]
- rule: praise
  condition: sentiment.label == positive
  actions: [tag: praise]
)",
                "base.yaml", &source, &diagnostics);
  LoadRulesText(R"(
- list: own_accounts
  items: [anna_k]
  append: true
- rule: negative
  condition: not author.handle in own_accounts
  append: true
- rule: praise
  enabled: false
)",
                "local.yaml", &source, &diagnostics);
  REQUIRE(diagnostics.ok());
  auto engine = RuleEngine::Compile(source, &diagnostics);
  REQUIRE(engine);
  CHECK(engine->rules().size() == 1);
  CHECK(Matches(*engine, SampleMention(), SampleLabels()).empty());  // anna_k is own now
  Mention other = SampleMention();
  other.author.handle = "bob";
  CHECK(Matches(*engine, other, SampleLabels()).size() == 1);
}

TEST_CASE("Verdict merges actions: strongest case, every alert, rendered output", "[rules]") {
  Compiled c = CompileText(R"(
- rule: churn
  condition: intents contains churn_threat
  priority: high
  output: "{author.handle} may leave ({sentiment.score}, {intents}) on {source}"
  actions:
    - flag
    - alert: {channel: care-chat, group_by: [rule, source], group_wait: 10s}
    - case: {queue: retention, sla: 1h}
- rule: bad_rating
  condition: rating <= 1
  priority: critical
  actions: [case, {alert: reviews-chat}]
)");
  REQUIRE(c.engine);
  Mention m = SampleMention();
  auto labels = SampleLabels();
  RuleInput input{&m, &labels, nullptr, m.created_at, {}};
  RuleVerdict v = c.engine->Evaluate(input);
  REQUIRE(v.matches.size() == 2);
  CHECK(v.flag);
  CHECK(v.FlagReason() == "rule churn");
  CHECK(v.matches[0].output == "anna_k may leave (-0.70, churn_threat, complaint) on reviews");
  REQUIRE(v.alerts.size() == 2);
  CHECK(v.alerts[0].action->channel == "care-chat");
  CHECK(v.alerts[0].action->group_wait_ms == 10'000);
  CHECK(v.alerts[0].action->group_by == std::vector<std::string>{"rule", "source"});
  CHECK(v.alerts[1].action->channel == "reviews-chat");
  REQUIRE(v.case_rule);
  CHECK(v.case_rule->name == "bad_rating");  // critical beats high
  CHECK(v.matches[1].output.starts_with("bad_rating: Third time the router"));
}

TEST_CASE("Errors point at file:line:col with the rule, a code and a caret", "[rules]") {
  CHECK(FirstError("- rule: r\n  condition: sentimnt.score < 0\n") ==
        "rules.yaml:2:14: error E300: rule 'r': unknown field 'sentimnt.score' (did you mean "
        "'sentiment.score'?)\n    condition: sentimnt.score < 0\n               ^");
  CHECK(
      FirstError("- rule: r\n  condition: rating <= 2 and\n") ==
      "rules.yaml:2:29: error E202: rule 'r': expected a field, a macro, 'not' or '(', found "
      "the end of the condition\n    condition: rating <= 2 and\n                              ^");
  CHECK(FirstError("- rule: r\n  condition: text matches '(unclosed'\n")
            .starts_with("rules.yaml:2:27: error E302: rule 'r': bad regular expression: "
                         "missing ): (unclosed"));
  CHECK(FirstError("- rule: r\n  condition: rating contains 2\n")
            .starts_with("rules.yaml:2:21: error E301: rule 'r': operator 'contains' does not "
                         "apply to rating (a number)"));
  CHECK(FirstError("- rule: r\n  condition: text == \"open\n")
            .starts_with("rules.yaml:2:22: error E201"));
  CHECK(FirstError("- rule: r\n  condition: rating = 2\n")
            .starts_with("rules.yaml:2:21: error E200: rule 'r': '=' is not an operator"));
  CHECK(FirstError("- rule: r\n  condition: unhapy\n")
            .starts_with("rules.yaml:2:14: error E303: rule 'r': no macro or field named"));
  CHECK(FirstError("- rule: r\n  condition: lang in languages\n")
            .starts_with("rules.yaml:2:22: error E303: rule 'r': no list named 'languages'"));
  CHECK(FirstError("- rule: r\n  condition: urgency == severe\n")
            .starts_with("rules.yaml:2:25: error E301"));
  CHECK(FirstError("- rule: r\n  condition: author.negative_count(7x) > 2\n")
            .starts_with("rules.yaml:2:36: error E305"));
  CHECK(FirstError("- rule: r\n  condition: author.negative_count > 2\n")
            .starts_with("rules.yaml:2:35: error E202"));
  CHECK(FirstError("- rule: r\n  condtion: rating < 2\n")
            .starts_with("rules.yaml:2:3: error E101: rule 'r': unknown key 'condtion' (did you "
                         "mean 'condition'?)"));
  CHECK(FirstError("- rule: r\n  condition: rating < 2\n  actions: [flg]\n")
            .starts_with("rules.yaml:3:13: error E400: rule 'r': unknown action 'flg' (did you "
                         "mean 'flag'?)"));
  CHECK(FirstError("- rule: r\n  condition: rating < 2\n  output: '{auther.handle} said'\n")
            .starts_with("rules.yaml:3:13: error E401: rule 'r': unknown placeholder"));
  CHECK(FirstError("- rule: r\n  condition: [rating\n").find("error E100") != std::string::npos);
  CHECK(FirstError("- macro: a\n  condition: b\n- macro: b\n  condition: a\n"
                   "- rule: r\n  condition: a\n")
            .find("E304") != std::string::npos);
}

TEST_CASE("Positions inside block scalars land on the right line", "[rules]") {
  std::string e = FirstError(
      "- rule: r\n"
      "  condition: >\n"
      "    sentiment.score < -0.5\n"
      "    and intents contians churn_threat\n");
  CHECK(e.starts_with("rules.yaml:4:17: error E202"));
}

TEST_CASE("Unused macros and lists are warnings, not errors", "[rules]") {
  Compiled c = CompileText(R"(
- list: spare
  items: [a]
- macro: idle
  condition: rating < 2
- rule: r
  condition: rating < 3
)");
  REQUIRE(c.engine);
  REQUIRE(c.diagnostics.warnings.size() == 2);
  CHECK(c.diagnostics.warnings[0].ToString() ==
        "rules.yaml:4:3: warning W500: macro 'idle': defined but no rule or macro uses it");
  CHECK(c.diagnostics.warnings[1].ToString().starts_with("rules.yaml:2:3: warning W501"));
}

}  // namespace
}  // namespace earshot
