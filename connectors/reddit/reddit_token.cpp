#include "connectors/reddit/reddit_token.h"

#include <rapidjson/document.h>

#include "connectors/http/http_errors.h"
#include "connectors/http/redact.h"
#include "connectors/reddit/reddit_listing.h"
#include "core/utf8.h"

namespace earshot {
namespace {

constexpr int64_t kRenewBeforeExpiryMs = 60'000;

}  // namespace

std::string Base64(std::string_view data) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(data[i])) << 16 |
                       static_cast<uint32_t>(static_cast<unsigned char>(data[i + 1])) << 8 |
                       static_cast<unsigned char>(data[i + 2]);
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < data.size()) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(data[i])) << 16;
    if (i + 1 < data.size())
      n |= static_cast<uint32_t>(static_cast<unsigned char>(data[i + 1])) << 8;
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < data.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

RedditTokenSource::RedditTokenSource(RedditCredentials credentials)
    : credentials_(std::move(credentials)) {}

void RedditTokenSource::Invalidate() {
  token_.clear();
  expires_at_ = 0;
}

Result<std::string> RedditTokenSource::Get(const HttpClient& http, const std::atomic<bool>* stop) {
  if (!token_.empty() && NowMillis() < expires_at_) return token_;
  token_.clear();
  HttpRequest request;
  request.method = "POST";
  request.url = credentials_.token_url;
  request.user_agent = credentials_.user_agent;
  request.timeout_ms = credentials_.timeout_ms;
  request.connect_timeout_ms = std::min(request.connect_timeout_ms, request.timeout_ms);
  request.max_body_bytes = 64 << 10;
  request.max_redirects = 0;  // credentials go to this URL only
  request.body = "grant_type=client_credentials";
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  request.headers.emplace_back("Accept", "application/json");
  request.headers.emplace_back("Authorization", "Basic " + Base64(credentials_.client_id + ":" +
                                                                  credentials_.client_secret));
  ++fetches_;
  auto scrub = [&](const Status& s) {
    const std::string m =
        ScrubSecrets(s.message(), {credentials_.client_secret, credentials_.client_id});
    return Status(s.code(), "access token: " + m);
  };
  auto response = http.Send(request, stop);
  if (!response.ok()) return scrub(response.status());
  const std::string detail = RedditErrorMessage(response->body);
  if (response->status < 200 || response->status >= 300) {
    Status status = HttpStatusError(*response, request.url);
    std::string message = status.message();
    if (response->status == 401 || response->status == 403) {
      message += ": check client_id and client_secret";
    } else if (!detail.empty()) {
      message += ": " + detail;
    }
    return scrub(Status(status.code(), message));
  }
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(response->body.data(), response->body.size());
  const std::string where = "POST " + RedactUrl(request.url) + ": ";
  if (doc.HasParseError() || !doc.IsObject()) {
    return scrub(Status::ParseError(where + "the token response is not a JSON object"));
  }
  auto token = doc.FindMember("access_token");
  if (token == doc.MemberEnd() || !token->value.IsString() || token->value.GetStringLength() == 0) {
    // Reddit answers some refusals with 200 and {"error": "unsupported_grant_type"}.
    return scrub(Status::HttpError(where + "no access_token in the response" +
                                   (detail.empty() ? "" : ": " + detail)));
  }
  const std::string value(token->value.GetString(), token->value.GetStringLength());
  if (value.find_first_of("\r\n") != std::string::npos) {
    return scrub(Status::ParseError(where + "the access_token holds a line break"));
  }
  int64_t expires_in = 3600;
  if (auto e = doc.FindMember("expires_in"); e != doc.MemberEnd() && e->value.IsNumber()) {
    const double d = e->value.GetDouble();
    if (d > 0 && d < 1e8) expires_in = static_cast<int64_t>(d);
  }
  token_ = value;
  expires_at_ = NowMillis() + std::max<int64_t>(0, expires_in * 1000 - kRenewBeforeExpiryMs);
  return token_;
}

}  // namespace earshot
