#include "daemon/web/ingest_routes.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "connectors/webhook/webhook_connector.h"
#include "daemon/notify/webhook_signature.h"
#include "daemon/scheduler.h"
#include "daemon/source_runner.h"
#include "daemon/web/json_writer.h"
#include "daemon/web/web_context.h"

namespace earshot::web {
namespace {

constexpr const char* kSignatureHeader = "X-Earshot-Signature";
constexpr const char* kTimestampHeader = "X-Earshot-Timestamp";
constexpr const char* kHubSignatureHeader = "X-Hub-Signature-256";

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

// An answer given before the body was read: the rest of it is still on the connection, so the
// connection is not reused.
void Refuse(httplib::Response& res, int status, const std::string& message) {
  res.set_header("Connection", "close");
  SendJsonError(res, status, message);
}

// Checks a signed request's signature; an empty string when it holds, else why not.
std::string CheckSignature(const httplib::Request& req, const std::string& secret,
                           const std::string& body) {
  if (req.has_header(kSignatureHeader)) {
    const std::string timestamp = req.get_header_value(kTimestampHeader);
    auto sent_at = ParseInt(timestamp);
    if (!sent_at || *sent_at < 0) {
      return std::string(kSignatureHeader) + " needs " + kTimestampHeader + " (Unix seconds)";
    }
    const int64_t now = NowMillis() / 1000;
    if (std::llabs(now - *sent_at) > kIngestClockSkewSeconds) {
      return std::string(kTimestampHeader) + " is more than " +
             std::to_string(kIngestClockSkewSeconds / 60) +
             " minutes from the server's clock: refused as stale";
    }
    std::string signed_text = timestamp;
    signed_text += '.';
    signed_text += body;
    const std::string expected = "sha256=" + HmacSha256Hex(secret, signed_text);
    if (!ConstantTimeEquals(Lower(req.get_header_value(kSignatureHeader)), expected)) {
      return std::string(kSignatureHeader) + " does not match the body";
    }
    return "";
  }
  const std::string expected = "sha256=" + HmacSha256Hex(secret, body);
  if (!ConstantTimeEquals(Lower(req.get_header_value(kHubSignatureHeader)), expected)) {
    return std::string(kHubSignatureHeader) + " does not match the body";
  }
  return "";
}

void SendBodyError(httplib::Response& res, const WebhookBodyError& e) {
  JsonWriter w;
  w.BeginObject().Field("error", e.message);
  if (e.line > 0) {
    w.Field("line", static_cast<int64_t>(e.line));
    w.Field("column", static_cast<int64_t>(e.column));
  }
  if (e.item >= 0) w.Field("item", e.item);
  if (!e.field.empty()) w.Field("field", e.field);
  w.EndObject();
  SendJson(res, w.Finish(), e.too_many ? 413 : 400);
}

void Ingest(WebContext& ctx, const httplib::Request& req, httplib::Response& res,
            const httplib::ContentReader& content) {
  SecurityHeaders(res);
  const std::string name = req.matches.size() > 1 ? req.matches[1].str() : "";
  std::optional<PushSource> target;
  if (ctx.options.push_source) target = ctx.options.push_source(name);
  if (!target) {
    if (ctx.options.ready && !ctx.options.ready()) {
      res.set_header("Retry-After", "5");
      return Refuse(res, 503, "not ready: try again shortly");
    }
    return Refuse(res, 404, "no webhook source named '" + name + "'");
  }
  const Settings& settings = target->runner->config().spec.settings;
  const int64_t max_body = settings.GetInt("max_body_bytes", kWebhookDefaultMaxBodyBytes);
  const std::string secret = settings.Get("secret");
  const bool allow_unsigned = settings.GetBool("allow_unsigned", false);

  if (req.has_header("Content-Length")) {
    auto length = ParseInt(req.get_header_value("Content-Length"));
    if (!length || *length < 0) return Refuse(res, 400, "bad Content-Length");
    if (*length > max_body) {
      return Refuse(res, 413,
                    "the body is larger than this source's max_body_bytes (" +
                        std::to_string(max_body) + ")");
    }
  }

  const bool signed_request =
      !secret.empty() && (req.has_header(kSignatureHeader) || req.has_header(kHubSignatureHeader));
  if (!signed_request) {
    if (!allow_unsigned) {
      return Refuse(res, 401,
                    std::string("missing signature: send ") + kSignatureHeader + " and " +
                        kTimestampHeader + ", or " + kHubSignatureHeader);
    }
    // Unsigned: the web API's own credentials, an admin's bearer token (anyone in the open demo,
    // which listens on loopback only).
    auto caller = Authenticate(ctx, req, res);
    if (!caller) {
      res.set_header("Connection", "close");
      return;
    }
    if (!ctx.open_mode() && caller->ambient) {
      return Refuse(res, 401, "an unsigned push needs Authorization: Bearer <admin token>");
    }
    if (caller->who.role != Role::kAdmin) {
      return Refuse(res, 403,
                    std::string("the ") + RoleName(caller->who.role) +
                        " role may not push mentions: an unsigned push needs an admin token");
    }
    // A browser cannot send this type across origins without a preflight nobody answers.
    const std::string type = Lower(req.get_header_value("Content-Type"));
    if (type.rfind("application/json", 0) != 0) {
      return Refuse(res, 415, "an unsigned push must be sent as Content-Type: application/json");
    }
  }

  std::string body;
  bool too_large = false;
  const bool read = content([&](const char* data, size_t length) {
    if (body.size() + length > static_cast<size_t>(max_body)) {
      too_large = true;
      return false;
    }
    body.append(data, length);
    return true;
  });
  if (too_large) {
    return Refuse(
        res, 413,
        "the body is larger than this source's max_body_bytes (" + std::to_string(max_body) + ")");
  }
  if (!read) return Refuse(res, 400, "the body could not be read");

  if (signed_request) {
    if (std::string why = CheckSignature(req, secret, body); !why.empty()) {
      spdlog::info("ingest source={} from {} refused: {}", name, req.remote_addr, why);
      res.set_header("WWW-Authenticate", "HMAC-SHA256");
      return SendJsonError(res, 401, why);
    }
  }

  WebhookBodyError error;
  auto mentions = ParseWebhookBody(body, target->runner->config().spec, &error);
  if (!mentions.ok()) {
    spdlog::debug("ingest source={} refused: {}", name, error.message);
    return SendBodyError(res, error);
  }
  PollOutcome o = target->runner->Ingest(ctx.store, *target->pipeline, std::move(*mentions));
  if (!o.status.ok()) {
    spdlog::error("ingest source={} failed: {}", name, o.status.ToString());
    return SendJsonError(res, 500, "the store failed: " + o.status.message());
  }
  if (ctx.options.on_push) ctx.options.on_push(name, o);
  spdlog::debug(
      "push source={} new={} duplicates={} edited={} deleted={} flagged={} cases={} alerts={} "
      "filtered={} dropped={} duration={:.3f}s",
      name, o.inserted, o.duplicates, o.edited, o.deleted, o.flagged, o.cases_opened,
      o.alerts_queued, o.filtered, o.dropped, o.seconds);
  JsonWriter w;
  w.BeginObject()
      .Field("inserted", o.inserted)
      .Field("duplicates", o.duplicates)
      .Field("edited", o.edited)
      .Field("deleted", o.deleted)
      .Field("flagged", o.flagged)
      .Field("cases_opened", o.cases_opened)
      .Field("alerts_queued", o.alerts_queued)
      .Field("filtered", o.filtered)
      .Field("dropped", o.dropped)
      .EndObject();
  SendJson(res, w.Finish());
}

}  // namespace

bool IsIngestPath(std::string_view path) {
  return path.substr(0, 8) == "/ingest/";
}

void AddIngestRoutes(httplib::Server& server, WebContext& ctx) {
  server.Post(
      R"(/ingest/([A-Za-z0-9_.\-]+))",
      httplib::Server::HandlerWithContentReader(
          [&ctx](const httplib::Request& req, httplib::Response& res,
                 const httplib::ContentReader& content) { Ingest(ctx, req, res, content); }));
}

}  // namespace earshot::web
