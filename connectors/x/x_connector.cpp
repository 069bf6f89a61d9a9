#include "connectors/x/x_connector.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "connectors/http/http_errors.h"
#include "connectors/http/redact.h"
#include "connectors/http_source.h"
#include "connectors/token_window.h"
#include "connectors/url_query.h"
#include "connectors/x/x_posts.h"
#include "connectors/x/x_rate_limit.h"

namespace earshot {
namespace {

constexpr const char* kDefaultApiUrl = "https://api.x.com/2";
constexpr const char* kTweetFields =
    "created_at,lang,public_metrics,author_id,conversation_id,in_reply_to_user_id,"
    "referenced_tweets";
constexpr const char* kUserFields = "username,name,public_metrics";

// Post ids are 64-bit numbers that grow with time ("1861234567890123456").
int64_t IdValue(const std::string& id) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), v);
  if (ec == std::errc::result_out_of_range) return INT64_MAX;
  return ec == std::errc() && end == id.data() + id.size() ? v : 0;
}

class XConnector : public Connector {
 public:
  XConnector(const SourceSpec& spec, HttpClient& http) : spec_(spec), http_(http) {
    api_url_ = TrimTrailingSlashes(spec.settings.Get("api_url", kDefaultApiUrl));
    query_ = spec.settings.Get("query");
    token_ = spec.settings.Get("bearer_token");
    max_results_ = std::clamp<int64_t>(spec.settings.GetInt("max_results", 100), 10, 100);
    max_pages_ = std::max<int64_t>(1, spec.settings.GetInt("max_pages", 5));
    request_ = BaseJsonRequest(spec.settings);
    request_.headers.emplace_back("Authorization", "Bearer " + token_);
  }

  Result<PollResult> Poll(const SourceCursor& cursor, const std::atomic<bool>& stop) override {
    if (Status held = hold_.Check("x"); !held.ok()) return held;
    PollResult result;
    result.next_cursor = cursor;
    TokenWindow window;
    if (auto w = ParseTokenWindow(cursor.position)) {
      window = *w;
    } else if (!cursor.position.empty()) {
      result.warnings.push_back("unreadable cursor '" + cursor.position +
                                "': reading the newest posts");
    }
    const bool first = window.since == 0 && !window.resuming;
    std::string next_token = window.resuming ? window.token : "";
    int64_t newest = window.newest;
    std::set<std::string> seen;
    bool complete = false;
    for (int64_t page_number = 1; page_number <= max_pages_; ++page_number) {
      HttpRequest request = request_;
      QueryParams params = {{"query", query_}, {"max_results", std::to_string(max_results_)}};
      if (window.since > 0) params.emplace_back("since_id", std::to_string(window.since));
      if (!next_token.empty()) params.emplace_back("next_token", next_token);
      params.emplace_back("tweet.fields", kTweetFields);
      params.emplace_back("expansions", "author_id");
      params.emplace_back("user.fields", kUserFields);
      request.url = WithQuery(api_url_ + "/tweets/search/recent", params);
      auto page = Fetch(request, stop, &result);
      if (!page.ok()) {
        if (page_number == 1 || page.status().code() == Status::Code::kAborted) {
          return Scrub(page.status());
        }
        // Keep what was read; the next poll goes on from the page that failed.
        result.warnings.push_back("stopped after " + std::to_string(page_number - 1) +
                                  " pages: " + Scrub(page.status()).message());
        break;
      }
      for (auto& w : page->warnings)
        result.warnings.push_back("page " + std::to_string(page_number) + ": " + w);
      for (size_t i = 0; i < page->mentions.size(); ++i) {
        Mention& m = page->mentions[i];
        // An edit is a newer post under its first post's id: the window goes by the newer one.
        const int64_t id = IdValue(i < page->post_ids.size() ? page->post_ids[i] : m.external_id);
        if (id <= window.since) continue;
        newest = std::max(newest, id);
        if (seen.insert(m.external_id).second) result.mentions.push_back(std::move(m));
      }
      next_token = page->next_token;
      if (next_token.empty()) {
        complete = true;
        break;
      }
      if (hold_.Remaining()) break;
    }
    if (complete || first) {
      if (!complete) {
        result.warnings.push_back("first poll: read the newest " + std::to_string(max_pages_) +
                                  " pages, older posts are not backfilled");
      }
      result.next_cursor.position = FormatTokenWindow({newest, newest, false, 0, ""});
    } else {
      result.next_cursor.position = FormatTokenWindow({window.since, newest, true, 0, next_token});
      result.has_more = !hold_.Remaining();
    }
    FinishMentions(&result.mentions, spec_);
    return result;
  }

