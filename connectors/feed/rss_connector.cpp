#include "connectors/feed/rss_connector.h"

#include "connectors/feed/feed_parser.h"
#include "connectors/http/http_client.h"
#include "connectors/http/redact.h"
#include "core/time.h"

namespace earshot {
namespace {

class RssConnector : public Connector {
 public:
  RssConnector(const SourceSpec& spec, HttpClient& http) : spec_(spec), http_(http) {
    request_.url = spec.settings.Get("url");
    request_.timeout_ms = spec.settings.GetDurationMillis("timeout", 30'000);
    request_.max_body_bytes = static_cast<size_t>(spec.settings.GetInt("max_bytes", 16 << 20));
    request_.headers.emplace_back(
        "Accept",
        "application/rss+xml, application/atom+xml, application/feed+json, "
        "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5");
    if (spec.settings.Has("user_agent")) {
      request_.headers.emplace_back("User-Agent", spec.settings.Get("user_agent"));
    }
    for (const auto& [name, value] : spec.settings.GetMap("headers")) {
      request_.headers.emplace_back(name, value);
    }
    if (spec.settings.Has("bearer_token")) {
      request_.headers.emplace_back("Authorization", "Bearer " + spec.settings.Get("bearer_token"));
    }
  }

  Result<PollResult> Poll(const SourceCursor& cursor, const std::atomic<bool>& stop) override {
    HttpRequest request = request_;
    request.if_none_match = cursor.etag;
    request.if_modified_since = cursor.last_modified;
    auto response = http_.Send(request, &stop);
    if (!response.ok()) return response.status();
    PollResult result;
    result.http_status = response->status;
    result.next_cursor = cursor;
    const std::string url = RedactUrl(request.url);
    if (response->status == 304) {
      result.not_modified = true;
      return result;
    }
    if (response->status == 429 || response->status == 503) {
      std::string retry = response->Header("retry-after");
      return Status::Unavailable("HTTP " + std::to_string(response->status) + " from " + url +
                                 (retry.empty() ? "" : " (Retry-After: " + retry + ")"));
    }
    if (response->status < 200 || response->status >= 300) {
      return Status::HttpError("HTTP " + std::to_string(response->status) + " from " + url);
    }
    const std::string content_type = response->Header("content-type");
    auto feed = ParseFeed(response->body, spec_.name, content_type);
    if (!feed.ok()) {
      std::string hint = content_type.rfind("text/html", 0) == 0
                             ? "expected a feed, got " + content_type + ": "
                             : "";
      return Status::ParseError(url + ": " + hint + feed.status().message());
    }
    const UnixMillis now = NowMillis();
    for (auto& item : feed->items) {
      item.fetched_at = now;
      if (!spec_.lang.empty()) item.lang = spec_.lang;
      result.mentions.push_back(std::move(item));
    }
    std::string etag = response->Header("etag");
    std::string last_modified = response->Header("last-modified");
    if (!etag.empty()) result.next_cursor.etag = etag;
    if (!last_modified.empty()) result.next_cursor.last_modified = last_modified;
    return result;
  }

 private:
  SourceSpec spec_;
  HttpClient& http_;
  HttpRequest request_;
};

}  // namespace

ConnectorDescriptor RssConnectorDescriptor() {
  ConnectorDescriptor d;
  d.kind = "rss";
  d.summary = "an RSS, Atom or JSON Feed URL, polled with conditional GET";
  d.settings = {
      {"url", SettingType::kString, true, "", "the feed's URL"},
      {"headers", SettingType::kStringMap, false, "", "extra request headers"},
      {"timeout", SettingType::kDuration, false, "30s", "total time allowed for one fetch"},
      {"max_bytes", SettingType::kInt, false, "16777216", "larger bodies are refused"},
      {"user_agent", SettingType::kString, false, "", "overrides http.user_agent"},
      {"bearer_token", SettingType::kSecret, false, "",
       "sent as Authorization: Bearer, for private feeds (or bearer_token_file)"},
  };
  d.create = [](const SourceSpec& spec, HttpClient& http) -> Result<std::unique_ptr<Connector>> {
    const std::string url = spec.settings.Get("url");
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
      return Status::InvalidArgument("url must start with http:// or https://");
    }
    return std::unique_ptr<Connector>(new RssConnector(spec, http));
  };
  d.parse = [](std::string_view body, const std::string& source) -> Result<std::vector<Mention>> {
    auto feed = ParseFeed(body, source);
    if (!feed.ok()) return feed.status();
    return std::move(feed->items);
  };
  return d;
}

}  // namespace earshot
