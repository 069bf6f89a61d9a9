#include "connectors/appstore/appstore_connector.h"

#include <algorithm>
#include <set>

#include "connectors/appstore/appstore_reviews.h"
#include "connectors/http/http_client.h"
#include "connectors/http/http_errors.h"
#include "connectors/http/redact.h"
#include "core/time.h"

namespace earshot {
namespace {

constexpr const char* kDefaultBaseUrl = "https://itunes.apple.com";
constexpr int64_t kMaxPages = 10;  // Apple serves no more

bool IsDigits(const std::string& s) {
  return !s.empty() && s.size() <= 20 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsCountry(const std::string& s) {
  return s.size() == 2 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

std::string Lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

class AppStoreConnector : public Connector {
 public:
  AppStoreConnector(const SourceSpec& spec, HttpClient& http) : spec_(spec), http_(http) {
    base_url_ = spec.settings.Get("base_url", kDefaultBaseUrl);
    while (!base_url_.empty() && base_url_.back() == '/')
      base_url_.pop_back();
    app_id_ = spec.settings.Get("app_id");
    country_ = Lower(spec.settings.Get("country", "us"));
    max_pages_ = std::clamp<int64_t>(spec.settings.GetInt("max_pages", kMaxPages), 1, kMaxPages);
    recheck_ms_ = std::max<int64_t>(0, spec.settings.GetDurationMillis("recheck", 0));
    app_url_ = "https://apps.apple.com/" + country_ + "/app/id" + app_id_ + "?see-all=reviews";
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
    std::string since = cursor.position;
    if (!since.empty() && !IsDigits(since)) {
      result.warnings.push_back("unreadable cursor '" + since + "': reading the newest reviews");
      since.clear();
    }
    // The first poll reads one page: what is new from now on, no backfill.
    const int64_t pages = since.empty() ? 1 : max_pages_;
    std::string newest = since;
    std::set<std::string> seen;
    bool reached = since.empty();
    const UnixMillis recheck_after = NowMillis() - recheck_ms_;
    for (int64_t page_number = 1; page_number <= pages; ++page_number) {
      HttpRequest request = request_;
      request.url = base_url_ + "/" + country_ +
                    "/rss/customerreviews/page=" + std::to_string(page_number) + "/id=" + app_id_ +
                    "/sortby=mostrecent/json";
      auto page = Fetch(request, stop, &result);
      if (!page.ok()) {
        if (page_number == 1 || page.status().code() == Status::Code::kAborted) {
          return page.status();
        }
        // Keep what was read, but not the cursor past it: the next poll reads it all again.
        result.warnings.push_back("stopped after " + std::to_string(page_number - 1) +
                                  " pages: " + page.status().message());
        result.mentions.clear();
        return result;
      }
      for (auto& w : page->warnings)
        result.warnings.push_back("page " + std::to_string(page_number) + ": " + w);
      bool page_reached = false;
      for (auto& m : page->mentions) {
        if (!since.empty() && CompareReviewIds(m.external_id, since) <= 0) {
          page_reached = true;
          // Read before; "updated" within recheck may be an edit, so it comes again.
          if (recheck_ms_ > 0 && m.created_at > recheck_after &&
              seen.insert(m.external_id).second) {
            result.mentions.push_back(std::move(m));
          }
          continue;
        }
        if (newest.empty() || CompareReviewIds(m.external_id, newest) > 0) newest = m.external_id;
        if (seen.insert(m.external_id).second) result.mentions.push_back(std::move(m));
      }
      if (page_reached || page->entries == 0) {
        reached = true;
        break;
      }
    }
    if (!reached) {
      result.warnings.push_back("more than " + std::to_string(pages) +
                                " pages of new reviews: older ones are out of the feed's reach");
    }
    result.next_cursor.position = newest;
    const UnixMillis now = NowMillis();
    for (auto& m : result.mentions) {
      m.fetched_at = now;
      if (!spec_.lang.empty()) m.lang = spec_.lang;
    }
    return result;
  }

 private:
  Result<AppStorePage> Fetch(const HttpRequest& request, const std::atomic<bool>& stop,
                             PollResult* result) {
    auto response = http_.Send(request, &stop);
    if (!response.ok()) return response.status();
    result->http_status = response->status;
    if (response->status < 200 || response->status >= 300) {
      return HttpStatusError(*response, request.url);
    }
    auto page = ParseAppStoreReviews(response->body, spec_.name, app_url_);
    if (!page.ok()) {
      return Status::ParseError(request.method + " " + RedactUrl(request.url) + ": " +
                                page.status().message());
    }
    return page;
  }

  SourceSpec spec_;
  HttpClient& http_;
  HttpRequest request_;
  std::string base_url_, app_id_, country_, app_url_;
  int64_t max_pages_ = kMaxPages;
  int64_t recheck_ms_ = 0;
};

}  // namespace

ConnectorDescriptor AppStoreConnectorDescriptor() {
  ConnectorDescriptor d;
  d.kind = "appstore";
  d.summary = "an app's App Store customer reviews in one country (Apple's public reviews feed)";
  d.settings = {
      {"app_id", SettingType::kString, true, "",
       "the app's numeric id, from its App Store URL (.../id1234567890)"},
      {"country", SettingType::kString, false, "us", "the storefront: us, gb, de, pl..."},
      {"max_pages", SettingType::kInt, false, "10", "pages of 50 reviews read per poll, 1 to 10"},
      {"recheck", SettingType::kDuration, false, "0s",
       "reviews read before but updated this recently come again, for their edits (0s: never)"},
      {"base_url", SettingType::kString, false, kDefaultBaseUrl, "the feed's root URL"},
      {"timeout", SettingType::kDuration, false, "30s", "total time allowed for one request"},
      {"max_bytes", SettingType::kInt, false, "16777216", "larger bodies are refused"},
      {"user_agent", SettingType::kString, false, "", "overrides http.user_agent"},
  };
  d.create = [](const SourceSpec& spec, HttpClient& http) -> Result<std::unique_ptr<Connector>> {
    if (!IsDigits(spec.settings.Get("app_id"))) {
      return Status::InvalidArgument("app_id must be the app's numeric id, got '" +
                                     spec.settings.Get("app_id") + "'");
    }
    if (!IsCountry(Lower(spec.settings.Get("country", "us")))) {
      return Status::InvalidArgument("country must be a two-letter storefront code, got '" +
                                     spec.settings.Get("country") + "'");
    }
    const std::string base = spec.settings.Get("base_url", kDefaultBaseUrl);
    if (base.rfind("http://", 0) != 0 && base.rfind("https://", 0) != 0) {
      return Status::InvalidArgument("base_url must start with http:// or https://");
    }
    const int64_t pages = spec.settings.GetInt("max_pages", kMaxPages);
    if (pages < 1 || pages > kMaxPages) {
      return Status::InvalidArgument("max_pages must be from 1 to 10, got " +
                                     std::to_string(pages));
    }
    return std::unique_ptr<Connector>(new AppStoreConnector(spec, http));
  };
  d.parse = [](std::string_view body, const std::string& source) -> Result<std::vector<Mention>> {
    auto page = ParseAppStoreReviews(body, source);
    if (!page.ok()) return page.status();
    return std::move(page->mentions);
  };
  return d;
}

}  // namespace earshot
