#include "daemon/web/ops_routes.h"

#include "daemon/web/web_context.h"

namespace earshot::web {
namespace {

constexpr const char* kExpositionType = "text/plain; version=0.0.4; charset=utf-8";

void Metrics(WebContext& ctx, httplib::Response& res) {
  res.set_content(ctx.options.metrics(), kExpositionType);
}

}  // namespace

void AddOpsRoutes(httplib::Server& server, WebContext& ctx) {
  server.Get("/readyz", [&ctx](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    const bool ready = ctx.options.ready && ctx.options.ready();
    res.status = ready ? 200 : 503;
    res.set_content(ready ? "ready\n" : "not ready\n", "text/plain; charset=utf-8");
  });
  if (!ctx.options.metrics) return;
  if (ctx.open_mode() || ctx.options.metrics_public) {
    server.Get("/metrics", [&ctx](const httplib::Request&, httplib::Response& res) {
      SecurityHeaders(res);
      Metrics(ctx, res);
    });
    return;
  }
  server.Get("/metrics", Guarded(ctx, Permission::kRead,
                                 [&ctx](const httplib::Request&, httplib::Response& res,
                                        const Caller&) { Metrics(ctx, res); }));
}

}  // namespace earshot::web
