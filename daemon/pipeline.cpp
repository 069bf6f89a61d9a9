#include "daemon/pipeline.h"

#include <chrono>

#include "store/author_key.h"

namespace earshot {
namespace {

double SecondsSince(const std::chrono::steady_clock::time_point* start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - *start).count();
}

}  // namespace

std::string AlertGroupKey(const AlertAction& action, const CompiledRule& rule,
                          const AnnotatedMention& annotated) {
  const Mention& m = annotated.mention;
  std::string key;
  for (const auto& by : action.group_by) {
    std::string value;
    if (by == "rule")
      value = rule.name;
    else if (by == "source")
      value = m.source;
    else if (by == "platform")
      value = m.platform;
    else if (by == "author")
      value = CustomerKey(m);
    else if (by == "priority")
      value = PriorityName(rule.priority);
    else if (by == "topic") {
      for (const auto& l : annotated.labels)
        if (l.kind == "topic") value += (value.empty() ? "" : ",") + l.name;
    }
    key += (key.empty() ? "" : "|") + by + "=" + value;
  }
  return action.channel + "|" + key;
}

std::optional<AnnotatedMention> Pipeline::Process(Mention mention, const AuthorActivity* history,
                                                  UnixMillis now) const {
  AnnotatedMention out;
  out.mention = std::move(mention);
  auto start = std::chrono::steady_clock::now();
  for (const auto& classifier : classifiers_)
    classifier->Classify(out.mention, &out.labels);
  if (classify_seconds_) classify_seconds_->Observe(SecondsSince(&start));
  FlagDecision decision = policy_.Decide(out.labels);
  out.flagged = decision.flagged;
  out.flag_reason = std::move(decision.reason);
  if (!rules_) return out;

  AuthorHistory author_history;
  if (history) {
    author_history.mentions_at = history->mentions_at;  // views, not copies
    author_history.negative_at = history->negative_at;
  }
  RuleInput input{&out.mention, &out.labels, &author_history, now, {}};
  if (rules_seconds_) start = std::chrono::steady_clock::now();
  RuleVerdict verdict = rules_->Evaluate(input);
  if (rules_seconds_) rules_seconds_->Observe(SecondsSince(&start));
  if (verdict.drop) return std::nullopt;
  if (verdict.flag) {
    std::string reason = verdict.FlagReason();
    out.flag_reason += (out.flag_reason.empty() ? "" : ", ") + reason;
    out.flagged = true;
  }
  for (const auto& match : verdict.matches) {
    Evidence why;
    why.source = "rule:" + match.rule->name;
    out.labels.push_back({"rule",
                          match.rule->name,
                          static_cast<double>(static_cast<int>(match.rule->priority)),
                          {std::move(why)}});
  }
  for (const auto& tag : verdict.tags)
    out.labels.push_back({"tag", tag, 1.0, {}});
  for (const auto& alert : verdict.alerts) {
    AlertRequest request;
    request.channel = alert.action->channel;
    request.rule = alert.rule->name;
    request.priority = PriorityName(alert.rule->priority);
    request.summary = alert.output;
    request.group_key = AlertGroupKey(*alert.action, *alert.rule, out);
    request.group_wait_ms = alert.action->group_wait_ms;
    request.group_interval_ms = alert.action->group_interval_ms;
    request.repeat_interval_ms = alert.action->repeat_interval_ms;
    request.digest_ms = alert.action->digest_ms;
    out.alerts.push_back(std::move(request));
  }
  if (verdict.case_rule) {
    const CompiledRule& rule = *verdict.case_rule;
    const CaseAction& action = *rule.actions.open_case;
    Priority priority = action.priority.value_or(rule.priority);
    CaseRequest request;
    request.rule = rule.name;
    request.queue = action.queue;
    request.priority = static_cast<int>(priority);
    request.sla_ms = action.sla_ms > 0 ? action.sla_ms : DefaultSlaMillis(priority);
    request.reason = verdict.case_output;
    request.skills = action.skills;
    out.open_case = std::move(request);
  }
  return out;
}

}  // namespace earshot
