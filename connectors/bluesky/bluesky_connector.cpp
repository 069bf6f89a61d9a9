#include "connectors/bluesky/bluesky_connector.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <set>

#include "connectors/bluesky/bluesky_posts.h"
#include "connectors/bluesky/bluesky_session.h"
#include "connectors/catch_up_window.h"
#include "connectors/http/http_client.h"
#include "connectors/http/http_errors.h"
#include "connectors/http/redact.h"
#include "connectors/url_query.h"
#include "core/time.h"

namespace earshot {
namespace {

constexpr const char* kPublicServiceUrl = "https://public.api.bsky.app";
constexpr const char* kDefaultAuthUrl = "https://bsky.social";
constexpr int64_t kMaxLimit = 100;

std::string TrimSlashes(std::string url) {
  while (!url.empty() && url.back() == '/')
    url.pop_back();
  return url;
}

bool IsHttpUrl(const std::string& url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

class BlueskyConnector : public Connector {
 public:
  BlueskyConnector(const SourceSpec& spec, HttpClient& http) : spec_(spec), http_(http) {
    query_ = spec.settings.Get("query");
    const std::string auth_url = TrimSlashes(spec.settings.Get("auth_url", kDefaultAuthUrl));
    const bool authenticated = !spec.settings.Get("identifier").empty();
    service_url_ = TrimSlashes(spec.settings.Get("service_url"));
    if (service_url_.empty()) service_url_ = authenticated ? auth_url : kPublicServiceUrl;
    limit_ = std::clamp<int64_t>(spec.settings.GetInt("limit", kMaxLimit), 1, kMaxLimit);
    max_pages_ = std::max<int64_t>(1, spec.settings.GetInt("max_pages", 5));
    lookback_ms_ = spec.settings.GetDurationMillis("lookback", 86'400'000);
    request_.timeout_ms = spec.settings.GetDurationMillis("timeout", 30'000);
    request_.connect_timeout_ms = std::min(request_.connect_timeout_ms, request_.timeout_ms);
    request_.max_body_bytes =
        static_cast<size_t>(std::max<int64_t>(0, spec.settings.GetInt("max_bytes", 16 << 20)));
    request_.user_agent = spec.settings.Get("user_agent");
    request_.headers.emplace_back("Accept", "application/json");
    if (authenticated) {
      BlueskyCredentials c;
      c.auth_url = auth_url;
      c.identifier = spec.settings.Get("identifier");
      c.app_password = spec.settings.Get("app_password");
      c.user_agent = request_.user_agent;
      c.timeout_ms = request_.timeout_ms;
      session_ = std::make_unique<BlueskySession>(std::move(c));
    }
  }

  Result<PollResult> Poll(const SourceCursor& cursor, const std::atomic<bool>& stop) override {
    if (auto wait = BlockedSeconds()) {
      return Status::Unavailable("bluesky rate limit reached: next request in " +
                                 std::to_string(*wait) + " s");
    }
    PollResult result;
    result.next_cursor = cursor;
    const CatchUpWindow window = StartingWindow(cursor.position, &result.warnings);
    std::set<std::string> seen;
    UnixMillis newest = window.newest;
    UnixMillis oldest = 0;  // the earliest sort time read in this poll
    bool complete = false;
    bool failed_midway = false;
    std::string page_cursor;
    for (int64_t page_number = 0; page_number < max_pages_; ++page_number) {
      HttpRequest request = request_;
      QueryParams params = {{"q", query_},
                            {"sort", "latest"},
                            {"limit", std::to_string(limit_)},
                            {"since", FormatRfc3339(window.since)}};
      if (window.upper) params.emplace_back("until", FormatRfc3339(*window.upper));
      if (!page_cursor.empty()) params.emplace_back("cursor", page_cursor);
      request.url = WithQuery(service_url_ + "/xrpc/app.bsky.feed.searchPosts", params);
      auto page = Fetch(request, stop, &result);
      if (!page.ok()) {
        // What earlier pages brought is kept: the next poll resumes below the oldest of it.
        if (page_number == 0 || oldest == 0 || page.status().code() == Status::Code::kAborted) {
          return Scrub(page.status());
        }
        result.warnings.push_back("stopped after " + std::to_string(page_number) +
                                  " pages: " + Scrub(page.status()).message());
        failed_midway = true;
        break;
      }
      for (auto& w : page->warnings)
        result.warnings.push_back("page " + std::to_string(page_number) + ": " + w);
      bool reached_since = false;
      for (size_t i = 0; i < page->mentions.size(); ++i) {
        const UnixMillis t = page->sort_at[i];
        if (t <= window.since) {
          reached_since = true;
          continue;
        }
        if (window.upper && t >= *window.upper) continue;
        newest = std::max(newest, t);
        oldest = oldest == 0 ? t : std::min(oldest, t);
        if (seen.insert(page->mentions[i].external_id).second) {
          result.mentions.push_back(std::move(page->mentions[i]));
        }
      }
      if (reached_since || page->posts == 0 || page->cursor.empty()) {
        complete = true;
        break;
      }
      page_cursor = page->cursor;
    }
    if (complete || oldest == 0) {
      result.next_cursor.position = FormatCatchUpWindow({newest, std::nullopt, newest, 0});
    } else {
      // until= is exclusive: posts of the oldest millisecond read may be read again, never skipped.
      int64_t upper = oldest + 1;
      if (window.upper && upper >= *window.upper) upper = *window.upper - 1;  // no progress
      upper = std::max(upper, window.since);
      result.next_cursor.position = FormatCatchUpWindow({window.since, upper, newest, 0});
      result.has_more = !failed_midway && !BlockedSeconds();
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
                          std::to_string(lookback_ms_ / 1000) + " s");
    }
    const UnixMillis since = std::max<int64_t>(0, NowMillis() - lookback_ms_);
    return {since, std::nullopt, since, 0};
  }

  std::optional<int64_t> BlockedSeconds() const {
    const UnixMillis now = NowMillis();
    if (blocked_until_ <= now) return std::nullopt;
    return (blocked_until_ - now + 999) / 1000;
  }

  // One search request, authenticated when the source has an account: a refused (expired)
  // access token is renewed once and the request sent again.
  Result<BlueskyPage> Fetch(HttpRequest request, const std::atomic<bool>& stop,
                            PollResult* result) {
    const auto headers = request.headers;
    Result<HttpResponse> response = Status::Aborted("not sent");
    for (int attempt = 0; attempt < 2; ++attempt) {
      request.headers = headers;
      if (session_) {
        auto token =
            attempt == 0 ? session_->AccessToken(http_, &stop) : session_->Renew(http_, &stop);
        if (!token.ok()) return token.status();
        request.headers.emplace_back("Authorization", "Bearer " + *token);
      }
      response = http_.Send(request, &stop);
      if (!response.ok()) return response.status();
      if (!session_ || attempt > 0) break;
      const std::string error = BlueskyErrorName(response->body);
      const bool expired =
          response->status == 401 ||
          (response->status == 400 && (error == "ExpiredToken" || error == "InvalidToken"));
      if (!expired) break;
    }
    result->http_status = response->status;
    if (response->status == 429) {
      int64_t wait = 60;
      if (auto retry = RetryAfterSeconds(response->Header("retry-after"), NowMillis())) {
        wait = *retry;
      } else if (auto reset = ResetSeconds(*response)) {
        wait = *reset;
      }
      blocked_until_ = NowMillis() + wait * 1000;
    }
    if (response->status < 200 || response->status >= 300) {
      Status status = HttpStatusError(*response, request.url);
      std::string message = status.message();
      if (response->status == 429 && response->Header("retry-after").empty()) {
        if (auto reset = ResetSeconds(*response)) {
          message += ", rate limit resets in " + std::to_string(*reset) + " s";
        }
      }
      if (std::string detail = BlueskyErrorMessage(response->body); !detail.empty()) {
        message += ": " + detail;
      }
      return Status(status.code(), message);
    }
    auto page = ParseBlueskyPosts(response->body, spec_.name);
    if (!page.ok()) {
      return Status::ParseError(request.method + " " + RedactUrl(request.url) + ": " +
                                page.status().message());
    }
    return page;
  }

  // RateLimit-Reset is the Unix second the window resets at.
  static std::optional<int64_t> ResetSeconds(const HttpResponse& response) {
    const std::string reset = response.Header("ratelimit-reset");
    if (reset.empty() || reset.size() > 12 ||
        !std::all_of(reset.begin(), reset.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::nullopt;
    }
    const int64_t at = std::stoll(reset);
    return std::max<int64_t>(0, at - NowMillis() / 1000);
  }

  Status Scrub(const Status& status) const { return session_ ? session_->Scrub(status) : status; }

  SourceSpec spec_;
  HttpClient& http_;
  HttpRequest request_;
  std::unique_ptr<BlueskySession> session_;
  std::string service_url_;
  std::string query_;
  int64_t limit_ = kMaxLimit;
  int64_t max_pages_ = 5;
  int64_t lookback_ms_ = 86'400'000;
  UnixMillis blocked_until_ = 0;
};

}  // namespace

ConnectorDescriptor BlueskyConnectorDescriptor() {
  ConnectorDescriptor d;
  d.kind = "bluesky";
  d.summary = "Bluesky posts matching a search (app.bsky.feed.searchPosts, newest first)";
  d.settings = {
      {"query", SettingType::kString, true, "",
       "search terms (Lucene-like syntax: \"exact phrase\", from:handle, #tag, lang:en)"},
      {"identifier", SettingType::kString, false, "",
       "the account's handle, DID or e-mail; with app_password, search through the account"},
      {"app_password", SettingType::kSecret, false, "",
       "an app password (Settings > App passwords), or app_password_file"},
      {"service_url", SettingType::kString, false, "",
       "where searchPosts is asked: default https://public.api.bsky.app, or auth_url when "
       "signed in"},
      {"auth_url", SettingType::kString, false, kDefaultAuthUrl,
       "the PDS (or entryway) that creates sessions"},
      {"lookback", SettingType::kDuration, false, "1d", "how far back the first poll reaches"},
      {"max_pages", SettingType::kInt, false, "5", "pages read per poll at most; more: catch up"},
      {"limit", SettingType::kInt, false, "100", "posts per page, 1 to 100"},
      {"timeout", SettingType::kDuration, false, "30s", "total time allowed for one request"},
      {"max_bytes", SettingType::kInt, false, "16777216", "larger bodies are refused"},
      {"user_agent", SettingType::kString, false, "", "overrides http.user_agent"},
  };
  d.create = [](const SourceSpec& spec, HttpClient& http) -> Result<std::unique_ptr<Connector>> {
    if (spec.settings.Get("query").empty()) {
      return Status::InvalidArgument("query must not be empty");
    }
    const bool has_identifier = !spec.settings.Get("identifier").empty();
    const bool has_password = !spec.settings.Get("app_password").empty();
    if (has_identifier != has_password) {
      return Status::InvalidArgument("set both identifier and app_password, or neither");
    }
    for (const char* key : {"service_url", "auth_url"}) {
      const std::string url = spec.settings.Get(key, "https://");
      if (!url.empty() && !IsHttpUrl(url)) {
        return Status::InvalidArgument(
            std::string(key) + " must start with http:// or https://, got " + RedactUrl(url));
      }
    }
    const int64_t limit = spec.settings.GetInt("limit", kMaxLimit);
    if (limit < 1 || limit > kMaxLimit) {
      return Status::InvalidArgument("limit must be from 1 to 100, got " + std::to_string(limit));
    }
    if (spec.settings.GetInt("max_pages", 5) < 1) {
      return Status::InvalidArgument("max_pages must be at least 1");
    }
    return std::unique_ptr<Connector>(new BlueskyConnector(spec, http));
  };
  d.parse = [](std::string_view body, const std::string& source) -> Result<std::vector<Mention>> {
    auto page = ParseBlueskyPosts(body, source);
    if (!page.ok()) return page.status();
    return std::move(page->mentions);
  };
  return d;
}

}  // namespace earshot
