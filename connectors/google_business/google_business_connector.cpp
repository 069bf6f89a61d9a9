#include "connectors/google_business/google_business_connector.h"

#include <algorithm>
#include <optional>

#include "connectors/google/google_access_token.h"
#include "connectors/google/google_api_error.h"
#include "connectors/google_business/google_business_reviews.h"
#include "connectors/http/http_errors.h"
#include "connectors/http/redact.h"
#include "connectors/http_source.h"
#include "connectors/newest_first_poll.h"
#include "connectors/url_query.h"

namespace earshot {
namespace {

constexpr const char* kDefaultApiUrl = "https://mybusiness.googleapis.com/v4";
constexpr const char* kScope = "https://www.googleapis.com/auth/business.manage";
constexpr int64_t kDayMs = 86'400'000;

// "accounts/123" or "123" -> "123".
std::string Id(std::string value, const std::string& prefix) {
  if (value.rfind(prefix, 0) == 0) value.erase(0, prefix.size());
  return value;
}

bool IsDigits(const std::string& s) {
  return !s.empty() && s.size() <= 30 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

class GoogleBusinessConnector : public Connector {
 public:
  GoogleBusinessConnector(const SourceSpec& spec, HttpClient& http, GoogleAccessToken token)
      : spec_(spec), http_(http), token_(std::move(token)) {
    api_url_ = TrimTrailingSlashes(spec.settings.Get("api_url", kDefaultApiUrl));
    account_ = Id(spec.settings.Get("account"), "accounts/");
    location_ = Id(spec.settings.Get("location"), "locations/");
    location_url_ = spec.settings.Get("location_url");
    page_size_ = std::clamp<int64_t>(spec.settings.GetInt("page_size", 50), 1, 50);
    options_.max_pages = std::max<int64_t>(1, spec.settings.GetInt("max_pages", 5));
    options_.lookback_ms = spec.settings.GetDurationMillis("lookback", 30 * kDayMs);
    options_.hold = &hold_;
    request_ = BaseJsonRequest(spec.settings);
  }

  Result<PollResult> Poll(const SourceCursor& cursor, const std::atomic<bool>& stop) override {
    return PollNewestFirstSource("google_business", spec_, cursor, options_,
                                 [&](const std::string& token, int* http_status) {
                                   return Fetch(token, stop, http_status);
                                 });
  }

 private:
  Result<NewestFirstPage> Fetch(const std::string& page_token, const std::atomic<bool>& stop,
                                int* http_status) {
    QueryParams params = {{"pageSize", std::to_string(page_size_)}};
    if (!page_token.empty()) params.emplace_back("pageToken", page_token);
    params.emplace_back("orderBy", "updateTime desc");
    HttpRequest request = request_;
    request.url = WithQuery(
        api_url_ + "/accounts/" + account_ + "/locations/" + location_ + "/reviews", params);
    bool refreshed = false;
    auto response = token_.SendAuthorized(http_, request, &stop, &refreshed);
    if (!response.ok()) return Scrub(response.status());
    *http_status = response->status;
    if (response->status < 200 || response->status >= 300) {
      Status status = HttpStatusError(*response, request.url);
      std::string message = status.message();
      if (auto error = ParseGoogleApiError(response->body)) message += ": " + error->ToString();
      if (response->status == 401) {
        message += refreshed ? " (a new token was refused too: check the service account)"
                             : " (the access_token was refused: renew it, or use "
                               "service_account_file)";
      } else if (response->status == 403) {
        message += " (check that the account manages this location and the API is enabled)";
      }
      if (response->status == 429 || response->status == 503) {
        hold_.For(RetryAfterSeconds(response->Header("retry-after"), NowMillis()).value_or(60),
                  "rate limited");
      }
      return Scrub(Status(status.code(), message));
    }
    auto parsed = ParseGoogleBusinessReviews(response->body, spec_.name, location_url_);
    if (!parsed.ok()) return Scrub(BodyError(request, parsed.status()));
    NewestFirstPage page;
    page.mentions = std::move(parsed->mentions);
    page.values = std::move(parsed->updated);
    page.warnings = std::move(parsed->warnings);
    page.items = parsed->reviews;
    page.next = parsed->next_page_token;
    return page;
  }

  Status Scrub(const Status& status) const {
    return ScrubSecrets(status, {token_.token(), token_.private_key()});
  }

  SourceSpec spec_;
  HttpClient& http_;
  GoogleAccessToken token_;
  HttpRequest request_;
  std::string api_url_, account_, location_, location_url_;
  int64_t page_size_ = 50;
  NewestFirstOptions options_;
  RequestHold hold_;
};

}  // namespace

ConnectorDescriptor GoogleBusinessConnectorDescriptor() {
  ConnectorDescriptor d;
  d.kind = "google_business";
  d.summary = "a location's Google reviews (Business Profile API, service account or token)";
  d.settings = {
      {"account", SettingType::kString, true, "", "the account id (accounts/123... or 123...)"},
      {"location", SettingType::kString, true, "", "the location id (locations/456... or 456...)"},
      {"service_account_file", SettingType::kString, false, "",
       "a service account's JSON key file (one of this or access_token)"},
      {"access_token", SettingType::kSecret, false, "",
       "an OAuth2 access token with the business.manage scope, used as it is"},
      {"location_url", SettingType::kString, false, "",
       "the link every review gets, e.g. the location's Maps URL"},
      {"lookback", SettingType::kDuration, false, "30d", "how far back the first poll reaches"},
      {"max_pages", SettingType::kInt, false, "5", "pages read per poll at most; more: catch up"},
      {"page_size", SettingType::kInt, false, "50", "reviews per page, 1 to 50"},
      {"api_url", SettingType::kString, false, kDefaultApiUrl, "the API's root URL"},
  };
  for (auto& s : CommonHttpSettings())
    d.settings.push_back(std::move(s));
  d.create = [](const SourceSpec& spec, HttpClient& http) -> Result<std::unique_ptr<Connector>> {
    if (!IsDigits(Id(spec.settings.Get("account"), "accounts/"))) {
      return Status::InvalidArgument("account '" + spec.settings.Get("account") +
                                     "' is not an account id");
    }
    if (!IsDigits(Id(spec.settings.Get("location"), "locations/"))) {
      return Status::InvalidArgument("location '" + spec.settings.Get("location") +
                                     "' is not a location id");
    }
    if (!IsHttpUrl(spec.settings.Get("api_url", kDefaultApiUrl))) {
      return Status::InvalidArgument("api_url must start with http:// or https://");
    }
    const int64_t page_size = spec.settings.GetInt("page_size", 50);
    if (page_size < 1 || page_size > 50) {
      return Status::InvalidArgument("page_size must be from 1 to 50, got " +
                                     std::to_string(page_size));
    }
    if (spec.settings.GetInt("max_pages", 5) < 1) {
      return Status::InvalidArgument("max_pages must be at least 1");
    }
    const std::string file = spec.settings.Get("service_account_file");
    const std::string access_token = spec.settings.Get("access_token");
    if (file.empty() == access_token.empty()) {
      return Status::InvalidArgument("set one of service_account_file and access_token");
    }
    if (!file.empty()) {
      auto key = ReadServiceAccountKey(file);
      if (!key.ok()) return key.status();
      GoogleAccessToken token(std::move(*key), kScope,
                              spec.settings.GetDurationMillis("timeout", 30'000));
      return std::unique_ptr<Connector>(new GoogleBusinessConnector(spec, http, std::move(token)));
    }
    if (access_token.find_first_of("\r\n") != std::string::npos) {
      return Status::InvalidArgument("access_token must be one line");
    }
    return std::unique_ptr<Connector>(
        new GoogleBusinessConnector(spec, http, GoogleAccessToken(access_token)));
  };
  d.parse = [](std::string_view body, const std::string& source) -> Result<std::vector<Mention>> {
    auto page = ParseGoogleBusinessReviews(body, source);
    if (!page.ok()) return page.status();
    return std::move(page->mentions);
  };
  return d;
}

}  // namespace earshot
