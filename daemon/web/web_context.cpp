#include "daemon/web/web_context.h"

#include <charconv>

#include "daemon/web/json_writer.h"

namespace earshot::web {
namespace {

constexpr const char* kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

bool Changes(const httplib::Request& req) {
  return req.method != "GET" && req.method != "HEAD" && req.method != "OPTIONS";
}

std::string CookieValue(const httplib::Request& req, std::string_view name) {
  const std::string header = req.get_header_value("Cookie");
  std::string_view rest = header;
  while (!rest.empty()) {
    size_t end = rest.find(';');
    std::string_view part = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    while (!part.empty() && part.front() == ' ')
      part.remove_prefix(1);
    size_t eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) {
      return std::string(part.substr(eq + 1));
    }
  }
  return "";
}

}  // namespace

WebContext::WebContext(Store& s, WebOptions o)
    : store(s),
      options(std::move(o)),
      tokens([&] {
        std::vector<TokenEntry> entries;
        for (const auto& u : options.users) {
          entries.push_back({u.name, RoleFromName(u.role).value_or(Role::kViewer), u.token_sha256});
        }
        return entries;
      }()),
      sessions(options.session_ttl_ms),
      limiter(options.login_failures_per_minute, 60'000),
      open_csrf(RandomHex(32)) {}

void SecurityHeaders(httplib::Response& res) {
  res.set_header("Content-Security-Policy", kCsp);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Cache-Control", "no-store");
}

void SendJson(httplib::Response& res, const std::string& json, int status) {
  res.status = status;
  res.set_content(json, "application/json; charset=utf-8");
}

void SendJsonError(httplib::Response& res, int status, const std::string& message) {
  JsonWriter w;
  w.BeginObject().Field("error", message).EndObject();
  SendJson(res, w.Finish(), status);
}

void SendStoreError(httplib::Response& res, const Status& status) {
  switch (status.code()) {
    case Status::Code::kInvalidArgument:
      return SendJsonError(res, 400, status.message());
    case Status::Code::kNotFound:
      return SendJsonError(res, 404, status.message());
    default:
      return SendJsonError(res, 500, "the store failed: " + status.message());
  }
}

bool IntParam(const httplib::Request& req, httplib::Response& res, const char* name, int64_t min,
              int64_t max, int64_t* out) {
  if (!req.has_param(name)) return true;
  const std::string v = req.get_param_value(name);
  int64_t parsed = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), parsed);
  if (ec != std::errc() || ptr != v.data() + v.size() || parsed < min || parsed > max) {
    SendJsonError(res, 400,
                  std::string(name) + " must be a whole number from " + std::to_string(min) +
                      " to " + std::to_string(max));
    return false;
  }
  *out = parsed;
  return true;
}

bool BoolParam(const httplib::Request& req, httplib::Response& res, const char* name, bool* out) {
  if (!req.has_param(name)) return true;
  const std::string v = req.get_param_value(name);
  if (v == "true" || v == "1") {
    *out = true;
  } else if (v == "false" || v == "0") {
    *out = false;
  } else {
    SendJsonError(res, 400, std::string(name) + " must be true or false");
    return false;
  }
  return true;
}

bool PathId(const httplib::Request& req, httplib::Response& res, int64_t* id) {
  const std::string v = req.matches.size() > 1 ? req.matches[1].str() : "";
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), *id);
  if (ec != std::errc() || ptr != v.data() + v.size() || *id <= 0) {
    SendJsonError(res, 400, "the id must be a positive whole number, not '" + v + "'");
    return false;
  }
  return true;
}

bool JsonBody::Parse(const httplib::Request& req, httplib::Response& res) {
  if (req.body.empty()) {
    doc_.SetObject();
    return true;
  }
  doc_.Parse(req.body.c_str(), req.body.size());
  if (doc_.HasParseError() || !doc_.IsObject()) {
    SendJsonError(res, 400, "the body must be a JSON object");
    return false;
  }
  return true;
}

bool JsonBody::String(httplib::Response& res, const char* name, size_t max_bytes, std::string* out,
                      bool required) const {
  auto it = doc_.FindMember(name);
  if (it == doc_.MemberEnd() || it->value.IsNull()) {
    if (!required) return true;
    SendJsonError(res, 400, std::string("the body needs \"") + name + "\"");
    return false;
  }
  if (!it->value.IsString() || it->value.GetStringLength() > max_bytes) {
    SendJsonError(res, 400,
                  std::string("\"") + name + "\" must be a string of at most " +
                      std::to_string(max_bytes) + " bytes");
    return false;
  }
  out->assign(it->value.GetString(), it->value.GetStringLength());
  if (required && out->empty()) {
    SendJsonError(res, 400, std::string("\"") + name + "\" must not be empty");
    return false;
  }
  return true;
}

