#include "connectors/yelp/yelp_connector.h"

#include <algorithm>
#include <charconv>

#include "connectors/http/http_errors.h"
#include "connectors/http/redact.h"
#include "connectors/http_source.h"
#include "connectors/newest_first_poll.h"
#include "connectors/url_query.h"
#include "connectors/yelp/yelp_reviews.h"

namespace earshot {
namespace {

constexpr const char* kDefaultApiUrl = "https://api.yelp.com/v3";
constexpr int64_t kDayMs = 86'400'000;

int64_t Offset(const std::string& token) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), v);
  return ec == std::errc() && end == token.data() + token.size() && v >= 0 ? v : 0;
}

class YelpConnector : public Connector {
 public:
  YelpConnector(const SourceSpec& spec, HttpClient& http) : spec_(spec), http_(http) {
    api_url_ = TrimTrailingSlashes(spec.settings.Get("api_url", kDefaultApiUrl));
    business_ = spec.settings.Get("business_id");
    key_ = spec.settings.Get("api_key");
    locale_ = spec.settings.Get("locale");
    limit_ = std::clamp<int64_t>(spec.settings.GetInt("limit", 20), 1, 50);
    offset_ms_ = ParseUtcOffsetMillis(spec.settings.Get("timezone", "UTC")).value_or(0);
    options_.max_pages = std::max<int64_t>(1, spec.settings.GetInt("max_pages", 3));
    options_.lookback_ms = spec.settings.GetDurationMillis("lookback", 30 * kDayMs);
    options_.recheck_ms = spec.settings.GetDurationMillis("recheck", 0);
    options_.hold = &hold_;
    request_ = BaseJsonRequest(spec.settings);
    request_.headers.emplace_back("Authorization", "Bearer " + key_);
  }

  Result<PollResult> Poll(const SourceCursor& cursor, const std::atomic<bool>& stop) override {
    return PollNewestFirstSource("yelp", spec_, cursor, options_,
                                 [&](const std::string& token, int* http_status) {
                                   return Fetch(Offset(token), stop, http_status);
                                 });
  }

 private:
  Result<NewestFirstPage> Fetch(int64_t offset, const std::atomic<bool>& stop, int* http_status) {
    HttpRequest request = request_;
    QueryParams params = {{"limit", std::to_string(limit_)}, {"sort_by", "newest"}};
    if (offset > 0) params.emplace_back("offset", std::to_string(offset));
    if (!locale_.empty()) params.emplace_back("locale", locale_);
    request.url =
        WithQuery(api_url_ + "/businesses/" + PercentEncode(business_) + "/reviews", params);
    auto response = http_.Send(request, &stop);
    if (!response.ok()) return Scrub(response.status());
    *http_status = response->status;
    if (response->status < 200 || response->status >= 300) {
      Status status = HttpStatusError(*response, request.url);
      std::string message = status.message();
      Status::Code code = status.code();
      const auto error = ParseYelpError(response->body);
      if (error) message += ": " + error->ToString();
      const std::string reason = error ? error->code : "";
      const UnixMillis now = NowMillis();
      if (reason == "ACCESS_LIMIT_REACHED") {
        code = Status::Code::kUnavailable;
        hold_.Until((now / kDayMs + 1) * kDayMs, "daily API limit reached");
        message += " (the daily limit resets at 00:00 UTC)";
      } else if (response->status == 429 || response->status == 503) {
        hold_.For(RetryAfterSeconds(response->Header("retry-after"), now)
                      .value_or(reason == "TOO_MANY_REQUESTS_PER_SECOND" ? 1 : 60),
                  "rate limited");
      } else if (response->status == 401 || reason == "TOKEN_INVALID" ||
                 reason == "TOKEN_MISSING") {
        message += " (check api_key)";
      }
      return Scrub(Status(code, message));
    }
    auto parsed = ParseYelpReviews(response->body, spec_.name, offset_ms_);
    if (!parsed.ok()) return Scrub(BodyError(request, parsed.status()));
    NewestFirstPage page;
    page.mentions = std::move(parsed->mentions);
    page.warnings = std::move(parsed->warnings);
    page.items = parsed->reviews;
    const int64_t next = offset + static_cast<int64_t>(parsed->reviews);
    if (parsed->reviews > 0 && next < parsed->total) page.next = std::to_string(next);
    return page;
  }

