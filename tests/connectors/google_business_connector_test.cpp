// The google_business source: Business Profile review pages parsed offline, and poll cycles
// against local servers playing Google's token endpoint and the v4 reviews list (service-account
// or fixed token, pageToken paging, updateTime cursor, 401 refresh, errors).
#include "connectors/google_business/google_business_connector.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <mutex>
#include <set>

#include "connectors/google_business/google_business_reviews.h"
#include "connectors/http/http_client.h"
#include "core/time.h"
#include "core/utf8.h"
#include "tests/connectors/google_oauth_fake.h"
#include "tests/support/local_http_server.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

constexpr const char* kScope = "https://www.googleapis.com/auth/business.manage";
constexpr const char* kAccount = "112233445566778899001";
constexpr const char* kLocation = "9876543210987654321";
constexpr const char* kFixedToken = "ya29.fixed-access-token-0123456789";

std::string ReviewJson(int64_t n, UnixMillis updated) {
  static const char* const kStars[] = {"ONE", "TWO", "THREE", "FOUR", "FIVE"};
  return R"({"reviewId":"rv)" + std::to_string(n) + R"(","reviewer":{"displayName":"Customer )" +
         std::to_string(n % 9) + R"("},"starRating":")" + kStars[n % 5] +
         R"(","comment":"review )" + std::to_string(n) + R"(","createTime":")" +
         FormatRfc3339(updated) + R"(","updateTime":")" + FormatRfc3339(updated) + "\"" +
         (n % 2 == 0 ? R"(,"reviewReply":{"comment":"thanks","updateTime":")" +
                           FormatRfc3339(updated) + "\"}"
                     : std::string()) +
         "}";
}

// The v4 reviews list, newest update first, pageToken = offset; a bearer token checked against
// the token endpoint (or the fixed one).
class FakeBusinessProfile {
 public:
  FakeBusinessProfile(LocalHttpServer& host, FakeGoogleTokenEndpoint& tokens) : tokens_(tokens) {
    host.server().Get(R"(/v4/accounts/(\d+)/locations/(\d+)/reviews)", [this](
                                                                           const httplib::Request&
                                                                               req,
                                                                           httplib::Response& res) {
      std::lock_guard lock(mu_);
      const std::string auth = req.get_header_value("Authorization");
      if (!tokens_.IsCurrent(auth) && auth != std::string("Bearer ") + kFixedToken) {
        res.status = 401;
        res.set_content(
            R"({"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}})",
            "application/json");
        return;
      }
      if (req.matches[1] != kAccount || req.matches[2] != kLocation) {
        res.status = 403;
        res.set_content(ReadFile(DataPath("google_business/error_permission_denied.json")),
                        "application/json");
        return;
      }
      const size_t per_page = std::stoul(req.get_param_value("pageSize"));
      const size_t offset =
          req.has_param("pageToken") ? std::stoul(req.get_param_value("pageToken").substr(1)) : 0;
      std::string items;
      for (size_t i = offset; i < reviews_.size() && i < offset + per_page; ++i) {
        const auto& [n, t] = reviews_[reviews_.size() - 1 - i];
        items += (items.empty() ? "" : ",") + ReviewJson(n, t);
      }
      std::string body = "{";
      if (!items.empty()) body += R"("reviews":[)" + items + "],";
      body += R"("averageRating":4.1,"totalReviewCount":)" + std::to_string(reviews_.size());
      if (offset + per_page < reviews_.size())
        body += R"(,"nextPageToken":"o)" + std::to_string(offset + per_page) + "\"";
      res.set_content(body + "}", "application/json");
    });
  }
  void Add(int count) {
    std::lock_guard lock(mu_);
    for (int i = 0; i < count; ++i)
      reviews_.emplace_back(++next_, clock_ += 60'000);
  }

 private:
  FakeGoogleTokenEndpoint& tokens_;
  std::mutex mu_;
  std::vector<std::pair<int64_t, UnixMillis>> reviews_;
  int64_t next_ = 0;
  UnixMillis clock_ = (NowMillis() - 86'400'000) / 1000 * 1000;
};

std::unique_ptr<Connector> MakeBusiness(HttpClient& http, const LocalHttpServer& host,
                                        std::map<std::string, std::string> auth,
                                        std::map<std::string, std::string> extra = {}) {
  SourceSpec spec;
  spec.name = "gbp";
  spec.kind = "google_business";
  spec.settings.Set("account", std::string("accounts/") + kAccount);
  spec.settings.Set("location", kLocation);
  spec.settings.Set("api_url", host.Url("/v4"));
  spec.settings.Set("timeout", "5s");
  for (const auto& [k, v] : auth)
    spec.settings.Set(k, v);
  for (const auto& [k, v] : extra)
    spec.settings.Set(k, v);
  auto c = GoogleBusinessConnectorDescriptor().create(spec, http);
  if (!c.ok()) FAIL(c.status().message());
  return std::move(c).value();
}

