// What the web server's handlers share: the store, the options, who may do what, and the
// helpers every handler uses to answer. Internal to daemon/web.
#pragma once

#include <httplib.h>
#include <rapidjson/document.h>

#include <functional>
#include <optional>
#include <string>

#include "daemon/web/auth.h"
#include "daemon/web/web_server.h"
#include "store/store.h"

namespace earshot::web {

inline constexpr const char* kSessionCookie = "earshot_session";
inline constexpr const char* kOpenModeUser = "demo";

struct Caller {
  Principal who;
  bool ambient = false;  // by cookie or the open demo: changes need the CSRF token
  std::string csrf;
  std::string session_id;  // empty unless by cookie
};

struct WebContext {
  WebContext(Store& s, WebOptions o);
  bool open_mode() const { return tokens.empty(); }

  Store& store;
  WebOptions options;
  TokenTable tokens;
  SessionTable sessions;
  LoginLimiter limiter;
  std::string open_csrf;  // the open demo's one CSRF token
};

using ApiHandler =
    std::function<void(const httplib::Request&, httplib::Response&, const Caller& caller)>;

// A handler that first authenticates the request, checks the caller's role for `permission`
// and, for a change made by cookie, the CSRF token; it answers 401, 403 or 429 itself.
httplib::Server::Handler Guarded(WebContext& ctx, Permission permission, ApiHandler handler);
// Who sent the request, if anyone; sets the error response (401/429) when it returns nothing.
std::optional<Caller> Authenticate(WebContext& ctx, const httplib::Request& req,
                                   httplib::Response& res);
// For changes made by cookie: the X-CSRF-Token header and, when sent, the Origin. Sets 403.
bool CheckCsrf(WebContext& ctx, const httplib::Request& req, httplib::Response& res,
               const Caller& caller);
// The Host header's name without the port, lowercased; empty when absent.
std::string RequestHost(const httplib::Request& req);
// The host of an Origin header ("http://host:port"), lowercased; empty when it has none.
std::string OriginHost(const std::string& origin);
bool HostAllowed(const WebContext& ctx, const std::string& host);

// Answers.
void SecurityHeaders(httplib::Response& res);
void SendJson(httplib::Response& res, const std::string& json, int status = 200);
void SendJsonError(httplib::Response& res, int status, const std::string& message);
// Maps a store failure: InvalidArgument 400, NotFound 404, anything else 500.
void SendStoreError(httplib::Response& res, const Status& status);

// Parameters. Each returns false, having answered 400, when the value is malformed.
bool IntParam(const httplib::Request& req, httplib::Response& res, const char* name, int64_t min,
              int64_t max, int64_t* out);
bool BoolParam(const httplib::Request& req, httplib::Response& res, const char* name, bool* out);
bool PathId(const httplib::Request& req, httplib::Response& res, int64_t* id);

// A JSON object body (empty is {}); false, having answered 400, when it is not one.
class JsonBody {
 public:
  bool Parse(const httplib::Request& req, httplib::Response& res);
  // A string member of at most max_bytes; false (400 sent) when present and not such a string.
  bool String(httplib::Response& res, const char* name, size_t max_bytes, std::string* out,
              bool required = false) const;
  // A required array of 1..max_items strings of at most max_bytes each.
  bool StringList(httplib::Response& res, const char* name, size_t max_items, size_t max_bytes,
                  std::vector<std::string>* out) const;

 private:
  rapidjson::Document doc_;
};

void AddAuthRoutes(httplib::Server& server, WebContext& ctx);
void AddMentionRoutes(httplib::Server& server, WebContext& ctx);
void AddCaseRoutes(httplib::Server& server, WebContext& ctx);
void AddCustomerRoutes(httplib::Server& server, WebContext& ctx);
void AddStatsRoutes(httplib::Server& server, WebContext& ctx);
void AddPageRoutes(httplib::Server& server, WebContext& ctx);

}  // namespace earshot::web
