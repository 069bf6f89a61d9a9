#include "connectors/discourse/discourse_connector.h"

#include <algorithm>
#include <optional>
#include <set>

#include "connectors/catch_up_window.h"
#include "connectors/discourse/discourse_posts.h"
#include "connectors/http/http_client.h"
#include "connectors/http/http_errors.h"
#include "connectors/http/redact.h"
#include "connectors/url_query.h"
#include "core/time.h"

namespace earshot {
namespace {

std::string TrimSlashes(std::string url) {
  while (!url.empty() && url.back() == '/')
    url.pop_back();
  return url;
}

class DiscourseConnector : public Connector {
 public:
  DiscourseConnector(const SourceSpec& spec, HttpClient& http) : spec_(spec), http_(http) {
    base_url_ = TrimSlashes(spec.settings.Get("url"));
    query_ = spec.settings.Get("query");
    api_key_ = spec.settings.Get("api_key");
    max_pages_ = std::max<int64_t>(1, spec.settings.GetInt("max_pages", 5));
    request_.timeout_ms = spec.settings.GetDurationMillis("timeout", 30'000);
    request_.connect_timeout_ms = std::min(request_.connect_timeout_ms, request_.timeout_ms);
    request_.max_body_bytes =
        static_cast<size_t>(std::max<int64_t>(0, spec.settings.GetInt("max_bytes", 16 << 20)));
    request_.user_agent = spec.settings.Get("user_agent");
    request_.headers.emplace_back("Accept", "application/json");
    if (!api_key_.empty()) {
      request_.headers.emplace_back("Api-Key", api_key_);
      request_.headers.emplace_back("Api-Username", spec.settings.Get("api_username", "system"));
      request_.max_redirects = 0;  // the key goes to this forum only
    }
  }

  Result<PollResult> Poll(const SourceCursor& cursor, const std::atomic<bool>& stop) override {
    if (auto wait = BlockedSeconds()) {
      return Status::Unavailable("discourse rate limit reached: next request in " +
                                 std::to_string(*wait) + " s");
    }
    PollResult result;
    result.next_cursor = cursor;
    std::optional<CatchUpWindow> window = ParseCatchUpWindow(cursor.position);
    if (!window && !cursor.position.empty()) {
      result.warnings.push_back("unreadable cursor '" + cursor.position +
                                "': reading the newest posts");
    }
    // The first poll reads one page: what is new from now on, no backfill.
    const bool first = !window;
    if (!window) window = CatchUpWindow{};
    const int64_t pages = first ? 1 : max_pages_;
    std::set<std::string> seen;
    int64_t newest = window->newest;
    int64_t oldest = 0;  // the lowest post id read in this poll
    bool complete = first;
    bool failed_midway = false;
    int64_t page_number = window->upper && window->page > 0 ? window->page : 1;
    // Plain values, not std::optional: g++ 12's -O2 flow analysis warns about the optional here.
    bool paging_before = query_.empty() && window->upper.has_value();
    int64_t before = paging_before ? *window->upper : 0;
    for (int64_t read = 0; read < pages; ++read, ++page_number) {
      HttpRequest request = request_;
      if (query_.empty()) {
        request.url = base_url_ + "/posts.json" +
                      (paging_before ? "?" + BuildQuery({{"before", std::to_string(before)}}) : "");
      } else {
        request.url =
            base_url_ + "/search.json?" +
            BuildQuery({{"q", query_ + " order:latest"}, {"page", std::to_string(page_number)}});
      }
      auto page = Fetch(request, stop, &result);
      if (!page.ok()) {
        if (read == 0 || oldest == 0 || page.status().code() == Status::Code::kAborted) {
          return Scrub(page.status());
        }
        result.warnings.push_back("stopped after " + std::to_string(read) +
                                  " pages: " + Scrub(page.status()).message());
        failed_midway = true;
        break;
      }
      for (auto& w : page->warnings)
        result.warnings.push_back("page " + std::to_string(page_number) + ": " + w);
      bool reached_since = page->lowest_id > 0 && page->lowest_id <= window->since;
      for (size_t i = 0; i < page->mentions.size(); ++i) {
        const int64_t id = page->ids[i];
        if (id <= window->since) continue;
        if (window->upper && id >= *window->upper) continue;
        newest = std::max(newest, id);
        oldest = oldest == 0 ? id : std::min(oldest, id);
        if (seen.insert(page->mentions[i].external_id).second) {
          result.mentions.push_back(std::move(page->mentions[i]));
        }
      }
      if (page->lowest_id > 0 && (!window->upper || page->lowest_id < *window->upper)) {
        oldest = oldest == 0 ? page->lowest_id : std::min(oldest, page->lowest_id);
      }
      const bool last = query_.empty() ? page->posts == 0 : (!page->more || page->posts == 0);
      if (reached_since || last) {
        complete = true;
        break;
      }
      before = page->lowest_id;
      paging_before = query_.empty();
    }
    if (complete || oldest == 0) {
      result.next_cursor.position = FormatCatchUpWindow({newest, std::nullopt, newest, 0});
    } else {
      // Posts below `oldest` (ids only grow) are still to be read, from the next page on.
      int64_t upper = std::max(oldest, window->since);
      result.next_cursor.position =
          FormatCatchUpWindow({window->since, upper, newest, query_.empty() ? 0 : page_number});
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
  std::optional<int64_t> BlockedSeconds() const {
    const UnixMillis now = NowMillis();
    if (blocked_until_ <= now) return std::nullopt;
    return (blocked_until_ - now + 999) / 1000;
  }

  Result<DiscoursePage> Fetch(const HttpRequest& request, const std::atomic<bool>& stop,
                              PollResult* result) {
    auto response = http_.Send(request, &stop);
    if (!response.ok()) return response.status();
    result->http_status = response->status;
    if (response->status == 429) {
      blocked_until_ =
          NowMillis() +
          RetryAfterSeconds(response->Header("retry-after"), NowMillis()).value_or(60) * 1000;
    }
    if (response->status < 200 || response->status >= 300) {
      Status status = HttpStatusError(*response, request.url);
      std::string message = status.message();
      if (std::string detail = DiscourseErrorMessage(response->body); !detail.empty()) {
        message += ": " + detail;
      }
      if ((response->status == 403 || response->status == 401) && !api_key_.empty()) {
        message += " (check api_key and api_username)";
      }
      return Status(status.code(), message);
    }
    auto page = ParseDiscoursePosts(response->body, spec_.name, base_url_);
    if (!page.ok()) {
      return Status::ParseError(request.method + " " + RedactUrl(request.url) + ": " +
                                page.status().message());
    }
    return page;
  }

  Status Scrub(const Status& status) const { return ScrubSecrets(status, {api_key_}); }

  SourceSpec spec_;
  HttpClient& http_;
  HttpRequest request_;
  std::string base_url_, query_, api_key_;
  int64_t max_pages_ = 5;
  UnixMillis blocked_until_ = 0;
};

}  // namespace

ConnectorDescriptor DiscourseConnectorDescriptor() {
  ConnectorDescriptor d;
  d.kind = "discourse";
  d.summary = "posts on a Discourse forum matching a search, or all new posts";
  d.settings = {
      {"url", SettingType::kString, true, "",
       "the forum's base URL, e.g. https://forum.example.com"},
      {"query", SettingType::kString, false, "",
       "a search (Discourse syntax: words, \"phrases\", #category, @user); empty: every new post"},
      {"api_key", SettingType::kSecret, false, "",
       "sent as Api-Key, for private forums or categories (or api_key_file)"},
      {"api_username", SettingType::kString, false, "system", "sent as Api-Username with api_key"},
      {"max_pages", SettingType::kInt, false, "5", "pages read per poll at most; more: catch up"},
      {"timeout", SettingType::kDuration, false, "30s", "total time allowed for one request"},
      {"max_bytes", SettingType::kInt, false, "16777216", "larger bodies are refused"},
      {"user_agent", SettingType::kString, false, "", "overrides http.user_agent"},
  };
  d.create = [](const SourceSpec& spec, HttpClient& http) -> Result<std::unique_ptr<Connector>> {
    const std::string url = spec.settings.Get("url");
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
      return Status::InvalidArgument("url must start with http:// or https://, got " +
                                     RedactUrl(url));
    }
    if (spec.settings.GetInt("max_pages", 5) < 1) {
      return Status::InvalidArgument("max_pages must be at least 1");
    }
    return std::unique_ptr<Connector>(new DiscourseConnector(spec, http));
  };
  d.parse = [](std::string_view body, const std::string& source) -> Result<std::vector<Mention>> {
    auto page = ParseDiscoursePosts(body, source, "");
    if (!page.ok()) return page.status();
    return std::move(page->mentions);
  };
  return d;
}

}  // namespace earshot
