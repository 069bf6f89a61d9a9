// Outreach cases: the board's lists, one case in full, and what callers do to a case.
#include <algorithm>
#include <set>
#include <sstream>

#include "daemon/outreach/opening_lines.h"
#include "daemon/web/api_json.h"
#include "daemon/web/web_context.h"

namespace earshot::web {
namespace {

const std::set<std::string> kOpenStates = {"new", "assigned", "contacted"};
const std::set<std::string> kClosedStates = {"resolved", "no_response", "declined"};

// state= is "open" (the default), "closed", "all" or a comma list of states.
bool StatesParam(const httplib::Request& req, httplib::Response& res,
                 std::vector<std::string>* out) {
  const std::string v = req.get_param_value("state");
  if (v.empty() || v == "open") return true;
  if (v == "closed" || v == "all") {
    if (v == "all") out->insert(out->end(), kOpenStates.begin(), kOpenStates.end());
    out->insert(out->end(), kClosedStates.begin(), kClosedStates.end());
    return true;
  }
  std::stringstream parts(v);
  for (std::string s; std::getline(parts, s, ',');) {
    if (!kOpenStates.count(s) && !kClosedStates.count(s)) {
      SendJsonError(res, 400,
                    "state must be open, closed, all or a comma list of new, assigned, contacted, "
                    "resolved, no_response, declined; not '" +
                        s + "'");
      return false;
    }
    out->push_back(s);
  }
  return true;
}

void ListCases(WebContext& ctx, const httplib::Request& req, httplib::Response& res,
               const Caller& caller) {
  CaseQuery q;
  int64_t limit = 200;
  if (!IntParam(req, res, "limit", 1, 1000, &limit)) return;
  if (!StatesParam(req, res, &q.states)) return;
  q.limit = static_cast<size_t>(limit);
  q.queue = req.get_param_value("queue");
  q.assignee = req.get_param_value("assignee");
  if (q.assignee == "me") q.assignee = caller.who.name;
  if (q.queue.size() > 100 || q.assignee.size() > 100) {
    return SendJsonError(res, 400, "queue and assignee take names of at most 100 bytes");
  }
  auto cases = ctx.store.ListCases(q);
  if (!cases.ok()) return SendStoreError(res, cases.status());
  const UnixMillis now = NowMillis();
  JsonWriter w;
  w.BeginObject().Key("cases").BeginArray();
  for (const auto& c : *cases)
    WriteCaseSummary(w, c, now);
  w.EndArray().EndObject();
  SendJson(res, w.Finish());
}

void SendCase(WebContext& ctx, httplib::Response& res, int64_t id, int status = 200) {
  auto found = ctx.store.GetCase(id);
  if (!found.ok()) return SendStoreError(res, found.status());
  if (!*found) return SendJsonError(res, 404, "no case " + std::to_string(id));
  const CaseDetail& detail = **found;
  JsonWriter w;
  // What the caller might open with: the topics the customer raised, in their language.
  std::vector<std::string> topics;
  for (const auto& m : detail.mentions)
    for (const auto& l : m.annotated.labels)
      if (l.kind == "topic" && std::find(topics.begin(), topics.end(), l.name) == topics.end())
        topics.push_back(l.name);
  const std::string name = detail.summary.customer ? detail.summary.customer->name : "";
  w.BeginObject().Key("case");
  WriteCaseSummary(w, detail.summary, NowMillis());
  w.Field("suggested_opening", SuggestedOpening(detail.summary.lang, topics, name));
  w.Key("mentions").BeginArray();
  for (const auto& m : detail.mentions)
    WriteMentionRow(w, m);
  w.EndArray().Key("events").BeginArray();
  for (const auto& e : detail.events)
    WriteCaseEvent(w, e);
  w.EndArray().EndObject();
  SendJson(res, w.Finish(), status);
}

void GetCase(WebContext& ctx, const httplib::Request& req, httplib::Response& res) {
  int64_t id = 0;
  if (!PathId(req, res, &id)) return;
  SendCase(ctx, res, id);
}

// claim assign contacted resolve note, onto Store::UpdateCase.
void CaseAction(WebContext& ctx, const std::string& verb, const httplib::Request& req,
                httplib::Response& res, const Caller& caller) {
  int64_t id = 0;
  if (!PathId(req, res, &id)) return;
  JsonBody body;
  if (!body.Parse(req, res)) return;
  CaseUpdate u;
  u.id = id;
  u.actor = caller.who.name;
  u.at = NowMillis();
  if (!body.String(res, "note", 4000, &u.note)) return;
  if (verb == "claim") {
    u.action = "assign";
    u.assignee = caller.who.name;
  } else if (verb == "assign") {
    u.action = "assign";
    if (!body.String(res, "assignee", 64, &u.assignee, true)) return;
    if (!ctx.open_mode() && !ctx.tokens.HasName(u.assignee)) {
      return SendJsonError(res, 400, "no user named '" + u.assignee + "' in server.tokens");
    }
  } else if (verb == "contacted") {
    u.action = "contacted";
  } else if (verb == "resolve") {
    if (!body.String(res, "outcome", 32, &u.outcome, true)) return;
    if (!kClosedStates.count(u.outcome)) {
      return SendJsonError(res, 400, "outcome must be resolved, no_response or declined");
    }
    u.action = u.outcome;
  } else {  // note
    u.action = "note";
    if (u.note.empty()) return SendJsonError(res, 400, "the body needs a non-empty \"note\"");
  }
  Status s = ctx.store.UpdateCase(u);
  if (s.code() == Status::Code::kInvalidArgument) {
    // The request was well-formed: what the store refuses is the move from the case's state.
    return SendJsonError(res, 409, s.message());
  }
  if (!s.ok()) return SendStoreError(res, s);
  SendCase(ctx, res, id);
}

}  // namespace

void AddCaseRoutes(httplib::Server& server, WebContext& ctx) {
  server.Get("/api/cases",
             Guarded(ctx, Permission::kRead,
                     [&ctx](const httplib::Request& req, httplib::Response& res,
                            const Caller& caller) { ListCases(ctx, req, res, caller); }));
  server.Get(R"(/api/cases/([^/]+))",
             Guarded(ctx, Permission::kRead,
                     [&ctx](const httplib::Request& req, httplib::Response& res, const Caller&) {
                       GetCase(ctx, req, res);
                     }));
  for (const std::string verb : {"claim", "assign", "contacted", "resolve", "note"}) {
    server.Post(
        R"(/api/cases/([^/]+)/)" + verb,
        Guarded(ctx, Permission::kCaseWork,
                [&ctx, verb](const httplib::Request& req, httplib::Response& res,
                             const Caller& caller) { CaseAction(ctx, verb, req, res, caller); }));
  }
}

}  // namespace earshot::web
