#include "connectors/youtube/youtube_connector.h"

#include <algorithm>
#include <set>
#include <utility>

#include "connectors/http/http_errors.h"
#include "connectors/http/redact.h"
#include "connectors/http_source.h"
#include "connectors/token_window.h"
#include "connectors/url_query.h"
#include "connectors/youtube/youtube_comments.h"
#include "connectors/youtube/youtube_quota.h"

namespace earshot {
namespace {

constexpr const char* kDefaultApiUrl = "https://www.googleapis.com/youtube/v3";
constexpr int64_t kDayMs = 86'400'000;

// One commentThreads query: ("videoId", id) or ("allThreadsRelatedToChannelId", id).
using Target = std::pair<std::string, std::string>;

std::vector<Target> Targets(const Settings& settings) {
  std::vector<Target> targets;
  for (const auto& id : settings.GetList("video_ids")) {
    if (!id.empty()) targets.emplace_back("videoId", id);
  }
  if (const std::string channel = settings.Get("channel_id"); !channel.empty()) {
    targets.emplace_back("allThreadsRelatedToChannelId", channel);
  }
  return targets;
}

// A fetch that failed: `skip` when only this target is unreadable (comments disabled, video
// gone), so the others are still read.
struct Failure {
  Status status;
  bool skip = false;
};

class YouTubeConnector : public Connector {
 public:
  YouTubeConnector(const SourceSpec& spec, HttpClient& http) : spec_(spec), http_(http) {
    api_url_ = TrimTrailingSlashes(spec.settings.Get("api_url", kDefaultApiUrl));
    key_ = spec.settings.Get("api_key");
    targets_ = Targets(spec.settings);
    max_results_ = std::clamp<int64_t>(spec.settings.GetInt("max_results", 100), 1, 100);
    max_pages_ = std::max<int64_t>(1, spec.settings.GetInt("max_pages", 5));
    lookback_ms_ = spec.settings.GetDurationMillis("lookback", kDayMs);
    request_ = BaseJsonRequest(spec.settings);
  }

  Result<PollResult> Poll(const SourceCursor& cursor, const std::atomic<bool>& stop) override {
    if (Status held = hold_.Check("youtube"); !held.ok()) return held;
    PollResult result;
    result.next_cursor = cursor;
    TokenWindow window;
    if (auto w = ParseTokenWindow(cursor.position);
        w && (!w->resuming || w->target < static_cast<int64_t>(targets_.size()))) {
      window = *w;
    } else {
      if (!cursor.position.empty()) {
        result.warnings.push_back("unreadable cursor '" + cursor.position + "': looking back " +
                                  std::to_string(lookback_ms_ / 1000) + " s");
      }
      window.since = window.newest = std::max<int64_t>(0, NowMillis() - lookback_ms_);
    }
    int64_t newest = window.newest;
    int64_t pages = 0;
    std::set<std::string> seen;
    const size_t first_target = window.resuming ? static_cast<size_t>(window.target) : 0;
    auto first_token = [&](size_t t) {
      return window.resuming && t == first_target ? window.token : std::string();
    };
    // Every video's first page at once: most polls need no more, and several videos then
    // answer in the time of one. Pages past the first follow one by one, as tokens arrive.
    std::vector<HttpRequest> first_pages;
    for (size_t t = first_target;
         t < targets_.size() && static_cast<int64_t>(first_pages.size()) < max_pages_; ++t) {
      first_pages.push_back(PageRequest(t, first_token(t)));
    }
    std::vector<Result<HttpResponse>> first_answers = http_.SendAll(first_pages, &stop);
    for (size_t t = first_target; t < targets_.size(); ++t) {
      std::string token = first_token(t);
      size_t answer = t - first_target;  // the prefetched first page, while there is one
      bool done = false;
      while (!done) {
        if (pages >= max_pages_ || hold_.Remaining()) {
          // Out of pages for this poll: the next one goes on from here.
          result.next_cursor.position =
              FormatTokenWindow({window.since, newest, true, static_cast<int64_t>(t), token});
          result.has_more = !hold_.Remaining();
          FinishMentions(&result.mentions, spec_);
          return result;
        }
        HttpRequest request = PageRequest(t, token);
        ++pages;
        bool skip = false;
        Result<HttpResponse> sent = answer < first_answers.size() ? std::move(first_answers[answer])
                                                                  : http_.Send(request, &stop);
        answer = first_answers.size();
        auto page = Fetch(request, std::move(sent), &result, &skip);
        if (!page.ok()) {
          if (skip) {
            result.warnings.push_back(targets_[t].second +
                                      " skipped: " + Scrub(page.status()).message());
            break;
          }
          if (result.mentions.empty() || page.status().code() == Status::Code::kAborted) {
            return Scrub(page.status());
          }
          // Keep what was read; the next poll goes on from the page that failed.
          result.warnings.push_back("stopped: " + Scrub(page.status()).message());
          result.next_cursor.position =
              FormatTokenWindow({window.since, newest, true, static_cast<int64_t>(t), token});
          FinishMentions(&result.mentions, spec_);
          return result;
        }
        for (auto& w : page->warnings)
          result.warnings.push_back(targets_[t].second + ": " + w);
        for (auto& m : page->mentions) {
          if (m.created_at > 0 && m.created_at <= window.since) {
            done = true;  // newest first: the rest was read before
            continue;
          }
          newest = std::max(newest, m.created_at);
          if (seen.insert(m.external_id).second) result.mentions.push_back(std::move(m));
        }
        token = page->next_page_token;
        if (token.empty() || page->items == 0) done = true;
      }
    }
    result.next_cursor.position = FormatTokenWindow({newest, newest, false, 0, ""});
    FinishMentions(&result.mentions, spec_);
    return result;
  }