  Status Scrub(const Status& status) const { return ScrubSecrets(status, {key_}); }

  SourceSpec spec_;
  HttpClient& http_;
  HttpRequest request_;
  std::string api_url_, business_, key_, locale_;
  int64_t limit_ = 20;
  int64_t offset_ms_ = 0;
  NewestFirstOptions options_;
  RequestHold hold_;
};

}  // namespace

ConnectorDescriptor YelpConnectorDescriptor() {
  ConnectorDescriptor d;
  d.kind = "yelp";
  d.summary = "a business's Yelp reviews, newest first (Yelp Fusion API)";
  d.settings = {
      {"business_id", SettingType::kString, true, "", "the business's id or alias"},
      {"api_key", SettingType::kSecret, true, "", "a Yelp Fusion API key, sent as a bearer token"},
      {"timezone", SettingType::kString, false, "UTC",
       "the business's UTC offset (\"-08:00\"): Yelp's review times carry no zone"},
      {"locale", SettingType::kString, false, "", "reviews in this locale only, e.g. en_US"},
      {"lookback", SettingType::kDuration, false, "30d", "how far back the first poll reaches"},
      {"recheck", SettingType::kDuration, false, "0s",
       "reviews this recent are read again each poll, for their edits (0s: never)"},
      {"max_pages", SettingType::kInt, false, "3", "pages read per poll at most; more: catch up"},
      {"limit", SettingType::kInt, false, "20", "reviews per page, 1 to 50 (plans vary)"},
      {"api_url", SettingType::kString, false, kDefaultApiUrl, "the API's root URL"},
  };
  for (auto& s : CommonHttpSettings())
    d.settings.push_back(std::move(s));
  d.create = [](const SourceSpec& spec, HttpClient& http) -> Result<std::unique_ptr<Connector>> {
    const std::string business = spec.settings.Get("business_id");
    if (business.empty() || business.find_first_of("/?#& \t") != std::string::npos) {
      return Status::InvalidArgument("business_id '" + business + "' is not a business id");
    }
    const std::string key = spec.settings.Get("api_key");
    if (key.empty()) return Status::InvalidArgument("api_key must not be empty");
    if (key.find_first_of("\r\n") != std::string::npos) {
      return Status::InvalidArgument("api_key must be one line");
    }
    if (!ParseUtcOffsetMillis(spec.settings.Get("timezone", "UTC"))) {
      return Status::InvalidArgument("timezone must be UTC or an offset like -08:00, got '" +
                                     spec.settings.Get("timezone") + "'");
    }
    if (!IsHttpUrl(spec.settings.Get("api_url", kDefaultApiUrl))) {
      return Status::InvalidArgument("api_url must start with http:// or https://");
    }
    const int64_t limit = spec.settings.GetInt("limit", 20);
    if (limit < 1 || limit > 50) {
      return Status::InvalidArgument("limit must be from 1 to 50, got " + std::to_string(limit));
    }
    if (spec.settings.GetInt("max_pages", 3) < 1) {
      return Status::InvalidArgument("max_pages must be at least 1");
    }
    return std::unique_ptr<Connector>(new YelpConnector(spec, http));
  };
  d.parse = [](std::string_view body, const std::string& source) -> Result<std::vector<Mention>> {
    auto page = ParseYelpReviews(body, source);
    if (!page.ok()) return page.status();
    return std::move(page->mentions);
  };
  return d;
}

}  // namespace earshot
