#include "connectors/feed/rss_connector.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "connectors/feed/feed_parser.h"
#include "connectors/http/http_client.h"
#include "connectors/http/http_errors.h"
#include "connectors/http/redact.h"
#include "core/time.h"

namespace earshot {
namespace {

// "Text/HTML; charset=utf-8" -> "text/html".
std::string MediaType(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && std::isspace(static_cast<unsigned char>(type.front())))
    type.remove_prefix(1);
  while (!type.empty() && std::isspace(static_cast<unsigned char>(type.back())))
    type.remove_suffix(1);
  std::string out(type);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Feeds come labelled every which way (text/plain, application/octet-stream...), so the label
// never stops a parse; these only make a failed parse easier to explain (a login or error page).
bool IsClearlyNotAFeed(const std::string& media_type) {
  static constexpr std::array<std::string_view, 3> kTypes = {"text/html", "application/xhtml+xml",
                                                             "application/pdf"};
  static constexpr std::array<std::string_view, 3> kFamilies = {"image/", "audio/", "video/"};
  return std::find(kTypes.begin(), kTypes.end(), media_type) != kTypes.end() ||
         std::any_of(kFamilies.begin(), kFamilies.end(),
                     [&](std::string_view f) { return media_type.rfind(f, 0) == 0; });
}

class RssConnector : public Connector {
 public:
  RssConnector(const SourceSpec& spec, HttpClient& http) : spec_(spec), http_(http) {
    request_.url = spec.settings.Get("url");
    request_.timeout_ms = spec.settings.GetDurationMillis("timeout", 30'000);
    request_.connect_timeout_ms = std::min(request_.connect_timeout_ms, request_.timeout_ms);
    request_.max_body_bytes =
        static_cast<size_t>(std::max<int64_t>(0, spec.settings.GetInt("max_bytes", 16 << 20)));
    request_.user_agent = spec.settings.Get("user_agent");
    request_.headers.emplace_back(
        "Accept",
        "application/rss+xml, application/atom+xml, application/feed+json, "
        "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5");
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
    if (response->status == 304) {
      result.not_modified = true;
      return result;
    }
    if (response->status < 200 || response->status >= 300) {
      return HttpStatusError(*response, request.url);
    }
    const std::string content_type = response->Header("content-type");
    auto feed = ParseFeed(response->body, spec_.name, content_type);
    if (!feed.ok()) {
      const std::string media_type = MediaType(content_type);
      const std::string hint =
          IsClearlyNotAFeed(media_type) ? "expected a feed, got " + media_type + ": " : "";
      return Status::ParseError(request.method + " " + RedactUrl(request.url) + ": " + hint +
                                feed.status().message());
    }
    const UnixMillis now = NowMillis();
    result.mentions = std::move(feed->items);
    for (auto& mention : result.mentions) {
      mention.fetched_at = now;
      if (!spec_.lang.empty()) mention.lang = spec_.lang;
    }
    if (auto etag = response->Header("etag"); !etag.empty()) result.next_cursor.etag = etag;
    if (auto modified = response->Header("last-modified"); !modified.empty()) {
      result.next_cursor.last_modified = modified;
    }
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
      {"url", SettingType::kString, true, "", "the feed's URL (http or https)"},
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
      return Status::InvalidArgument("url must start with http:// or https://, got " +
                                     RedactUrl(url));
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
