#include "connectors/googleplay/googleplay_connector.h"

#include <algorithm>
#include <optional>

#include "connectors/google/google_access_token.h"
#include "connectors/google/google_api_error.h"
#include "connectors/googleplay/googleplay_reviews.h"
#include "connectors/http/http_errors.h"
#include "connectors/http/redact.h"
#include "connectors/http_source.h"
#include "connectors/newest_first_poll.h"
#include "connectors/url_query.h"

namespace earshot {
namespace {

constexpr const char* kDefaultApiUrl =
    "https://androidpublisher.googleapis.com/androidpublisher/v3";
constexpr const char* kScope = "https://www.googleapis.com/auth/androidpublisher";
constexpr int64_t kWeekMs = 7 * 86'400'000LL;

bool IsPackageName(const std::string& s) {
  return !s.empty() && s.size() <= 255 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_';
  });
}

class GooglePlayConnector : public Connector {
 public:
  GooglePlayConnector(const SourceSpec& spec, HttpClient& http, GoogleAccessToken token)
      : spec_(spec), http_(http), token_(std::move(token)) {
    api_url_ = TrimTrailingSlashes(spec.settings.Get("api_url", kDefaultApiUrl));
    package_ = spec.settings.Get("package_name");
    translation_ = spec.settings.Get("translation_language");
    max_results_ = std::clamp<int64_t>(spec.settings.GetInt("max_results", 100), 1, 100);
    options_.max_pages = std::max<int64_t>(1, spec.settings.GetInt("max_pages", 5));
    options_.lookback_ms = spec.settings.GetDurationMillis("lookback", kWeekMs);
    options_.hold = &hold_;
    request_ = BaseJsonRequest(spec.settings);
  }

  Result<PollResult> Poll(const SourceCursor& cursor, const std::atomic<bool>& stop) override {
    return PollNewestFirstSource("googleplay", spec_, cursor, options_,
                                 [&](const std::string& token, int* http_status) {
                                   return Fetch(token, stop, http_status);
                                 });
  }

 private:
  Result<NewestFirstPage> Fetch(const std::string& page_token, const std::atomic<bool>& stop,
                                int* http_status) {
    QueryParams params = {{"maxResults", std::to_string(max_results_)}};
    if (!page_token.empty()) params.emplace_back("token", page_token);
    if (!translation_.empty()) params.emplace_back("translationLanguage", translation_);
    HttpRequest request = request_;
    request.url =
        WithQuery(api_url_ + "/applications/" + PercentEncode(package_) + "/reviews", params);
    auto response = token_.SendAuthorized(http_, request, &stop);
    if (!response.ok()) return Scrub(response.status());
    *http_status = response->status;
    if (response->status < 200 || response->status >= 300) {
      Status status = HttpStatusError(*response, request.url);
      std::string message = status.message();
      if (auto error = ParseGoogleApiError(response->body)) message += ": " + error->ToString();
      if (response->status == 401 || response->status == 403) {
        message +=
            " (check that the service account is invited to the Play Console with access "
            "to this app's reviews)";
      }
      if (response->status == 429 || response->status == 503) {
        hold_.For(RetryAfterSeconds(response->Header("retry-after"), NowMillis()).value_or(60),
                  "rate limited");
      }
      return Scrub(Status(status.code(), message));
    }
    auto parsed = ParseGooglePlayReviews(response->body, spec_.name, package_);
    if (!parsed.ok()) return Scrub(BodyError(request, parsed.status()));
    NewestFirstPage page;
    page.mentions = std::move(parsed->mentions);
    page.values = std::move(parsed->modified);
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
  std::string api_url_, package_, translation_;
  int64_t max_results_ = 100;
  NewestFirstOptions options_;
  RequestHold hold_;
};

}  // namespace

ConnectorDescriptor GooglePlayConnectorDescriptor() {
  ConnectorDescriptor d;
  d.kind = "googleplay";
  d.summary = "an Android app's Google Play reviews (Play Developer API, service account)";
  d.settings = {
      {"package_name", SettingType::kString, true, "", "the app's package, e.g. com.voltwave.ride"},
      {"service_account_file", SettingType::kString, true, "",
       "the service account's JSON key file (client_email, private_key, token_uri)"},
      {"translation_language", SettingType::kString, false, "",
       "have Play translate reviews into this language, e.g. en"},
      {"lookback", SettingType::kDuration, false, "7d",
       "how far back the first poll reaches (Play lists a week of reviews)"},
      {"max_pages", SettingType::kInt, false, "5", "pages read per poll at most; more: catch up"},
      {"max_results", SettingType::kInt, false, "100", "reviews per page, 1 to 100"},
      {"api_url", SettingType::kString, false, kDefaultApiUrl, "the API's root URL"},
  };
  for (auto& s : CommonHttpSettings())
    d.settings.push_back(std::move(s));
  d.create = [](const SourceSpec& spec, HttpClient& http) -> Result<std::unique_ptr<Connector>> {
    if (!IsPackageName(spec.settings.Get("package_name"))) {
      return Status::InvalidArgument("package_name '" + spec.settings.Get("package_name") +
                                     "' is not an Android package name");
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
    auto key = ReadServiceAccountKey(spec.settings.Get("service_account_file"));
    if (!key.ok()) return key.status();
    GoogleAccessToken token(std::move(*key), kScope,
                            spec.settings.GetDurationMillis("timeout", 30'000));
    return std::unique_ptr<Connector>(new GooglePlayConnector(spec, http, std::move(token)));
  };
  d.parse = [](std::string_view body, const std::string& source) -> Result<std::vector<Mention>> {
    auto page = ParseGooglePlayReviews(body, source);
    if (!page.ok()) return page.status();
    return std::move(page->mentions);
  };
  return d;
}

}  // namespace earshot
