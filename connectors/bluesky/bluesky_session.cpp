#include "connectors/bluesky/bluesky_session.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "connectors/bluesky/bluesky_posts.h"
#include "connectors/http/http_errors.h"
#include "connectors/http/redact.h"
#include "connectors/json_fields.h"

namespace earshot {
namespace {

std::string CreateSessionBody(const BlueskyCredentials& c) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("identifier");
  writer.String(c.identifier.c_str(), static_cast<rapidjson::SizeType>(c.identifier.size()));
  writer.Key("password");
  writer.String(c.app_password.c_str(), static_cast<rapidjson::SizeType>(c.app_password.size()));
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

bool UsableToken(const std::string& token) {
  return !token.empty() && token.find_first_of("\r\n") == std::string::npos;
}

}  // namespace

BlueskySession::BlueskySession(BlueskyCredentials credentials)
    : credentials_(std::move(credentials)) {}

std::string BlueskySession::Scrub(std::string text) const {
  return ScrubSecrets(std::move(text), {credentials_.app_password, access_jwt_, refresh_jwt_,
                                        old_access_jwt_, old_refresh_jwt_});
}

Status BlueskySession::Scrub(const Status& status) const {
  if (status.ok()) return status;
  return Status(status.code(), Scrub(status.message()));
}

Result<std::string> BlueskySession::AccessToken(const HttpClient& http,
                                                const std::atomic<bool>* stop) {
  if (access_jwt_.empty()) {
    if (Status s = Create(http, stop); !s.ok()) return s;
  }
  return access_jwt_;
}

Result<std::string> BlueskySession::Renew(const HttpClient& http, const std::atomic<bool>* stop) {
  Status s = refresh_jwt_.empty() ? Status::Unavailable("no session") : Refresh(http, stop);
  if (!s.ok() && s.code() != Status::Code::kAborted) s = Create(http, stop);
  if (!s.ok()) return s;
  return access_jwt_;
}

Status BlueskySession::Create(const HttpClient& http, const std::atomic<bool>* stop) {
  HttpRequest request;
  request.method = "POST";
  request.url = credentials_.auth_url + "/xrpc/com.atproto.server.createSession";
  request.body = CreateSessionBody(credentials_);
  request.headers.emplace_back("Content-Type", "application/json");
  ++creates_;
  Status s = Exchange(std::move(request), http, stop);
  if (!s.ok()) return Status(s.code(), "createSession: " + s.message());
  return s;
}

Status BlueskySession::Refresh(const HttpClient& http, const std::atomic<bool>* stop) {
  HttpRequest request;
  request.method = "POST";
  request.url = credentials_.auth_url + "/xrpc/com.atproto.server.refreshSession";
  request.headers.emplace_back("Authorization", "Bearer " + refresh_jwt_);
  ++refreshes_;
  Status s = Exchange(std::move(request), http, stop);
  if (!s.ok()) return Status(s.code(), "refreshSession: " + s.message());
  return s;
}

Status BlueskySession::Exchange(HttpRequest request, const HttpClient& http,
                                const std::atomic<bool>* stop) {
  request.user_agent = credentials_.user_agent;
  request.timeout_ms = credentials_.timeout_ms;
  request.connect_timeout_ms = std::min(request.connect_timeout_ms, request.timeout_ms);
  request.max_body_bytes = 256 << 10;
  request.max_redirects = 0;  // credentials go to this URL only
  request.headers.emplace_back("Accept", "application/json");
  auto response = http.Send(request, stop);
  if (!response.ok()) return Scrub(response.status());
  if (response->status < 200 || response->status >= 300) {
    Status status = HttpStatusError(*response, request.url);
    std::string message = status.message();
    if (std::string detail = BlueskyErrorMessage(response->body); !detail.empty()) {
      message += ": " + detail;
    }
    if (response->status == 401 && request.url.find("createSession") != std::string::npos) {
      message += " (check identifier and app_password)";
    }
    return Scrub(Status(status.code(), message));
  }
  rapidjson::Document doc;
  const std::string where = "POST " + RedactUrl(request.url) + ": ";
  if (!json::Parse(response->body, &doc).ok() || !doc.IsObject()) {
    return Status::ParseError(where + "the session response is not a JSON object");
  }
  const std::string access = json::String(doc, "accessJwt");
  const std::string refresh = json::String(doc, "refreshJwt");
  if (!UsableToken(access)) {
    return Status::ParseError(where + "no usable accessJwt in the response");
  }
  old_access_jwt_ = access_jwt_;
  old_refresh_jwt_ = refresh_jwt_;
  access_jwt_ = access;
  refresh_jwt_ = UsableToken(refresh) ? refresh : "";
  return Status::Ok();
}

}  // namespace earshot
