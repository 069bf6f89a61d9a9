#include "connectors/mastodon/mastodon_connector.h"

#include <algorithm>

#include "connectors/http/http_client.h"
#include "connectors/http/http_errors.h"
#include "connectors/http/redact.h"
#include "connectors/mastodon/mastodon_ids.h"
#include "connectors/mastodon/mastodon_link_header.h"
#include "connectors/mastodon/mastodon_statuses.h"
#include "connectors/url_query.h"
#include "core/time.h"

namespace earshot {
namespace {

constexpr int64_t kMaxLimit = 40;  // Mastodon's cap for timelines and search

std::string Hashtag(const Settings& settings) {
  std::string tag = settings.Get("hashtag");
  tag.erase(0, tag.find_first_not_of('#'));
  return tag;
}

class MastodonConnector : public Connector {
 public:
  MastodonConnector(const SourceSpec& spec, HttpClient& http) : spec_(spec), http_(http) {
    std::string instance = spec.settings.Get("instance");
    while (!instance.empty() && instance.back() == '/')
      instance.pop_back();
    limit_ = std::clamp<int64_t>(spec.settings.GetInt("limit", kMaxLimit), 1, kMaxLimit);
    const std::string tag = Hashtag(spec.settings);
    if (!tag.empty()) {
      base_url_ = instance + "/api/v1/timelines/tag/" + PercentEncode(tag) +
                  "?limit=" + std::to_string(limit_);
    } else {
      base_url_ = instance + "/api/v2/search?q=" + PercentEncode(spec.settings.Get("query")) +
                  "&type=statuses&resolve=false&limit=" + std::to_string(limit_);
    }
    token_ = spec.settings.Get("access_token");
    request_.timeout_ms = spec.settings.GetDurationMillis("timeout", 30'000);
    request_.connect_timeout_ms = std::min(request_.connect_timeout_ms, request_.timeout_ms);
    request_.max_body_bytes =
        static_cast<size_t>(std::max<int64_t>(0, spec.settings.GetInt("max_bytes", 16 << 20)));
    request_.user_agent = spec.settings.Get("user_agent");
    request_.headers.emplace_back("Accept", "application/json");
    if (!token_.empty()) request_.headers.emplace_back("Authorization", "Bearer " + token_);
  }

  Result<PollResult> Poll(const SourceCursor& cursor, const std::atomic<bool>& stop) override {
    PollResult result;
    result.next_cursor = cursor;
    std::string since = cursor.position;
    if (!since.empty() && !IsPlausibleStatusId(since)) {
      result.warnings.push_back("unreadable cursor '" + since + "': reading the newest statuses");
      since.clear();
    }
    HttpRequest request = request_;
    request.url = base_url_ + (since.empty() ? "" : "&min_id=" + since);
    request.if_none_match = cursor.etag;
    auto response = http_.Send(request, &stop);
    if (!response.ok()) return Scrub(response.status());
    result.http_status = response->status;
    if (response->status == 304) {
      result.not_modified = true;
      return result;
    }
    if (response->status < 200 || response->status >= 300) {
      return Scrub(ResponseError(*response, request.url));
    }
    auto page = ParseMastodonStatuses(response->body, spec_.name);
    if (!page.ok()) {
      return Scrub(Status::ParseError(request.method + " " + RedactUrl(request.url) + ": " +
                                      page.status().message()));
    }
    result.warnings.insert(result.warnings.end(), page->warnings.begin(), page->warnings.end());
    // The "prev" link names the newest status of the page as min_id: where to go on from.
    std::string newest = page->newest_id;
    const std::string prev =
        QueryParameter(LinkWithRel(response->Header("link"), "prev"), "min_id");
    if (IsPlausibleStatusId(prev) && (newest.empty() || CompareStatusIds(prev, newest) > 0)) {
      newest = prev;
    }
    if (!newest.empty() && (since.empty() || CompareStatusIds(newest, since) > 0)) {
      result.next_cursor.position = newest;
    }
    // After min_id, a full page is the oldest slice of what is new: more may follow it.
    result.has_more = !since.empty() && page->statuses >= static_cast<size_t>(limit_) &&
                      result.next_cursor.position != since;
    result.next_cursor.etag = response->Header("etag");
    const UnixMillis now = NowMillis();
    result.mentions = std::move(page->mentions);
    for (auto& m : result.mentions) {
      m.fetched_at = now;
      if (!spec_.lang.empty()) m.lang = spec_.lang;
    }
    return result;
  }

 private:
  // "HTTP 401 from <url>: The access token is invalid"; 429 and 503 with when to retry.
  static Status ResponseError(const HttpResponse& response, const std::string& url) {
    Status status = HttpStatusError(response, url);
    std::string message = status.message();
    if (response.status == 429 && response.Header("retry-after").empty()) {
      // Mastodon says when its window resets as a timestamp.
      if (auto reset = ParseRfc3339(response.Header("x-ratelimit-reset"))) {
        message += ", rate limit resets in " +
                   std::to_string(std::max<int64_t>(0, (*reset - NowMillis() + 999) / 1000)) + " s";
      }
    }
    if (std::string detail = MastodonErrorMessage(response.body); !detail.empty()) {
      message += ": " + detail;
    }
    return Status(status.code(), message);
  }

  Status Scrub(const Status& status) const { return ScrubSecrets(status, {token_}); }

  SourceSpec spec_;
  HttpClient& http_;
  HttpRequest request_;
  std::string base_url_;  // without min_id
  std::string token_;
  int64_t limit_ = kMaxLimit;
};

}  // namespace

ConnectorDescriptor MastodonConnectorDescriptor() {
  ConnectorDescriptor d;
  d.kind = "mastodon";
  d.summary = "public statuses with a hashtag, or matching a search, on a Mastodon instance";
  d.settings = {
      {"instance", SettingType::kString, true, "",
       "the instance's URL, e.g. https://mastodon.social"},
      {"hashtag", SettingType::kString, false, "", "a hashtag to follow (with or without #)"},
      {"query", SettingType::kString, false, "",
       "a full-text search instead of a hashtag (the instance must support it)"},
      {"access_token", SettingType::kSecret, false, "",
       "sent as Authorization: Bearer; search usually needs one (or access_token_file)"},
      {"limit", SettingType::kInt, false, "40", "statuses per request, 1 to 40"},
      {"timeout", SettingType::kDuration, false, "30s", "total time allowed for one request"},
      {"max_bytes", SettingType::kInt, false, "16777216", "larger bodies are refused"},
      {"user_agent", SettingType::kString, false, "", "overrides http.user_agent"},
  };
  d.create = [](const SourceSpec& spec, HttpClient& http) -> Result<std::unique_ptr<Connector>> {
    const std::string instance = spec.settings.Get("instance");
    if (instance.rfind("http://", 0) != 0 && instance.rfind("https://", 0) != 0) {
      return Status::InvalidArgument("instance must start with http:// or https://, got " +
                                     RedactUrl(instance));
    }
    const std::string tag = Hashtag(spec.settings);
    const bool has_query = !spec.settings.Get("query").empty();
    if (tag.empty() == !has_query) {
      return Status::InvalidArgument("set exactly one of hashtag and query");
    }
    if (tag.find_first_of("/?#&% \t\r\n") != std::string::npos) {
      return Status::InvalidArgument("hashtag '" + tag + "' is not a single hashtag");
    }
    const int64_t limit = spec.settings.GetInt("limit", kMaxLimit);
    if (limit < 1 || limit > kMaxLimit) {
      return Status::InvalidArgument("limit must be from 1 to 40, got " + std::to_string(limit));
    }
    return std::unique_ptr<Connector>(new MastodonConnector(spec, http));
  };
  d.parse = [](std::string_view body, const std::string& source) -> Result<std::vector<Mention>> {
    auto page = ParseMastodonStatuses(body, source);
    if (!page.ok()) return page.status();
    return std::move(page->mentions);
  };
  return d;
}

}  // namespace earshot