 private:
  Result<XSearchPage> Fetch(const HttpRequest& request, const std::atomic<bool>& stop,
                            PollResult* result) {
    auto response = http_.Send(request, &stop);
    if (!response.ok()) return response.status();
    result->http_status = response->status;
    const XRateLimit limit = ReadXRateLimit(*response);
    if (limit.Exhausted() && limit.reset_at) hold_.Until(*limit.reset_at, "rate limit used up");
    if (response->status < 200 || response->status >= 300) {
      Status status = HttpStatusError(*response, request.url);
      std::string message = status.message();
      if (const std::string detail = XErrorMessage(response->body); !detail.empty()) {
        message += ": " + detail;
      }
      if (response->status == 429) {
        const UnixMillis now = NowMillis();
        if (limit.reset_at && *limit.reset_at > now) {
          message += "; the rate limit resets in " +
                     std::to_string((*limit.reset_at - now + 999) / 1000) + " s";
          hold_.Until(*limit.reset_at, "rate limited");
        } else {
          hold_.For(RetryAfterSeconds(response->Header("retry-after"), now).value_or(60),
                    "rate limited");
        }
      } else if (response->status == 401 || response->status == 403) {
        message += " (check bearer_token and the app's access level)";
      }
      return Status(status.code(), message);
    }
    auto page = ParseXSearchPage(response->body, spec_.name);
    if (!page.ok()) return BodyError(request, page.status());
    return page;
  }

  Status Scrub(const Status& status) const { return ScrubSecrets(status, {token_}); }

  SourceSpec spec_;
  HttpClient& http_;
  HttpRequest request_;
  std::string api_url_, query_, token_;
  int64_t max_results_ = 100;
  int64_t max_pages_ = 5;
  RequestHold hold_;
};

}  // namespace

ConnectorDescriptor XConnectorDescriptor() {
  ConnectorDescriptor d;
  d.kind = "x";
  d.summary = "X (Twitter) posts matching a query, from the API v2 recent search (last 7 days)";
  d.settings = {
      {"query", SettingType::kString, true, "",
       "a search query, e.g. \"voltwave -is:retweet\" (512 characters on Basic)"},
      {"bearer_token", SettingType::kSecret, true, "", "the app's bearer token (app-only auth)"},
      {"max_results", SettingType::kInt, false, "100", "posts per page, 10 to 100"},
      {"max_pages", SettingType::kInt, false, "5", "pages read per poll at most; more: catch up"},
      {"api_url", SettingType::kString, false, kDefaultApiUrl, "the API's root URL"},
  };
  for (auto& s : CommonHttpSettings())
    d.settings.push_back(std::move(s));
  d.create = [](const SourceSpec& spec, HttpClient& http) -> Result<std::unique_ptr<Connector>> {
    if (spec.settings.Get("query").empty()) {
      return Status::InvalidArgument("query must not be empty");
    }
    const std::string token = spec.settings.Get("bearer_token");
    if (token.empty()) return Status::InvalidArgument("bearer_token must not be empty");
    if (token.find_first_of("\r\n") != std::string::npos) {
      return Status::InvalidArgument("bearer_token must be one line");
    }
    if (!IsHttpUrl(spec.settings.Get("api_url", kDefaultApiUrl))) {
      return Status::InvalidArgument("api_url must start with http:// or https://");
    }
    const int64_t max_results = spec.settings.GetInt("max_results", 100);
    if (max_results < 10 || max_results > 100) {
      return Status::InvalidArgument("max_results must be from 10 to 100, got " +
                                     std::to_string(max_results));
    }
    if (spec.settings.GetInt("max_pages", 5) < 1) {
      return Status::InvalidArgument("max_pages must be at least 1");
    }
    return std::unique_ptr<Connector>(new XConnector(spec, http));
  };
  d.parse = [](std::string_view body, const std::string& source) -> Result<std::vector<Mention>> {
    auto page = ParseXSearchPage(body, source);
    if (!page.ok()) return page.status();
    return std::move(page->mentions);
  };
  return d;
}

}  // namespace earshot