bool JsonBody::StringList(httplib::Response& res, const char* name, size_t max_items,
                          size_t max_bytes, std::vector<std::string>* out) const {
  auto it = doc_.FindMember(name);
  const std::string what = std::string("\"") + name + "\" must be a list of 1 to " +
                           std::to_string(max_items) + " strings of at most " +
                           std::to_string(max_bytes) + " bytes";
  if (it == doc_.MemberEnd() || !it->value.IsArray() || it->value.Empty() ||
      it->value.Size() > max_items) {
    SendJsonError(res, 400, what);
    return false;
  }
  for (const auto& v : it->value.GetArray()) {
    if (!v.IsString() || v.GetStringLength() == 0 || v.GetStringLength() > max_bytes) {
      SendJsonError(res, 400, what);
      return false;
    }
    out->emplace_back(v.GetString(), v.GetStringLength());
  }
  return true;
}

std::string OriginHost(const std::string& origin) {
  size_t scheme = origin.find("://");
  if (scheme == std::string::npos) return "";
  httplib::Request fake;
  fake.headers.emplace("Host", origin.substr(scheme + 3));
  return RequestHost(fake);
}

std::string RequestHost(const httplib::Request& req) {
  std::string host = req.get_header_value("Host");
  if (!host.empty() && host.front() == '[') {
    size_t close = host.find(']');
    host = close == std::string::npos ? "" : host.substr(0, close + 1);
  } else if (size_t colon = host.rfind(':'); colon != std::string::npos) {
    host = host.substr(0, colon);
  }
  for (auto& c : host)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return host;
}

bool HostAllowed(const WebContext& ctx, const std::string& host) {
  if (host.empty()) return false;
  for (const auto& allowed : ctx.options.allowed_hosts)
    if (host == allowed) return true;
  return false;
}

std::optional<Caller> Authenticate(WebContext& ctx, const httplib::Request& req,
                                   httplib::Response& res) {
  const UnixMillis now = NowMillis();
  const std::string authorization = req.get_header_value("Authorization");
  if (!authorization.empty() && !ctx.open_mode()) {
    if (int64_t wait = ctx.limiter.BlockedFor(req.remote_addr, now)) {
      res.set_header("Retry-After", std::to_string((wait + 999) / 1000));
      SendJsonError(res, 429, "too many failed attempts; try again later");
      return std::nullopt;
    }
    constexpr std::string_view kBearer = "Bearer ";
    std::optional<Principal> who;
    if (authorization.size() > kBearer.size() &&
        std::string_view(authorization).substr(0, kBearer.size()) == kBearer) {
      who = ctx.tokens.Find(std::string_view(authorization).substr(kBearer.size()));
    }
    if (!who) {
      ctx.limiter.Failed(req.remote_addr, now);
      res.set_header("WWW-Authenticate", "Bearer");
      SendJsonError(res, 401, "the bearer token is not valid");
      return std::nullopt;
    }
    return Caller{std::move(*who), false, "", ""};
  }
  if (ctx.open_mode()) {
    return Caller{{kOpenModeUser, Role::kAdmin}, true, ctx.open_csrf, ""};
  }
  const std::string cookie = CookieValue(req, kSessionCookie);
  if (!cookie.empty()) {
    if (auto session = ctx.sessions.Find(cookie, now)) {
      return Caller{std::move(session->who), true, std::move(session->csrf), cookie};
    }
  }
  res.set_header("WWW-Authenticate", "Bearer");
  SendJsonError(res, 401, "log in, or send Authorization: Bearer <token>");
  return std::nullopt;
}

bool CheckCsrf(WebContext& ctx, const httplib::Request& req, httplib::Response& res,
               const Caller& caller) {
  if (!caller.ambient || !Changes(req)) return true;
  const std::string origin = req.get_header_value("Origin");
  if (!origin.empty() && !HostAllowed(ctx, OriginHost(origin))) {
    SendJsonError(res, 403, "cross-origin request refused");
    return false;
  }
  if (!ConstantTimeEquals(req.get_header_value("X-CSRF-Token"), caller.csrf)) {
    SendJsonError(res, 403, "missing or wrong X-CSRF-Token header (see GET /api/session)");
    return false;
  }
  return true;
}

httplib::Server::Handler Guarded(WebContext& ctx, Permission permission, ApiHandler handler) {
  return [&ctx, permission, handler = std::move(handler)](const httplib::Request& req,
                                                          httplib::Response& res) {
    SecurityHeaders(res);
    auto caller = Authenticate(ctx, req, res);
    if (!caller) return;
    if (!Allows(caller->who.role, permission)) {
      return SendJsonError(res, 403,
                           std::string("the ") + RoleName(caller->who.role) + " role may not " +
                               PermissionName(permission));
    }
    if (!CheckCsrf(ctx, req, res, *caller)) return;
    handler(req, res, *caller);
  };
}

}  // namespace earshot::web
