#include "connectors/stackexchange/stackexchange_connector.h"

#include <algorithm>
#include <optional>
#include <set>

#include "connectors/catch_up_window.h"
#include "connectors/http/http_client.h"
#include "connectors/http/http_errors.h"
#include "connectors/http/redact.h"
#include "connectors/stackexchange/stackexchange_items.h"
#include "connectors/url_query.h"
#include "core/time.h"

namespace earshot {
namespace {

constexpr const char* kDefaultApiUrl = "https://api.stackexchange.com/2.3";
constexpr int64_t kMaxPageSize = 100;
constexpr int64_t kDayMs = 86'400'000;

std::string TrimSlashes(std::string url) {
  while (!url.empty() && url.back() == '/')
    url.pop_back();
  return url;
}

bool IsHttpUrl(const std::string& url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

// "https://stackoverflow.com/" -> "stackoverflow.com"
std::string HostOf(std::string url) {
  const size_t scheme = url.find("://");
  if (scheme != std::string::npos) url = url.substr(scheme + 3);
  return TrimSlashes(url);
}

class StackExchangeConnector : public Connector {
 public:
  StackExchangeConnector(const SourceSpec& spec, HttpClient& http) : spec_(spec), http_(http) {
    site_ = spec.settings.Get("site", "stackoverflow");
    query_ = spec.settings.Get("query");
    key_ = spec.settings.Get("key");
    filter_ = spec.settings.Get("filter", "default");
    api_url_ = TrimSlashes(spec.settings.Get("api_url", kDefaultApiUrl));
    const std::string site_url = spec.settings.Get("site_url");
    host_ = site_url.empty() ? StackExchangeSiteHost(site_) : HostOf(site_url);
    pagesize_ =
        std::clamp<int64_t>(spec.settings.GetInt("pagesize", kMaxPageSize), 1, kMaxPageSize);
    max_pages_ = std::max<int64_t>(1, spec.settings.GetInt("max_pages", 5));
    lookback_seconds_ = spec.settings.GetDurationMillis("lookback", kDayMs) / 1000;
    request_.timeout_ms = spec.settings.GetDurationMillis("timeout", 30'000);
    request_.connect_timeout_ms = std::min(request_.connect_timeout_ms, request_.timeout_ms);
    request_.max_body_bytes =
        static_cast<size_t>(std::max<int64_t>(0, spec.settings.GetInt("max_bytes", 16 << 20)));
    request_.user_agent = spec.settings.Get("user_agent");
    request_.headers.emplace_back("Accept", "application/json");
  }

  Result<PollResult> Poll(const SourceCursor& cursor, const std::atomic<bool>& stop) override {
    if (auto wait = BlockedSeconds()) {
      return Status::Unavailable("stackexchange: " + blocked_reason_ + ": next request in " +
                                 std::to_string(*wait) + " s");
    }
    PollResult result;
    result.next_cursor = cursor;
    const CatchUpWindow window = StartingWindow(cursor.position, &result.warnings);
    std::set<std::string> seen;
    int64_t newest = window.newest;
    int64_t oldest = 0;  // the earliest creation_date read in this poll
    bool complete = false;
    bool stopped = false;  // by an error after some pages, or by a backoff
    for (int64_t page_number = 1; page_number <= max_pages_; ++page_number) {
      HttpRequest request = request_;
      QueryParams params = {{"site", site_},
                            {"q", query_},
                            {"sort", "creation"},
                            {"order", "desc"},
                            {"fromdate", std::to_string(window.since + 1)}};
      if (window.upper) params.emplace_back("todate", std::to_string(*window.upper));
      params.emplace_back("pagesize", std::to_string(pagesize_));
      params.emplace_back("page", std::to_string(page_number));
      if (filter_ != "default") params.emplace_back("filter", filter_);
      if (!key_.empty()) params.emplace_back("key", key_);
      request.url = WithQuery(api_url_ + "/search/excerpts", params);
      auto page = Fetch(request, stop, &result);
      if (!page.ok()) {
        if (page_number == 1 || oldest == 0 || page.status().code() == Status::Code::kAborted) {
          return Scrub(page.status());
        }
        result.warnings.push_back("stopped after " + std::to_string(page_number - 1) +
                                  " pages: " + Scrub(page.status()).message());
        stopped = true;
        break;
      }
      for (auto& w : page->warnings)
        result.warnings.push_back("page " + std::to_string(page_number) + ": " + w);
      for (size_t i = 0; i < page->mentions.size(); ++i) {
        const int64_t t = page->created[i];
        if (t <= window.since && t > 0) continue;
        if (window.upper && t > *window.upper) continue;
        if (t > 0) {
          newest = std::max(newest, t);
          oldest = oldest == 0 ? t : std::min(oldest, t);
        }
        if (seen.insert(page->mentions[i].external_id).second) {
          result.mentions.push_back(std::move(page->mentions[i]));
        }
      }
      if (!page->has_more || page->items == 0) {
        complete = true;
        break;
      }
      if (BlockedSeconds()) {  // a backoff: no further request to this method for now
        stopped = true;
        break;
      }
    }
    if (complete || oldest == 0) {
      result.next_cursor.position = FormatCatchUpWindow({newest, std::nullopt, newest, 0});
    } else {
      // todate= is inclusive: items of the oldest second read may be read again, never skipped.
      int64_t upper = oldest;
      if (window.upper && upper >= *window.upper) upper = *window.upper - 1;  // no progress
      upper = std::max(upper, window.since);
      result.next_cursor.position = FormatCatchUpWindow({window.since, upper, newest, 0});
      result.has_more = !stopped && !BlockedSeconds();
    }
    const UnixMillis now = NowMillis();
    for (auto& m : result.mentions) {
      m.fetched_at = now;
      if (!spec_.lang.empty()) m.lang = spec_.lang;
    }
    return result;
  }

 private:
  CatchUpWindow StartingWindow(const std::string& position,
                               std::vector<std::string>* warnings) const {
    if (auto w = ParseCatchUpWindow(position)) {
      if (w->upper && *w->upper <= w->since) return {w->newest, std::nullopt, w->newest, 0};
      return *w;
    }
    if (!position.empty()) {
      warnings->push_back("unreadable cursor '" + position + "': looking back " +
                          std::to_string(lookback_seconds_) + " s");
    }
    const int64_t since = std::max<int64_t>(0, NowMillis() / 1000 - lookback_seconds_);
    return {since, std::nullopt, since, 0};
  }

  std::optional<int64_t> BlockedSeconds() const {
    const UnixMillis now = NowMillis();
    if (blocked_until_ <= now) return std::nullopt;
    return (blocked_until_ - now + 999) / 1000;
  }

  void Block(int64_t seconds, std::string reason) {
    const UnixMillis until = NowMillis() + std::max<int64_t>(1, seconds) * 1000;
    if (until > blocked_until_) {
      blocked_until_ = until;
      blocked_reason_ = std::move(reason);
    }
  }

  Result<StackExchangePage> Fetch(const HttpRequest& request, const std::atomic<bool>& stop,
                                  PollResult* result) {
    auto response = http_.Send(request, &stop);
    if (!response.ok()) return response.status();
    result->http_status = response->status;
    if (response->status < 200 || response->status >= 300) {
      Status status = HttpStatusError(*response, request.url);
      std::string message = status.message();
      Status::Code code = status.code();
      if (auto error = ParseStackExchangeError(response->body)) {
        message += ": " + error->ToString();
        if (error->id == 502 || error->name == "throttle_violation") {
          code = Status::Code::kUnavailable;
          Block(StackExchangeThrottleSeconds(error->message).value_or(60), "throttled");
        }
      }
      if (response->status == 429 || response->status == 503) {
        Block(RetryAfterSeconds(response->Header("retry-after"), NowMillis()).value_or(60),
              "rate limited");
      }
      return Status(code, message);
    }
    auto page = ParseStackExchangePage(response->body, spec_.name, host_);
    if (!page.ok()) {
      return Status::ParseError(request.method + " " + RedactUrl(request.url) + ": " +
                                page.status().message());
    }
    if (page->backoff && *page->backoff > 0) {
      Block(*page->backoff, "backoff asked");
      result->warnings.push_back("the API asked for a backoff of " +
                                 std::to_string(*page->backoff) + " s");
    }
    if (page->quota_remaining && *page->quota_remaining <= 0) {
      const UnixMillis now = NowMillis();
      Block((kDayMs - now % kDayMs) / 1000 + 1, "daily quota used up");
      result->warnings.push_back("daily quota used up" +
                                 (page->quota_max
                                      ? " (" + std::to_string(*page->quota_max) + " requests)"
                                      : std::string()) +
                                 ": no request until 00:00 UTC");
    }
    return page;
  }

  Status Scrub(const Status& status) const { return ScrubSecrets(status, {key_}); }

  SourceSpec spec_;
  HttpClient& http_;
  HttpRequest request_;
  std::string site_, query_, key_, filter_, api_url_, host_;
  int64_t pagesize_ = kMaxPageSize;
  int64_t max_pages_ = 5;
  int64_t lookback_seconds_ = 86'400;
  UnixMillis blocked_until_ = 0;
  std::string blocked_reason_;
};

}  // namespace

ConnectorDescriptor StackExchangeConnectorDescriptor() {
  ConnectorDescriptor d;
  d.kind = "stackexchange";
  d.summary = "Stack Exchange questions and answers matching a search (API 2.3 search/excerpts)";
  d.settings = {
      {"query", SettingType::kString, true, "", "free-text search, e.g. the brand's name"},
      {"site", SettingType::kString, false, "stackoverflow",
       "the API site parameter: stackoverflow, superuser, unix, android..."},
      {"site_url", SettingType::kString, false, "",
       "the site's web address for links, when it cannot be derived from site"},
      {"key", SettingType::kSecret, false, "",
       "an app key from stackapps.com: 10,000 requests a day instead of 300 per IP"},
      {"filter", SettingType::kString, false, "default",
       "an API filter, e.g. one adding the full body"},
      {"lookback", SettingType::kDuration, false, "1d", "how far back the first poll reaches"},
      {"max_pages", SettingType::kInt, false, "5", "pages read per poll at most; more: catch up"},
      {"pagesize", SettingType::kInt, false, "100", "items per page, 1 to 100"},
      {"api_url", SettingType::kString, false, kDefaultApiUrl, "the API's root URL"},
      {"timeout", SettingType::kDuration, false, "30s", "total time allowed for one request"},
      {"max_bytes", SettingType::kInt, false, "16777216", "larger bodies are refused"},
      {"user_agent", SettingType::kString, false, "", "overrides http.user_agent"},
  };
  d.create = [](const SourceSpec& spec, HttpClient& http) -> Result<std::unique_ptr<Connector>> {
    if (spec.settings.Get("query").empty()) {
      return Status::InvalidArgument("query must not be empty");
    }
    const std::string site = spec.settings.Get("site", "stackoverflow");
    if (site.empty() || site.find_first_of("/?#& \t") != std::string::npos) {
      return Status::InvalidArgument("site '" + site + "' is not a site name");
    }
    if (!IsHttpUrl(spec.settings.Get("api_url", kDefaultApiUrl))) {
      return Status::InvalidArgument("api_url must start with http:// or https://");
    }
    if (const std::string url = spec.settings.Get("site_url"); !url.empty() && !IsHttpUrl(url)) {
      return Status::InvalidArgument("site_url must start with http:// or https://");
    }
    const int64_t pagesize = spec.settings.GetInt("pagesize", kMaxPageSize);
    if (pagesize < 1 || pagesize > kMaxPageSize) {
      return Status::InvalidArgument("pagesize must be from 1 to 100, got " +
                                     std::to_string(pagesize));
    }
    if (spec.settings.GetInt("max_pages", 5) < 1) {
      return Status::InvalidArgument("max_pages must be at least 1");
    }
    return std::unique_ptr<Connector>(new StackExchangeConnector(spec, http));
  };
  d.parse = [](std::string_view body, const std::string& source) -> Result<std::vector<Mention>> {
    auto page = ParseStackExchangePage(body, source, "stackoverflow.com");
    if (!page.ok()) return page.status();
    return std::move(page->mentions);
  };
  return d;
}

}  // namespace earshot
