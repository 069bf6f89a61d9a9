#include "connectors/google/google_access_token.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fstream>
#include <sstream>

#include "connectors/google/jwt_rs256.h"
#include "connectors/http/http_errors.h"
#include "connectors/http/redact.h"
#include "connectors/json_fields.h"
#include "connectors/url_query.h"
#include "core/utf8.h"

namespace earshot {
namespace {

constexpr int64_t kRenewBeforeExpiryMs = 60'000;
constexpr int64_t kAssertionSeconds = 3600;

std::string Claims(const std::string& iss, const std::string& scope, const std::string& aud,
                   int64_t now_seconds) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("iss");
  w.String(iss.c_str(), static_cast<rapidjson::SizeType>(iss.size()));
  w.Key("scope");
  w.String(scope.c_str(), static_cast<rapidjson::SizeType>(scope.size()));
  w.Key("aud");
  w.String(aud.c_str(), static_cast<rapidjson::SizeType>(aud.size()));
  w.Key("iat");
  w.Int64(now_seconds);
  w.Key("exp");
  w.Int64(now_seconds + kAssertionSeconds);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

Result<ServiceAccountKey> ParseServiceAccountKey(std::string_view json_text) {
  rapidjson::Document doc;
  if (Status parsed = json::Parse(json_text, &doc); !parsed.ok()) {
    return Status::InvalidArgument("the service-account key is not JSON: " + parsed.message());
  }
  if (!doc.IsObject()) return Status::InvalidArgument("the service-account key is not an object");
  if (const std::string type = json::String(doc, "type");
      !type.empty() && type != "service_account") {
    return Status::InvalidArgument("the key file is of type \"" +
                                   std::string(TruncateUtf8(type, 40)) +
                                   "\", not a service_account key");
  }
  ServiceAccountKey key;
  key.client_email = json::String(doc, "client_email");
  key.private_key = json::String(doc, "private_key");
  if (std::string uri = json::String(doc, "token_uri"); !uri.empty()) key.token_uri = uri;
  if (key.client_email.empty()) {
    return Status::InvalidArgument("the service-account key has no client_email");
  }
  if (key.private_key.find("PRIVATE KEY-----") == std::string::npos) {
    return Status::InvalidArgument("the service-account key has no PEM private_key");
  }
  if (key.token_uri.rfind("https://", 0) != 0 && key.token_uri.rfind("http://", 0) != 0) {
    return Status::InvalidArgument("the service-account key's token_uri is not an http(s) URL");
  }
  return key;
}

Result<ServiceAccountKey> ReadServiceAccountKey(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument("cannot read the service-account key " + path);
  std::ostringstream text;
  text << in.rdbuf();
  auto key = ParseServiceAccountKey(text.str());
  if (!key.ok()) return key.status().WithContext(path);
  return key;
}

GoogleAccessToken::GoogleAccessToken(ServiceAccountKey key, std::string scope, int64_t timeout_ms)
    : key_(std::move(key)), scope_(std::move(scope)), timeout_ms_(timeout_ms) {}

GoogleAccessToken::GoogleAccessToken(std::string token) : fixed_(true), token_(std::move(token)) {}

bool GoogleAccessToken::Invalidate() {
  if (fixed_) return false;
  token_.clear();
  expires_at_ = 0;
  return true;
}

Result<std::string> GoogleAccessToken::Get(const HttpClient& http, const std::atomic<bool>* stop) {
  if (fixed_) return token_;
  if (!token_.empty() && NowMillis() < expires_at_) return token_;
  token_.clear();
  auto assertion = SignJwtRs256(
      Claims(key_.client_email, scope_, key_.token_uri, NowMillis() / 1000), key_.private_key);
  if (!assertion.ok()) return assertion.status().WithContext("access token");
  HttpRequest request;
  request.method = "POST";
  request.url = key_.token_uri;
  request.timeout_ms = timeout_ms_;
  request.connect_timeout_ms = std::min(request.connect_timeout_ms, request.timeout_ms);
  request.max_body_bytes = 64 << 10;
  request.max_redirects = 0;  // the assertion goes to this URL only
  request.body = "grant_type=" + PercentEncode("urn:ietf:params:oauth:grant-type:jwt-bearer") +
                 "&assertion=" + *assertion;
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  request.headers.emplace_back("Accept", "application/json");
  ++fetches_;
  auto scrub = [&](const Status& s) {
    return Status(s.code(),
                  "access token: " + ScrubSecrets(s.message(), {*assertion, key_.private_key}));
  };
  auto response = http.Send(request, stop);
  if (!response.ok()) return scrub(response.status());
  rapidjson::Document doc;
  const bool is_json = json::Parse(response->body, &doc).ok() && doc.IsObject();
  std::string detail;
  if (is_json) {
    detail = json::String(doc, "error");
    if (std::string d = json::String(doc, "error_description"); !d.empty()) {
      detail += (detail.empty() ? "" : ": ") + d;
    }
    detail = std::string(TruncateUtf8(CollapseWhitespace(detail), 300));
  }
  if (response->status < 200 || response->status >= 300) {
    Status status = HttpStatusError(*response, request.url);
    std::string message = status.message();
    if (!detail.empty()) message += ": " + detail;
    if (response->status == 400 || response->status == 401) {
      message += " (check the service account's key and that it may use this API)";
    }
    return scrub(Status(status.code(), message));
  }
  const std::string where = "POST " + RedactUrl(request.url) + ": ";
  if (!is_json) return scrub(Status::ParseError(where + "the token response is not a JSON object"));
  const std::string token = json::String(doc, "access_token");
  if (token.empty()) {
    return scrub(Status::HttpError(where + "no access_token in the response" +
                                   (detail.empty() ? "" : ": " + detail)));
  }
  if (token.find_first_of("\r\n") != std::string::npos) {
    return scrub(Status::ParseError(where + "the access_token holds a line break"));
  }
  int64_t expires_in = json::Int(doc, "expires_in").value_or(3600);
  if (expires_in <= 0 || expires_in > 100'000'000) expires_in = 3600;
  token_ = token;
  expires_at_ = NowMillis() + std::max<int64_t>(0, expires_in * 1000 - kRenewBeforeExpiryMs);
  return token_;
}

Result<HttpResponse> GoogleAccessToken::SendAuthorized(const HttpClient& http,
                                                       const HttpRequest& request,
                                                       const std::atomic<bool>* stop,
                                                       bool* refreshed) {
  if (refreshed) *refreshed = false;
  for (int attempt = 0;; ++attempt) {
    auto token = Get(http, stop);
    if (!token.ok()) return token.status();
    HttpRequest authorized = request;
    authorized.headers.emplace_back("Authorization", "Bearer " + *token);
    auto sent = http.Send(authorized, stop);
    // A refused token (revoked, expired early): fetch a new one once.
    if (!sent.ok() || sent->status != 401 || attempt > 0 || !Invalidate()) return sent;
    if (refreshed) *refreshed = true;
  }
}

}  // namespace earshot