std::string Param(const RecordedRequest& r, const std::string& name) {
  auto it = r.params.find(name);
  return it == r.params.end() ? "" : it->second;
}

}  // namespace

TEST_CASE("google_business: a reviews page becomes mentions", "[google_business]") {
  auto page =
      ParseGoogleBusinessReviews(ReadFile(DataPath("google_business/location_reviews.json")), "gbp",
                                 "https://maps.google.com/?cid=123");
  REQUIRE(page.ok());
  CHECK(page->warnings.empty());
  CHECK(page->reviews == 3);
  CHECK(page->average_rating == 4.3);
  CHECK(page->total_review_count == 128);
  CHECK(page->next_page_token == "ABHRLXWq8a0p0y1Zt3VqQeL4mN6oP8r");
  REQUIRE(page->mentions.size() == 3);
  const Mention& m = page->mentions[0];
  CHECK(m.source == "gbp");
  CHECK(m.platform == "google_business");
  CHECK(m.external_id == "AbFvOqnY3xk9QmP0t7L2sZ8rW1cV");
  CHECK(m.url == "https://maps.google.com/?cid=123");
  CHECK_THAT(m.text, Catch::StartsWith("Booked a service slot online"));
  CHECK(m.rating == 2);
  CHECK(m.author.name == "Priya Natarajan");
  CHECK(m.created_at == *ParseRfc3339("2026-11-20T10:02:00.123Z"));
  CHECK(m.engagement.replies == 1);  // the business replied
  CHECK_THAT(m.raw, Catch::Contains("\"reviewReply\":{\"comment\":\"Sorry Priya"));
  CHECK(page->updated[0] == *ParseRfc3339("2026-11-20T10:05:30Z"));
  CHECK(m.edited_at == *ParseRfc3339("2026-11-20T10:05:30Z"));  // updateTime after createTime
  CHECK(page->mentions[2].edited_at == 0);                      // updateTime == createTime
  const Mention& anonymous = page->mentions[1];
  CHECK(anonymous.author.name.empty());
  CHECK(anonymous.rating == 5);
  CHECK(anonymous.engagement.replies == 0);
  CHECK_THAT(anonymous.text, Catch::Contains("(Translated by Google)\nGreat shop"));
  CHECK(page->mentions[2].text.empty());  // a rating without a comment
  CHECK(page->mentions[2].rating == 4);

  CHECK(StarRatingValue("THREE") == 3);
  CHECK_FALSE(StarRatingValue("STAR_RATING_UNSPECIFIED").has_value());

  auto none = ParseGoogleBusinessReviews(
      ReadFile(DataPath("google_business/location_no_reviews.json")), "g");
  REQUIRE(none.ok());
  CHECK(none->mentions.empty());

  const ConnectorDescriptor* d = FindConnector("google_business");
  REQUIRE(d != nullptr);
  auto parsed = d->parse(ReadFile(DataPath("google_business/location_reviews.json")), "saved");
  REQUIRE(parsed.ok());
  CHECK(parsed->size() == 3);
}

TEST_CASE("google_business: error bodies, malformed JSON, invalid UTF-8", "[google_business]") {
  auto fails = [](std::string_view body, const std::string& message) {
    INFO(body);
    auto page = ParseGoogleBusinessReviews(body, "g");
    REQUIRE_FALSE(page.ok());
    CHECK(page.status().code() == Status::Code::kParseError);
    CHECK(page.status().message() == message);
  };
  fails(ReadFile(DataPath("google_business/error_permission_denied.json")),
        "an error, not reviews: PERMISSION_DENIED (403): The caller does not have permission");
  fails("", "invalid JSON at byte 0: The document is empty.");
  fails(R"({"reviews":[{"reviewId":"a","comm)",
        "invalid JSON at byte 33: Missing a closing quotation mark in string.");
  fails("\"x\"", "expected a reviews response object, got a string");
  fails(R"({"reviews":{}})", "\"reviews\" is an object, not an array");
  fails(R"({"kind":"x"})", "no \"reviews\" array: not a Business Profile reviews response");
  auto page = ParseGoogleBusinessReviews(
      "{\"reviews\":[1,{\"comment\":\"no id\"},{\"name\":\"accounts/1/locations/2/reviews/"
      "Zz\",\"comment\":\"bad \xc3\x28\xff\",\"starRating\":\"SIX\"}]}",
      "g");
  REQUIRE(page.ok());
  CHECK(page->warnings == std::vector<std::string>{"review 0 skipped: a number, not an object",
                                                   "review 1 skipped: no reviewId"});
  REQUIRE(page->mentions.size() == 1);
  CHECK(page->mentions[0].external_id == "Zz");
  CHECK(page->mentions[0].text == "bad \xef\xbf\xbd(\xef\xbf\xbd");
  CHECK_FALSE(page->mentions[0].rating.has_value());
}

