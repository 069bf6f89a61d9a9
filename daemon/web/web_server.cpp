#include "daemon/web/web_server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

#include "connectors/webhook/webhook_connector.h"
#include "daemon/config/config.h"
#include "daemon/web/ingest_routes.h"
#include "daemon/web/ops_routes.h"
#include "daemon/web/web_context.h"

namespace earshot {
namespace {

bool IsLoopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

WebOptions WebOptionsFromConfig(const Config& config) {
  WebOptions options;
  for (const auto& t : config.server.tokens)
    options.users.push_back({t.name, t.role, t.token_sha256});
  options.allowed_hosts = config.server.allowed_hosts;
  options.session_ttl_ms = config.server.session_ttl_ms;
  options.metrics_public = config.server.metrics_public;
  options.secure_cookies = config.server.secure_cookies;
  return options;
}

WebServer::WebServer(Store& store, WebOptions options)
    : context_(std::make_unique<web::WebContext>(store, std::move(options))),
      server_(std::make_unique<httplib::Server>()) {}

WebServer::~WebServer() {
  Stop();
}

void WebServer::Routes() {
  web::WebContext& ctx = *context_;
  // Pushed bodies (POST /ingest/<source>) may be as large as a webhook source allows; they are
  // read by their handler, which holds each to its source's max_body_bytes. Every other body is
  // held to options.max_body_bytes before routing.
  const size_t payload_limit =
      ctx.options.push_source
          ? std::max(ctx.options.max_body_bytes, static_cast<size_t>(kWebhookMaxBodyBytesCap))
          : ctx.options.max_body_bytes;
  server_->set_payload_max_length(payload_limit);
  // Answers go out as soon as they are written: without this, Nagle's algorithm holds a
  // response's second segment for the client's delayed ACK, some 40 ms a request on Linux.
  server_->set_tcp_nodelay(true);
  // Before any route: requests for a name we do not serve (DNS rebinding) are refused.
  server_->set_pre_routing_handler([&ctx](const httplib::Request& req, httplib::Response& res) {
    // Probes ask by address, whatever the Host header says; they reveal nothing.
    if (req.path == "/healthz" || req.path == "/readyz") {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    const std::string host = web::RequestHost(req);
    if (host.empty()) {
      web::SendJsonError(res, 400, "the request needs a Host header");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!web::HostAllowed(ctx, host)) {
      web::SendJsonError(res, 421, "this server does not answer for host '" + host + "'");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!web::IsIngestPath(req.path) && req.has_header("Content-Length")) {
      const std::string length = req.get_header_value("Content-Length");
      size_t n = 0;
      auto [ptr, ec] = std::from_chars(length.data(), length.data() + length.size(), n);
      const bool valid = ec == std::errc() && ptr == length.data() + length.size();
      if (!valid || n > ctx.options.max_body_bytes) {
        // The body is left unread: the connection is not reused.
        res.set_header("Connection", "close");
        web::SecurityHeaders(res);
        web::SendJsonError(res, valid ? 413 : 400,
                           valid ? "the request body is too large" : "bad Content-Length");
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server_->set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        web::SecurityHeaders(res);
        std::string message = res.status == 404   ? "no such resource: " + req.path
                              : res.status == 413 ? "the request body is too large"
                              : res.status == 405 ? "method not allowed"
                                                  : "the request failed";
        web::SendJsonError(res, res.status, message);
        return httplib::Server::HandlerResponse::Handled;
      }));
  server_->set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown error";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        spdlog::error("web: {} {} failed: {}", req.method, req.path, what);
        web::SendJsonError(res, 500, "internal error");
      });
  web::AddPageRoutes(*server_, ctx);
  web::AddAuthRoutes(*server_, ctx);
  web::AddMentionRoutes(*server_, ctx);
  web::AddCaseRoutes(*server_, ctx);
  web::AddCustomerRoutes(*server_, ctx);
  web::AddStatsRoutes(*server_, ctx);
  web::AddOpsRoutes(*server_, ctx);
  web::AddIngestRoutes(*server_, ctx);
}

Status WebServer::Start(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return Status::InvalidArgument("listen must be host:port");
  std::string host = listen.substr(0, colon);
  int port = 0;
  auto port_text = listen.substr(colon + 1);
  auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || ptr != port_text.data() + port_text.size() || port < 0 || port > 65535) {
    return Status::InvalidArgument("bad port in '" + listen + "'");
  }
  web::WebContext& ctx = *context_;
  if (ctx.open_mode()) {
    spdlog::warn(
        "web: no server.tokens configured: the page and API are open to anyone on this machine, "
        "as admin; configure tokens before sharing it");
    if (!IsLoopback(host)) {
      spdlog::warn("web: without tokens the server binds loopback only: 127.0.0.1, not {}", host);
      host = "127.0.0.1";
    }
  }
  if (ctx.options.allowed_hosts.empty()) {
    ctx.options.allowed_hosts = {Lower(host), "localhost", "127.0.0.1", "[::1]"};
    if (!IsLoopback(host)) {
      spdlog::warn(
          "web: server.allowed_hosts is not set: only requests for {} or loopback names "
          "are answered",
          host);
    }
  } else {
    for (auto& h : ctx.options.allowed_hosts)
      h = Lower(h);
  }
  Routes();
  std::string bind_host = host;
  if (bind_host.size() > 2 && bind_host.front() == '[') {
    bind_host = bind_host.substr(1, bind_host.size() - 2);
  }
  if (port == 0) {
    port_ = server_->bind_to_any_port(bind_host);
  } else {
    port_ = server_->bind_to_port(bind_host, port) ? port : -1;
  }
  if (port_ <= 0) return Status::IoError("cannot listen on " + listen + " (address in use?)");
  host_ = bind_host;
  // The port bound, which `listen` may have left to the system (port 0).
  spdlog::info("web: listening on {}:{}", host, port_);
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return Status::Ok();
}

void WebServer::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace earshot
