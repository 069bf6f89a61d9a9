// Logging in and out, and who the page is talking as.
#include <spdlog/spdlog.h>

#include "daemon/web/json_writer.h"
#include "daemon/web/web_context.h"

namespace earshot::web {
namespace {

// Secure only when asked: the daemon itself speaks plain HTTP on loopback, where a Secure cookie
// would never be sent back.
std::string CookieAttributes(const WebContext& ctx) {
  return std::string("; Path=/; HttpOnly; SameSite=Strict") +
         (ctx.options.secure_cookies ? "; Secure" : "");
}

bool WantsHtml(const httplib::Request& req) {
  const std::string accept = req.get_header_value("Accept");
  return accept.find("text/html") != std::string::npos &&
         accept.find("application/json") == std::string::npos;
}

std::string SessionJson(const Caller& caller, const char* auth) {
  JsonWriter w;
  w.BeginObject()
      .Field("name", caller.who.name)
      .Field("role", RoleName(caller.who.role))
      .Field("auth", auth)
      .Key("csrf_token");
  if (caller.ambient) {
    w.String(caller.csrf);
  } else {
    w.Null();
  }
  w.Key("can").BeginObject();
  w.Field("review", Allows(caller.who.role, Permission::kReview));
  w.Field("work_cases", Allows(caller.who.role, Permission::kCaseWork));
  w.EndObject().EndObject();
  return w.Finish();
}

void Login(WebContext& ctx, const httplib::Request& req, httplib::Response& res) {
  SecurityHeaders(res);
  const UnixMillis now = NowMillis();
  if (ctx.open_mode()) {
    // The open demo needs no login; answer as the demo user so the page can go on.
    return SendJson(res,
                    SessionJson({{kOpenModeUser, Role::kAdmin}, true, ctx.open_csrf, ""}, "open"));
  }
  const std::string origin = req.get_header_value("Origin");
  if (!origin.empty() && !HostAllowed(ctx, OriginHost(origin))) {
    return SendJsonError(res, 403, "cross-origin login refused");
  }
  if (int64_t wait = ctx.limiter.BlockedFor(req.remote_addr, now)) {
    res.set_header("Retry-After", std::to_string((wait + 999) / 1000));
    return SendJsonError(res, 429, "too many failed logins; try again later");
  }
  auto who = ctx.tokens.Find(req.get_param_value("token"));
  if (!who) {
    ctx.limiter.Failed(req.remote_addr, now);
    spdlog::warn("web: failed login from {}", req.remote_addr);
    if (WantsHtml(req)) {
      res.status = 303;
      res.set_header("Location", "/#login-failed");
      return;
    }
    return SendJsonError(res, 401, "that token is not valid");
  }
  const std::string id = ctx.sessions.Create(*who, now);
  auto session = ctx.sessions.Find(id, now);
  if (!session) return SendJsonError(res, 500, "the session could not be kept");
  res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + id + CookieAttributes(ctx) +
                                   "; Max-Age=" + std::to_string(ctx.sessions.ttl_ms() / 1000));
  spdlog::info("web: {} ({}) logged in from {}", who->name, RoleName(who->role), req.remote_addr);
  if (WantsHtml(req)) {
    res.status = 303;
    res.set_header("Location", "/");
    return;
  }
  SendJson(res, SessionJson({session->who, true, session->csrf, id}, "cookie"));
}

}  // namespace

void AddAuthRoutes(httplib::Server& server, WebContext& ctx) {
  server.Post("/login", [&ctx](const httplib::Request& req, httplib::Response& res) {
    Login(ctx, req, res);
  });
  server.Post(
      "/logout",
      Guarded(ctx, Permission::kRead,
              [&ctx](const httplib::Request&, httplib::Response& res, const Caller& caller) {
                if (!caller.session_id.empty()) {
                  ctx.sessions.Remove(caller.session_id);
                }
                res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" +
                                                 CookieAttributes(ctx) + "; Max-Age=0");
                SendJson(res, "{\"ok\":true}");
              }));
  server.Get(
      "/api/session",
      Guarded(ctx, Permission::kRead,
              [&ctx](const httplib::Request&, httplib::Response& res, const Caller& caller) {
                const char* auth = ctx.open_mode() ? "open" : caller.ambient ? "cookie" : "bearer";
                SendJson(res, SessionJson(caller, auth));
              }));
}

}  // namespace earshot::web
