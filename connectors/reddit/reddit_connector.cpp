#include "connectors/reddit/reddit_connector.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include "connectors/http/http_client.h"
#include "connectors/http/http_errors.h"
#include "connectors/http/redact.h"
#include "connectors/reddit/reddit_listing.h"
#include "connectors/reddit/reddit_rate_limit.h"
#include "connectors/reddit/reddit_token.h"
#include "connectors/url_query.h"
#include "core/time.h"

namespace earshot {
namespace {

constexpr const char* kDefaultAuthUrl = "https://www.reddit.com";
constexpr const char* kDefaultApiUrl = "https://oauth.reddit.com";
constexpr int64_t kMaxLimit = 100;

std::string TrimSlashes(std::string url) {
  while (!url.empty() && url.back() == '/')
    url.pop_back();
  return url;
}

// "r/voltwave", "/r/voltwave/" -> "voltwave"; "a+b" (several subreddits) stays.
std::string Subreddit(const Settings& settings) {
  std::string sub = settings.Get("subreddit");
  while (!sub.empty() && sub.front() == '/')
    sub.erase(0, 1);
  if (sub.rfind("r/", 0) == 0) sub.erase(0, 2);
  while (!sub.empty() && sub.back() == '/')
    sub.pop_back();
  return sub;
}

bool ValidSubreddit(const std::string& sub) {
  return !sub.empty() && std::all_of(sub.begin(), sub.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '+';
  });
}

// The position: the newest fullname seen and its creation second, "t3_1g5abcd@1729156492".
struct Anchor {
  std::string fullname;
  int64_t created = 0;
};

bool ValidFullname(std::string_view name) {
  return name.size() >= 4 && name.size() <= 24 && name[0] == 't' &&
         std::isdigit(static_cast<unsigned char>(name[1])) && name[2] == '_' &&
         std::all_of(name.begin() + 3, name.end(), [](char c) {
           return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'z');
         });
}

std::optional<Anchor> ParseAnchor(std::string_view position) {
  Anchor anchor;
  const size_t at = position.find('@');
  anchor.fullname = std::string(position.substr(0, at));
  if (!ValidFullname(anchor.fullname)) return std::nullopt;
  if (at != std::string_view::npos) {
    std::string_view t = position.substr(at + 1);
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), anchor.created);
    if (t.empty() || ec != std::errc() || end != t.data() + t.size() || anchor.created < 0) {
      return std::nullopt;
    }
  }
  return anchor;
}

std::string FormatAnchor(const Anchor& a) {
  return a.created > 0 ? a.fullname + "@" + std::to_string(a.created) : a.fullname;
}

