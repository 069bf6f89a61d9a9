#include "connectors/hackernews/hackernews_connector.h"

#include <algorithm>
#include <set>

#include "connectors/hackernews/hackernews_cursor.h"
#include "connectors/hackernews/hackernews_page.h"
#include "connectors/http/http_client.h"
#include "connectors/http/http_errors.h"
#include "connectors/http/redact.h"
#include "connectors/url_query.h"
#include "core/time.h"

namespace earshot {
namespace {

constexpr int64_t kHitsPerPage = 100;
constexpr const char* kDefaultBaseUrl = "https://hn.algolia.com/api/v1";

// "HTTP 400 from <url>: Invalid value for `numericFilters`", with Retry-After for 429 and 503.
Status ResponseError(const HttpResponse& response, const std::string& url) {
  Status status = HttpStatusError(response, url);
  const std::string detail = HackerNewsErrorMessage(response.body);
  if (detail.empty()) return status;
  return Status(status.code(), status.message() + ": " + detail);
}

class HackerNewsConnector : public Connector {
 public:
  HackerNewsConnector(const SourceSpec& spec, HttpClient& http) : spec_(spec), http_(http) {
    base_url_ = spec.settings.Get("base_url", kDefaultBaseUrl);
    while (!base_url_.empty() && base_url_.back() == '/')
      base_url_.pop_back();
    query_ = spec.settings.Get("query");
    tags_ = spec.settings.Get("tags", "(story,comment)");
    lookback_seconds_ = spec.settings.GetDurationMillis("lookback", 86'400'000) / 1000;
    max_pages_ = std::max<int64_t>(1, spec.settings.GetInt("max_pages", 10));
    request_.timeout_ms = spec.settings.GetDurationMillis("timeout", 30'000);
    request_.connect_timeout_ms = std::min(request_.connect_timeout_ms, request_.timeout_ms);
    request_.max_body_bytes =
        static_cast<size_t>(std::max<int64_t>(0, spec.settings.GetInt("max_bytes", 16 << 20)));
    request_.user_agent = spec.settings.Get("user_agent");
    request_.headers.emplace_back("Accept", "application/json");
  }

  Result<PollResult> Poll(const SourceCursor& cursor, const std::atomic<bool>& stop) override {
    PollResult result;
    result.next_cursor = cursor;
    HackerNewsPosition window = StartingWindow(cursor.position, &result.warnings);
    std::set<std::string> seen;
    int64_t newest = window.newest;
    int64_t oldest = 0;  // the smallest created_at_i read in this poll
    bool complete = false;
    bool failed_midway = false;
    int64_t page_number = 0;
    for (; page_number < max_pages_; ++page_number) {
      HttpRequest request = request_;
      request.url = PageUrl(window, page_number);
      auto response = http_.Send(request, &stop);
      Status failed;
      if (!response.ok()) {
        failed = response.status();
      } else {
        result.http_status = response->status;
        if (response->status < 200 || response->status >= 300) {
          failed = ResponseError(*response, request.url);
        }
      }
      Result<HackerNewsPage> page = failed.ok() ? ParseHackerNewsPage(response->body, spec_.name)
                                                : Result<HackerNewsPage>(failed);
      if (failed.ok() && !page.ok()) {
        failed = Status::ParseError(request.method + " " + RedactUrl(request.url) + ": " +
                                    page.status().message());
      }
      if (!failed.ok()) {
        // What earlier pages brought is kept: the next poll resumes below the oldest of it.
        if (page_number == 0 || oldest == 0 || failed.code() == Status::Code::kAborted) {
          return failed;
        }
        result.warnings.push_back("stopped after " + std::to_string(page_number) +
                                  " pages: " + failed.message());
        failed_midway = true;
        break;
      }
      for (auto& w : page->warnings)
        result.warnings.push_back("page " + std::to_string(page_number) + ": " + w);
      for (auto& m : page->mentions) {
        if (seen.insert(m.external_id).second) result.mentions.push_back(std::move(m));
      }
      newest = std::max(newest, page->newest);
      if (page->oldest > 0) oldest = oldest == 0 ? page->oldest : std::min(oldest, page->oldest);
      const int64_t read_so_far = (page_number + 1) * kHitsPerPage;
      const bool last_page = page->nb_pages > 0 ? page_number + 1 >= page->nb_pages
                                                : page->hits < static_cast<size_t>(kHitsPerPage);
      if (page->hits == 0 || (last_page && page->nb_hits <= read_so_far)) {
        complete = true;
        break;
      }
      if (last_page) break;  // Algolia's 1000-hit ceiling: resume below the oldest hit read
    }
    if (complete || oldest == 0) {
      result.next_cursor.position = FormatHackerNewsPosition({newest, std::nullopt, newest});
    } else {
      // Hits in the oldest second read may be read again; never skipped.
      int64_t upper = oldest;
      if (window.upper && upper >= *window.upper) upper = *window.upper - 1;  // no progress
      result.next_cursor.position = FormatHackerNewsPosition({window.since, upper, newest});
      result.has_more = !failed_midway;
    }
    const UnixMillis now = NowMillis();
    for (auto& m : result.mentions) {
      m.fetched_at = now;
      if (!spec_.lang.empty()) m.lang = spec_.lang;
    }
    return result;
  }

 private:
  HackerNewsPosition StartingWindow(const std::string& position,
                                    std::vector<std::string>* warnings) const {
    if (auto p = ParseHackerNewsPosition(position)) {
      if (p->upper && *p->upper <= p->since) return {p->newest, std::nullopt, p->newest};
      return *p;
    }
    if (!position.empty()) {
      warnings->push_back("unreadable cursor '" + position + "': looking back " +
                          std::to_string(lookback_seconds_) + " s");
    }
    const int64_t since = std::max<int64_t>(0, NowMillis() / 1000 - lookback_seconds_);
    return {since, std::nullopt, since};
  }

  std::string PageUrl(const HackerNewsPosition& window, int64_t page) const {
    std::string filters = "created_at_i>" + std::to_string(window.since);
    if (window.upper) filters += ",created_at_i<=" + std::to_string(*window.upper);
    return base_url_ + "/search_by_date?query=" + PercentEncode(query_) +
           "&tags=" + PercentEncode(tags_) + "&numericFilters=" + PercentEncode(filters) +
           "&hitsPerPage=" + std::to_string(kHitsPerPage) + "&page=" + std::to_string(page);
  }

  SourceSpec spec_;
  HttpClient& http_;
  HttpRequest request_;
  std::string base_url_;
  std::string query_;
  std::string tags_;
  int64_t lookback_seconds_ = 86'400;
  int64_t max_pages_ = 10;
};

}  // namespace

ConnectorDescriptor HackerNewsConnectorDescriptor() {
  ConnectorDescriptor d;
  d.kind = "hackernews";
  d.summary = "Hacker News stories and comments matching a query (Algolia HN Search API)";
  d.settings = {
      {"query", SettingType::kString, true, "", "what to search for, e.g. the brand's name"},
      {"tags", SettingType::kString, false, "(story,comment)",
       "Algolia tags filter: (story,comment), story, comment, ask_hn, show_hn..."},
      {"lookback", SettingType::kDuration, false, "1d", "how far back the first poll reaches"},
      {"max_pages", SettingType::kInt, false, "10", "pages of 100 hits read per poll at most"},
      {"base_url", SettingType::kString, false, kDefaultBaseUrl, "the API's root URL"},
      {"timeout", SettingType::kDuration, false, "30s", "total time allowed for one request"},
      {"max_bytes", SettingType::kInt, false, "16777216", "larger bodies are refused"},
      {"user_agent", SettingType::kString, false, "", "overrides http.user_agent"},
  };
  d.create = [](const SourceSpec& spec, HttpClient& http) -> Result<std::unique_ptr<Connector>> {
    if (spec.settings.Get("query").empty()) {
      return Status::InvalidArgument("query must not be empty");
    }
    const std::string base = spec.settings.Get("base_url", kDefaultBaseUrl);
    if (base.rfind("http://", 0) != 0 && base.rfind("https://", 0) != 0) {
      return Status::InvalidArgument("base_url must start with http:// or https://, got " +
                                     RedactUrl(base));
    }
    if (spec.settings.GetInt("max_pages", 10) < 1) {
      return Status::InvalidArgument("max_pages must be at least 1");
    }
    return std::unique_ptr<Connector>(new HackerNewsConnector(spec, http));
  };
  d.parse = [](std::string_view body, const std::string& source) -> Result<std::vector<Mention>> {
    auto page = ParseHackerNewsPage(body, source);
    if (!page.ok()) return page.status();
    return std::move(page->mentions);
  };
  return d;
}

}  // namespace earshot
