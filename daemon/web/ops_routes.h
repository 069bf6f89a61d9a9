// For operators and their tools: GET /readyz (is the daemon serving: store open, sources
// scheduled) and GET /metrics (Prometheus text format). See WebOptions.
#pragma once

#include <httplib.h>

namespace earshot::web {

struct WebContext;

void AddOpsRoutes(httplib::Server& server, WebContext& ctx);

}  // namespace earshot::web