 private:
  HttpRequest PageRequest(size_t target, const std::string& token) const {
    HttpRequest request = request_;
    QueryParams params = {{"part", "snippet"},
                          {targets_[target].first, targets_[target].second},
                          {"order", "time"},
                          {"maxResults", std::to_string(max_results_)}};
    if (!token.empty()) params.emplace_back("pageToken", token);
    params.emplace_back("textFormat", "plainText");
    params.emplace_back("key", key_);
    request.url = WithQuery(api_url_ + "/commentThreads", params);
    return request;
  }

  Result<YouTubeCommentPage> Fetch(const HttpRequest& request, Result<HttpResponse> response,
                                   PollResult* result, bool* skip) {
    if (!response.ok()) return response.status();
    result->http_status = response->status;
    if (response->status < 200 || response->status >= 300) {
      Failure failure = FailureOf(*response, request.url);
      *skip = failure.skip;
      return failure.status;
    }
    auto page = ParseYouTubeCommentThreads(response->body, spec_.name);
    if (!page.ok()) return BodyError(request, page.status());
    return page;
  }

  Failure FailureOf(const HttpResponse& response, const std::string& url) {
    Status status = HttpStatusError(response, url);
    std::string message = status.message();
    Status::Code code = status.code();
    Failure failure;
    const auto error = ParseYouTubeError(response.body);
    if (error) message += ": " + error->ToString();
    const std::string reason = error ? error->reason : "";
    if (reason == "quotaExceeded" || reason == "dailyLimitExceeded") {
      code = Status::Code::kUnavailable;
      hold_.Until(NextPacificMidnight(NowMillis()),
                  "daily quota used up, resets at midnight "
                  "Pacific time");
      message += " (the quota resets at midnight Pacific time)";
    } else if (reason == "rateLimitExceeded" || reason == "userRateLimitExceeded" ||
               response.status == 429) {
      code = Status::Code::kUnavailable;
      hold_.For(RetryAfterSeconds(response.Header("retry-after"), NowMillis()).value_or(60),
                "rate limited");
    } else if (reason == "commentsDisabled" || reason == "videoNotFound" ||
               reason == "channelNotFound") {
      failure.skip = true;
    } else if (reason == "keyInvalid" || (response.status == 400 && reason == "badRequest" &&
                                          message.find("API key") != std::string::npos)) {
      message += " (check api_key)";
    } else if (response.status == 503) {
      hold_.For(RetryAfterSeconds(response.Header("retry-after"), NowMillis()).value_or(0),
                "unavailable");
    }
    failure.status = Status(code, message);
    return failure;
  }

  Status Scrub(const Status& status) const { return ScrubSecrets(status, {key_}); }

  SourceSpec spec_;
  HttpClient& http_;
  HttpRequest request_;
  std::string api_url_, key_;
  std::vector<Target> targets_;
  int64_t max_results_ = 100;
  int64_t max_pages_ = 5;
  int64_t lookback_ms_ = kDayMs;
  RequestHold hold_;
};

}  // namespace

ConnectorDescriptor YouTubeConnectorDescriptor() {
  ConnectorDescriptor d;
  d.kind = "youtube";
  d.summary = "YouTube comments on videos or a whole channel (Data API v3 commentThreads)";
  d.settings = {
      {"api_key", SettingType::kSecret, true, "",
       "a Google Cloud API key with the YouTube Data "
       "API v3 enabled"},
      {"video_ids", SettingType::kStringList, false, "", "the videos whose comments are read"},
      {"channel_id", SettingType::kString, false, "",
       "a channel (UC...): comments on all its videos"},
      {"lookback", SettingType::kDuration, false, "1d", "how far back the first poll reaches"},
      {"max_pages", SettingType::kInt, false, "5",
       "pages read per poll at most, over all videos; more: catch up"},
      {"max_results", SettingType::kInt, false, "100", "comment threads per page, 1 to 100"},
      {"api_url", SettingType::kString, false, kDefaultApiUrl, "the API's root URL"},
  };
  for (auto& s : CommonHttpSettings())
    d.settings.push_back(std::move(s));
  d.create = [](const SourceSpec& spec, HttpClient& http) -> Result<std::unique_ptr<Connector>> {
    if (spec.settings.Get("api_key").empty()) {
      return Status::InvalidArgument("api_key must not be empty");
    }
    if (Targets(spec.settings).empty()) {
      return Status::InvalidArgument("set video_ids or channel_id");
    }
    if (!IsHttpUrl(spec.settings.Get("api_url", kDefaultApiUrl))) {
      return Status::InvalidArgument("api_url must start with http:// or https://");
    }
    const int64_t max_results = spec.settings.GetInt("max_results", 100);
    if (max_results < 1 || max_results > 100) {
      return Status::InvalidArgument("max_results must be from 1 to 100, got " +
                                     std::to_string(max_results));
    }
    if (spec.settings.GetInt("max_pages", 5) < 1) {
      return Status::InvalidArgument("max_pages must be at least 1");
    }
    return std::unique_ptr<Connector>(new YouTubeConnector(spec, http));
  };
  d.parse = [](std::string_view body, const std::string& source) -> Result<std::vector<Mention>> {
    auto page = ParseYouTubeCommentThreads(body, source);
    if (!page.ok()) return page.status();
    return std::move(page->mentions);
  };
  return d;
}

}  // namespace earshot
