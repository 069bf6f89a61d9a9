// Customers: who an author is across platforms, their cases, and linking their accounts.
#include "daemon/web/api_json.h"
#include "daemon/web/web_context.h"

namespace earshot::web {
namespace {

void WriteCustomerWithCases(WebContext& ctx, httplib::Response& res, const Customer& c) {
  CaseQuery query;
  query.customer_key = "customer:" + std::to_string(c.id);
  query.states = {"new", "assigned", "contacted", "resolved", "no_response", "declined"};
  auto cases = ctx.store.ListCases(query);
  if (!cases.ok()) return SendStoreError(res, cases.status());
  JsonWriter w;
  w.BeginObject()
      .Key("customer")
      .BeginObject()
      .Field("id", c.id)
      .Field("crm_id", c.crm_id)
      .Field("name", c.name)
      .Field("phone", c.phone)
      .Field("email", c.email)
      .Key("identities")
      .BeginArray();
  for (const auto& i : c.identities)
    w.String(i);
  w.EndArray().EndObject().Key("cases").BeginArray();
  const UnixMillis now = NowMillis();
  for (const auto& k : *cases)
    WriteCaseSummary(w, k, now);
  w.EndArray().EndObject();
  SendJson(res, w.Finish());
}

// GET /api/customers/{identity | #id | crm id}
void GetCustomer(WebContext& ctx, const httplib::Request& req, httplib::Response& res) {
  const std::string key =
      req.matches.size() > 1 ? httplib::detail::decode_url(req.matches[1].str(), false) : "";
  if (key.empty() || key.size() > 256) return SendJsonError(res, 400, "name a customer");
  auto found = ctx.store.FindCustomer(key);
  if (!found.ok()) return SendStoreError(res, found.status());
  if (!*found) return SendJsonError(res, 404, "no customer " + key);
  WriteCustomerWithCases(ctx, res, **found);
}

// POST /api/customers/link {"identities": ["reddit:anna", "x:anna_k"]}
void LinkCustomer(WebContext& ctx, const httplib::Request& req, httplib::Response& res) {
  JsonBody body;
  if (!body.Parse(req, res)) return;
  std::vector<std::string> identities;
  if (!body.StringList(res, "identities", 50, 256, &identities)) return;
  auto id = ctx.store.LinkIdentities(identities);
  if (id.status().code() == Status::Code::kInvalidArgument)
    return SendJsonError(res, 400, id.status().message());
  if (!id.ok()) return SendStoreError(res, id.status());
  auto found = ctx.store.FindCustomer("#" + std::to_string(*id));
  if (!found.ok() || !*found) return SendStoreError(res, found.status());
  WriteCustomerWithCases(ctx, res, **found);
}

}  // namespace

void AddCustomerRoutes(httplib::Server& server, WebContext& ctx) {
  server.Get(R"(/api/customers/([^/]+))",
             Guarded(ctx, Permission::kRead,
                     [&ctx](const httplib::Request& req, httplib::Response& res, const Caller&) {
                       GetCustomer(ctx, req, res);
                     }));
  server.Post("/api/customers/link",
              Guarded(ctx, Permission::kCaseWork,
                      [&ctx](const httplib::Request& req, httplib::Response& res, const Caller&) {
                        LinkCustomer(ctx, req, res);
                      }));
}

}  // namespace earshot::web
