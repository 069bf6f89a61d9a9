#include "connectors/trustpilot/trustpilot_connector.h"

#include <algorithm>

#include "connectors/http/http_errors.h"
#include "connectors/http/redact.h"
#include "connectors/http_source.h"
#include "connectors/newest_first_poll.h"
#include "connectors/trustpilot/trustpilot_reviews.h"
#include "connectors/url_query.h"

namespace earshot {
namespace {

constexpr const char* kDefaultApiUrl = "https://api.trustpilot.com/v1";
constexpr int64_t kWeekMs = 7 * 86'400'000LL;

bool IsPageNumber(const std::string& s) {
  return !s.empty() && s.size() <= 6 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

class TrustpilotConnector : public Connector {
 public:
  TrustpilotConnector(const SourceSpec& spec, HttpClient& http) : spec_(spec), http_(http) {
    api_url_ = TrimTrailingSlashes(spec.settings.Get("api_url", kDefaultApiUrl));
    unit_ = spec.settings.Get("business_unit_id");
    key_ = spec.settings.Get("api_key");
    per_page_ = std::clamp<int64_t>(spec.settings.GetInt("per_page", 100), 1, 100);
    options_.max_pages = std::max<int64_t>(1, spec.settings.GetInt("max_pages", 5));
    options_.lookback_ms = spec.settings.GetDurationMillis("lookback", kWeekMs);
    options_.first_token = "1";
    options_.recheck_ms = spec.settings.GetDurationMillis("recheck", 0);
    options_.hold = &hold_;
    request_ = BaseJsonRequest(spec.settings);
    request_.headers.emplace_back("apikey", key_);
  }

  Result<PollResult> Poll(const SourceCursor& cursor, const std::atomic<bool>& stop) override {
    return PollNewestFirstSource("trustpilot", spec_, cursor, options_,
                                 [&](const std::string& token, int* http_status) {
                                   return Fetch(token, stop, http_status);
                                 });
  }

 private:
  Result<NewestFirstPage> Fetch(const std::string& token, const std::atomic<bool>& stop,
                                int* http_status) {
    HttpRequest request = request_;
    const std::string page_number = IsPageNumber(token) ? token : "1";
    request.url = WithQuery(api_url_ + "/business-units/" + PercentEncode(unit_) + "/reviews",
                            {{"perPage", std::to_string(per_page_)},
                             {"page", page_number},
                             {"orderBy", "createdat.desc"}});
    auto response = http_.Send(request, &stop);
    if (!response.ok()) return Scrub(response.status());
    *http_status = response->status;
    if (response->status < 200 || response->status >= 300) {
      Status status = HttpStatusError(*response, request.url);
      std::string message = status.message();
      if (const std::string detail = TrustpilotErrorMessage(response->body); !detail.empty()) {
        message += ": " + detail;
      }
      if (response->status == 401 || response->status == 403) message += " (check api_key)";
      if (response->status == 429 || response->status == 503) {
        hold_.For(RetryAfterSeconds(response->Header("retry-after"), NowMillis()).value_or(60),
                  "rate limited");
      }
      return Scrub(Status(status.code(), message));
    }
    auto parsed = ParseTrustpilotReviews(response->body, spec_.name);
    if (!parsed.ok()) return Scrub(BodyError(request, parsed.status()));
    NewestFirstPage page;
    page.mentions = std::move(parsed->mentions);
    page.warnings = std::move(parsed->warnings);
    page.items = parsed->reviews;
    // Pages are numbered; a next-page link says there is one more.
    if (!parsed->next_page_url.empty()) page.next = std::to_string(std::stoll(page_number) + 1);
    return page;
  }

  Status Scrub(const Status& status) const { return ScrubSecrets(status, {key_}); }

  SourceSpec spec_;
  HttpClient& http_;
  HttpRequest request_;
  std::string api_url_, unit_, key_;
  int64_t per_page_ = 100;
  NewestFirstOptions options_;
  RequestHold hold_;
};

}  // namespace

ConnectorDescriptor TrustpilotConnectorDescriptor() {
  ConnectorDescriptor d;
  d.kind = "trustpilot";
  d.summary = "a business's Trustpilot reviews, newest first (Trustpilot business-units API)";
  d.settings = {
      {"business_unit_id", SettingType::kString, true, "",
       "the business unit's id (find it with /v1/business-units/find?name=example.com)"},
      {"api_key", SettingType::kSecret, true, "", "a Trustpilot API key, sent as apikey"},
      {"lookback", SettingType::kDuration, false, "7d", "how far back the first poll reaches"},
      {"recheck", SettingType::kDuration, false, "0s",
       "reviews this recent are read again each poll, for their edits (0s: never)"},
      {"max_pages", SettingType::kInt, false, "5", "pages read per poll at most; more: catch up"},
      {"per_page", SettingType::kInt, false, "100", "reviews per page, 1 to 100"},
      {"api_url", SettingType::kString, false, kDefaultApiUrl, "the API's root URL"},
  };
  for (auto& s : CommonHttpSettings())
    d.settings.push_back(std::move(s));
  d.create = [](const SourceSpec& spec, HttpClient& http) -> Result<std::unique_ptr<Connector>> {
    const std::string unit = spec.settings.Get("business_unit_id");
    if (unit.empty() || unit.find_first_of("/?#& \t") != std::string::npos) {
      return Status::InvalidArgument("business_unit_id '" + unit + "' is not a business unit id");
    }
    const std::string key = spec.settings.Get("api_key");
    if (key.empty()) return Status::InvalidArgument("api_key must not be empty");
    if (key.find_first_of("\r\n") != std::string::npos) {
      return Status::InvalidArgument("api_key must be one line");
    }
    if (!IsHttpUrl(spec.settings.Get("api_url", kDefaultApiUrl))) {
      return Status::InvalidArgument("api_url must start with http:// or https://");
    }
    const int64_t per_page = spec.settings.GetInt("per_page", 100);
    if (per_page < 1 || per_page > 100) {
      return Status::InvalidArgument("per_page must be from 1 to 100, got " +
                                     std::to_string(per_page));
    }
    if (spec.settings.GetInt("max_pages", 5) < 1) {
      return Status::InvalidArgument("max_pages must be at least 1");
    }
    return std::unique_ptr<Connector>(new TrustpilotConnector(spec, http));
  };
  d.parse = [](std::string_view body, const std::string& source) -> Result<std::vector<Mention>> {
    auto page = ParseTrustpilotReviews(body, source);
    if (!page.ok()) return page.status();
    return std::move(page->mentions);
  };
  return d;
}

}  // namespace earshot