class RedditConnector : public Connector {
 public:
  RedditConnector(const SourceSpec& spec, HttpClient& http)
      : spec_(spec),
        http_(http),
        client_id_(spec.settings.Get("client_id")),
        client_secret_(spec.settings.Get("client_secret")),
        tokens_(Credentials(spec)) {
    limit_ = std::clamp<int64_t>(spec.settings.GetInt("limit", kMaxLimit), 1, kMaxLimit);
    const std::string api = TrimSlashes(spec.settings.Get("api_url", kDefaultApiUrl));
    const std::string sub = Subreddit(spec.settings);
    const std::string query = spec.settings.Get("query");
    const std::string common = "limit=" + std::to_string(limit_) + "&raw_json=1";
    if (query.empty()) {
      base_url_ = api + "/r/" + sub + "/" + spec.settings.Get("listing", "new") + "?" + common;
    } else if (sub.empty()) {
      base_url_ = api + "/search?q=" + PercentEncode(query) + "&sort=new&" + common;
    } else {
      base_url_ = api + "/r/" + sub + "/search?q=" + PercentEncode(query) +
                  "&restrict_sr=1&sort=new&" + common;
    }
    request_.timeout_ms = spec.settings.GetDurationMillis("timeout", 30'000);
    request_.connect_timeout_ms = std::min(request_.connect_timeout_ms, request_.timeout_ms);
    request_.max_body_bytes =
        static_cast<size_t>(std::max<int64_t>(0, spec.settings.GetInt("max_bytes", 16 << 20)));
    request_.user_agent = spec.settings.Get("user_agent");
    request_.headers.emplace_back("Accept", "application/json");
  }

  Result<PollResult> Poll(const SourceCursor& cursor, const std::atomic<bool>& stop) override {
    if (auto wait = BlockedSeconds()) {
      return Status::Unavailable("reddit rate limit used up: resets in " + std::to_string(*wait) +
                                 " s");
    }
    PollResult result;
    result.next_cursor = cursor;
    std::optional<Anchor> anchor = ParseAnchor(cursor.position);
    if (!anchor && !cursor.position.empty()) {
      result.warnings.push_back("unreadable cursor '" + cursor.position +
                                "': reading the newest items");
    }
    auto listing = Fetch(anchor ? anchor->fullname : "", stop, &result);
    if (!listing.ok()) return Scrub(listing.status());
    if (anchor && anchor->created > 0 && listing->children == 0 && !BlockedSeconds()) {
      // before= an item since deleted or removed answers nothing, forever: look without it and
      // keep what is newer than the anchor.
      auto newest = Fetch("", stop, &result);
      if (!newest.ok()) return Scrub(newest.status());
      std::vector<Mention> newer;
      for (auto& m : newest->mentions) {
        if (m.created_at / 1000 >= anchor->created && m.external_id != anchor->fullname) {
          newer.push_back(std::move(m));
        }
      }
      if (!newer.empty()) {
        result.warnings.push_back("cursor " + anchor->fullname +
                                  " no longer listed (deleted or removed): went on from the "
                                  "newest items");
        newest->mentions = std::move(newer);
        listing = std::move(newest);
      }
    }
    if (!listing->newest.empty() && listing->newest != (anchor ? anchor->fullname : "")) {
      result.next_cursor.position = FormatAnchor({listing->newest, listing->newest_created});
    }
    // After before=, a full page is the oldest slice of what is new: more may follow it.
    result.has_more =
        anchor && listing->children >= static_cast<size_t>(limit_) && !BlockedSeconds();
    const UnixMillis now = NowMillis();
    result.mentions = std::move(listing->mentions);
    for (auto& m : result.mentions) {
      m.fetched_at = now;
      if (!spec_.lang.empty()) m.lang = spec_.lang;
    }
    return result;
  }

 private:
  static RedditCredentials Credentials(const SourceSpec& spec) {
    RedditCredentials c;
    c.token_url =
        TrimSlashes(spec.settings.Get("auth_url", kDefaultAuthUrl)) + "/api/v1/access_token";
    c.client_id = spec.settings.Get("client_id");
    c.client_secret = spec.settings.Get("client_secret");
    c.user_agent = spec.settings.Get("user_agent");
    c.timeout_ms = spec.settings.GetDurationMillis("timeout", 30'000);
    return c;
  }

  std::optional<int64_t> BlockedSeconds() const {
    const UnixMillis now = NowMillis();
    if (blocked_until_ <= now) return std::nullopt;
    return (blocked_until_ - now + 999) / 1000;
  }

  // One listing request, with a fresh token and one retry when Reddit refuses the cached one.
  Result<RedditListing> Fetch(const std::string& before, const std::atomic<bool>& stop,
                              PollResult* result) {
    HttpRequest request = request_;
    request.url = base_url_ + (before.empty() ? "" : "&before=" + before);
    Result<HttpResponse> response = Status::Aborted("not sent");
    for (int attempt = 0; attempt < 2; ++attempt) {
      auto token = tokens_.Get(http_, &stop);
      if (!token.ok()) return token.status();
      token_ = *token;
      request.headers = request_.headers;
      request.headers.emplace_back("Authorization", "bearer " + *token);
      response = http_.Send(request, &stop);
      if (!response.ok()) return response.status();
      if (response->status != 401) break;
      tokens_.Invalidate();  // expired early or revoked: one new token, one more try
    }
    result->http_status = response->status;
    const RedditRateLimit limit = ReadRedditRateLimit(*response);
    if (response->status == 429 || limit.Exhausted()) {
      int64_t wait = limit.reset_seconds.value_or(60);
      if (auto retry = RetryAfterSeconds(response->Header("retry-after"), NowMillis())) {
        wait = *retry;
      }
      blocked_until_ = NowMillis() + wait * 1000;
      if (response->status == 200) {
        result->warnings.push_back("reddit rate limit used up: no request for " +
                                   std::to_string(wait) + " s");
      }
    }
    if (response->status < 200 || response->status >= 300) {
      return ResponseError(*response, request.url, limit);
    }
    auto listing = ParseRedditListing(response->body, spec_.name);
    if (!listing.ok()) {
      return Status::ParseError(request.method + " " + RedactUrl(request.url) + ": " +
                                listing.status().message());
    }
    result->warnings.insert(result->warnings.end(), listing->warnings.begin(),
                            listing->warnings.end());
    return listing;
  }

  static Status ResponseError(const HttpResponse& response, const std::string& url,
                              const RedditRateLimit& limit) {
    Status status = HttpStatusError(response, url);
    std::string message = status.message();
    if (response.status == 429 && response.Header("retry-after").empty() && limit.reset_seconds) {
      message += ", rate limit resets in " + std::to_string(*limit.reset_seconds) + " s";
    }
    if (response.status == 401) {
      message += ": a new token was refused too";
    } else if (std::string detail = RedditErrorMessage(response.body); !detail.empty()) {
      message += ": " + detail;
    }
    return Status(status.code(), message);
  }

  Status Scrub(const Status& status) const {
    return ScrubSecrets(status, {client_secret_, client_id_, token_});
  }

  SourceSpec spec_;
  HttpClient& http_;
  std::string client_id_;
  std::string client_secret_;
  std::string token_;  // the last one used, to keep it out of messages
  RedditTokenSource tokens_;
  HttpRequest request_;
  std::string base_url_;  // without before=
  int64_t limit_ = kMaxLimit;
  UnixMillis blocked_until_ = 0;
};

}  // namespace

ConnectorDescriptor RedditConnectorDescriptor() {
  ConnectorDescriptor d;
  d.kind = "reddit";
  d.summary = "new posts or comments in subreddits, or a Reddit search (OAuth app-only)";
  d.settings = {
      {"subreddit", SettingType::kString, false, "",
       "subreddit name, or several joined with + (with query: search only there)"},
      {"query", SettingType::kString, false, "", "a search, newest first"},
      {"listing", SettingType::kString, false, "new", "without query: new (posts) or comments"},
      {"client_id", SettingType::kSecret, true, "", "the Reddit app's id (or client_id_file)"},
      {"client_secret", SettingType::kSecret, true, "",
       "the Reddit app's secret (or client_secret_file)"},
      {"user_agent", SettingType::kString, false, "",
       "Reddit asks for <platform>:<app id>:<version> (by /u/<name>)"},
      {"limit", SettingType::kInt, false, "100", "items per request, 1 to 100"},
      {"auth_url", SettingType::kString, false, kDefaultAuthUrl, "where tokens are requested"},
      {"api_url", SettingType::kString, false, kDefaultApiUrl, "the OAuth API's root"},
      {"timeout", SettingType::kDuration, false, "30s", "total time allowed for one request"},
      {"max_bytes", SettingType::kInt, false, "16777216", "larger bodies are refused"},
  };
  d.create = [](const SourceSpec& spec, HttpClient& http) -> Result<std::unique_ptr<Connector>> {
    const std::string sub = Subreddit(spec.settings);
    const std::string query = spec.settings.Get("query");
    if (sub.empty() && query.empty()) {
      return Status::InvalidArgument("set subreddit, query or both");
    }
    if (!sub.empty() && !ValidSubreddit(sub)) {
      return Status::InvalidArgument("subreddit '" + sub +
                                     "' may use only letters, digits, '_' and '+'");
    }
    const std::string listing = spec.settings.Get("listing", "new");
    if (listing != "new" && listing != "comments") {
      return Status::InvalidArgument("listing must be new or comments, got '" + listing + "'");
    }
    if (spec.settings.Get("client_id").empty() || spec.settings.Get("client_secret").empty()) {
      return Status::InvalidArgument("client_id and client_secret are required");
    }
    for (const char* key : {"auth_url", "api_url"}) {
      const std::string url = spec.settings.Get(key, "https://");
      if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
        return Status::InvalidArgument(std::string(key) + " must start with http:// or https://");
      }
    }
    const int64_t limit = spec.settings.GetInt("limit", kMaxLimit);
    if (limit < 1 || limit > kMaxLimit) {
      return Status::InvalidArgument("limit must be from 1 to 100, got " + std::to_string(limit));
    }
    return std::unique_ptr<Connector>(new RedditConnector(spec, http));
  };
  d.parse = [](std::string_view body, const std::string& source) -> Result<std::vector<Mention>> {
    auto listing = ParseRedditListing(body, source);
    if (!listing.ok()) return listing.status();
    return std::move(listing->mentions);
  };
  return d;
}

}  // namespace earshot