TEST_CASE("google_business: pages with a service account, then only what is new",
          "[google_business]") {
  LocalHttpServer host;
  FakeGoogleTokenEndpoint endpoint(host, "/token", kScope);
  FakeBusinessProfile gbp(host, endpoint);
  gbp.Add(120);
  host.Start();
  TempDir dir;
  const std::string key_file = WriteServiceAccountFile(dir, host.Url("/token"));
  HttpClient http;
  auto source = MakeBusiness(http, host, {{"service_account_file", key_file}});
  std::atomic<bool> stop{false};

  auto first = source->Poll({}, stop);
  REQUIRE(first.ok());
  CHECK(first->http_status == 200);
  CHECK(first->warnings.empty());
  CHECK(first->mentions.size() == 120);
  CHECK_FALSE(first->has_more);
  CHECK(first->mentions.front().external_id == "rv120");
  CHECK(first->mentions.front().engagement.replies == 1);
  CHECK(first->mentions[1].engagement.replies == 0);
  auto requests = host.requests();
  REQUIRE(requests.size() == 4);  // the token, then three pages
  CHECK(requests[0].path == "/token");
  CHECK(requests[1].path ==
        std::string("/v4/accounts/") + kAccount + "/locations/" + kLocation + "/reviews");
  CHECK(requests[1].Header("Authorization") == "Bearer ya29.test-1");
  CHECK(Param(requests[1], "pageSize") == "50");
  CHECK(Param(requests[1], "orderBy") == "updateTime desc");
  CHECK(Param(requests[2], "pageToken") == "o50");

  auto quiet = source->Poll(first->next_cursor, stop);
  REQUIRE(quiet.ok());
  CHECK(quiet->mentions.empty());
  CHECK(quiet->next_cursor == first->next_cursor);

  endpoint.RevokeAll();
  gbp.Add(3);
  auto second = source->Poll(quiet->next_cursor, stop);
  REQUIRE(second.ok());
  REQUIRE(second->mentions.size() == 3);
  CHECK(second->mentions[0].external_id == "rv123");
  CHECK(endpoint.issued().size() == 2);

  gbp.Add(25);
  auto bounded = MakeBusiness(http, host, {{"service_account_file", key_file}},
                              {{"page_size", "10"}, {"max_pages", "2"}});
  std::set<std::string> all;
  std::vector<size_t> sizes;
  SourceCursor cursor = second->next_cursor;
  bool more = true;
  while (more && sizes.size() < 10) {
    auto r = bounded->Poll(cursor, stop);
    REQUIRE(r.ok());
    for (const auto& m : r->mentions)
      CHECK(all.insert(m.external_id).second);
    sizes.push_back(r->mentions.size());
    cursor = r->next_cursor;
    more = r->has_more;
  }
  CHECK(sizes == std::vector<size_t>{20, 5});
  CHECK(all.size() == 25);
}

TEST_CASE("google_business: a fixed access token, refusals and errors", "[google_business]") {
  LocalHttpServer host;
  FakeGoogleTokenEndpoint endpoint(host, "/token", kScope);
  FakeBusinessProfile gbp(host, endpoint);
  gbp.Add(2);
  host.server().Get(R"(/limited/accounts/\d+/locations/\d+/reviews)", [](const httplib::Request&,
                                                                         httplib::Response& res) {
    res.status = 429;
    res.set_header("Retry-After", "33");
    res.set_content(
        R"({"error":{"code":429,"message":"Quota exceeded for quota metric","status":"RESOURCE_EXHAUSTED"}})",
        "application/json");
  });
  host.server().Get(R"(/broken/accounts/\d+/locations/\d+/reviews)",
                    [](const httplib::Request&, httplib::Response& res) {
                      res.status = 503;
                      res.set_content("unavailable", "text/plain");
                    });
  host.server().Get(R"(/cut/accounts/\d+/locations/\d+/reviews)",
                    [](const httplib::Request&, httplib::Response& res) {
                      res.set_content(R"({"reviews":[{"reviewId":"a)", "application/json");
                    });
  host.Start();
  HttpClient http;
  std::atomic<bool> stop{false};

  auto fixed = MakeBusiness(http, host, {{"access_token", kFixedToken}})->Poll({}, stop);
  REQUIRE(fixed.ok());
  CHECK(fixed->mentions.size() == 2);
  CHECK(host.requests().back().Header("Authorization") == std::string("Bearer ") + kFixedToken);
  CHECK(endpoint.issued().empty());

  auto refused =
      MakeBusiness(http, host, {{"access_token", "ya29.expired-token-999"}})->Poll({}, stop);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == Status::Code::kHttpError);
  CHECK_THAT(refused.status().message(),
             Catch::EndsWith(": UNAUTHENTICATED (401): Request had invalid authentication "
                             "credentials. (the access_token was refused: renew it, or use "
                             "service_account_file)"));
  CHECK_THAT(refused.status().message(), !Catch::Contains("ya29.expired-token-999"));

  auto denied = MakeBusiness(http, host, {{"access_token", kFixedToken}}, {{"location", "1"}})
                    ->Poll({}, stop);
  REQUIRE_FALSE(denied.ok());
  CHECK_THAT(denied.status().message(), Catch::Contains("PERMISSION_DENIED (403)"));

  auto limited_source = MakeBusiness(http, host, {{"access_token", kFixedToken}},
                                     {{"api_url", host.Url("/limited")}});
  auto limited = limited_source->Poll({}, stop);
  REQUIRE_FALSE(limited.ok());
  CHECK(limited.status().code() == Status::Code::kUnavailable);
  CHECK_THAT(limited.status().message(), Catch::Contains(", retry after 33 s: RESOURCE_EXHAUSTED"));
  CHECK_THAT(limited_source->Poll({}, stop).status().message(),
             Catch::Matches("google_business: rate limited: next request in (33|32) s"));

  auto broken =
      MakeBusiness(http, host, {{"access_token", kFixedToken}}, {{"api_url", host.Url("/broken")}})
          ->Poll({}, stop);
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.status().code() == Status::Code::kUnavailable);
  CHECK_THAT(broken.status().message(), Catch::StartsWith("HTTP 503 from "));

  auto cut =
      MakeBusiness(http, host, {{"access_token", kFixedToken}}, {{"api_url", host.Url("/cut")}})
          ->Poll({}, stop);
  REQUIRE_FALSE(cut.ok());
  CHECK(cut.status().code() == Status::Code::kParseError);
  CHECK_THAT(cut.status().message(), Catch::Contains("invalid JSON at byte"));
  CHECK_THAT(cut.status().message(), !Catch::Contains(kFixedToken));
}

TEST_CASE("google_business: settings", "[google_business]") {
  HttpClient http;
  TempDir dir;
  const std::string key_file = WriteServiceAccountFile(dir, "https://oauth2.googleapis.com/token");
  auto make = [&](std::map<std::string, std::string> values) {
    SourceSpec spec;
    spec.name = "g";
    for (const auto& [k, v] : values)
      spec.settings.Set(k, v);
    return GoogleBusinessConnectorDescriptor().create(spec, http);
  };
  CHECK(make({{"account", kAccount}, {"location", kLocation}, {"access_token", "t"}}).ok());
  CHECK(make({{"account", "accounts/1"},
              {"location", "locations/2"},
              {"service_account_file", key_file}})
            .ok());
  CHECK_FALSE(make({{"account", kAccount}, {"location", kLocation}}).ok());
  CHECK_FALSE(make({{"account", kAccount},
                    {"location", kLocation},
                    {"access_token", "t"},
                    {"service_account_file", key_file}})
                  .ok());
  CHECK_FALSE(make({{"account", "me"}, {"location", kLocation}, {"access_token", "t"}}).ok());
  CHECK_FALSE(make({{"account", kAccount},
                    {"location", kLocation},
                    {"access_token", "t"},
                    {"page_size", "51"}})
                  .ok());
}

TEST_CASE("google_business: recorded Business Profile bodies parse", "[google_business][shared]") {
  int files = 0;
  for (const char* folder : {"google_business", "google_my_business", "gbp"}) {
    const std::filesystem::path root = std::string(EARSHOT_SHARED_DIR) + "/fixtures/" + folder;
    if (!std::filesystem::exists(root)) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      const std::string name = entry.path().filename().string();
      if (entry.path().extension() != ".json" || name.find(".meta.json") != std::string::npos) {
        continue;
      }
      const std::string body = ReadFile(entry.path().string());
      if (body.find("\"starRating\"") == std::string::npos) continue;
      INFO(entry.path());
      auto page = ParseGoogleBusinessReviews(body, "recorded");
      REQUIRE(page.ok());
      for (const auto& m : page->mentions)
        CHECK(IsValidUtf8(m.text));
      ++files;
    }
  }
  if (files == 0) {
    WARN("skipped: no recorded Business Profile review bodies under " << EARSHOT_SHARED_DIR
                                                                      << "/fixtures");
  }
}
