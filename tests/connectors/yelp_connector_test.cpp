// The yelp source: Fusion review pages parsed offline (zone-less times), and poll cycles against
// a local server playing the Yelp Fusion API (bearer key, offset paging, daily limit).
#include "connectors/yelp/yelp_connector.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <mutex>
#include <set>

#include "connectors/http/http_client.h"
#include "connectors/yelp/yelp_reviews.h"
#include "core/time.h"
#include "core/utf8.h"
#include "tests/support/local_http_server.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

constexpr const char* kKey = "yelpKey-0123456789-abcdefghij-VOLTWAVE";
constexpr const char* kBusiness = "voltwave-bikes-san-francisco";

// "2026-11-20 10:02:00" at UTC-08:00, as Yelp writes a San Francisco business's times.
std::string LocalTime(UnixMillis utc) {
  std::string s = FormatRfc3339(utc - 8 * 3'600'000);
  s[10] = ' ';
  return s.substr(0, 19);
}

std::string ReviewJson(int64_t n, UnixMillis created) {
  return R"({"id":"rev)" + std::to_string(n) +
         R"(","url":"https://www.yelp.com/biz/voltwave-bikes-san-francisco?hrid=rev)" +
         std::to_string(n) + R"(","text":"review )" + std::to_string(n) + R"(","rating":)" +
         std::to_string(1 + n % 5) + R"(,"time_created":")" + LocalTime(created) +
         R"(","user":{"id":"u)" + std::to_string(n % 7) +
         R"(","profile_url":"https://www.yelp.com/user_details?userid=u)" + std::to_string(n % 7) +
         R"(","image_url":null,"name":"User )" + std::to_string(n % 7) + R"("}})";
}

// Reviews newest first, limit and offset, "total" the count.
class FakeYelp {
 public:
  explicit FakeYelp(LocalHttpServer& host) {
    host.server().Get(R"(/v3/businesses/([^/]+)/reviews)", [this](const httplib::Request& req,
                                                                  httplib::Response& res) {
      std::lock_guard lock(mu_);
      if (req.get_header_value("Authorization") != std::string("Bearer ") + kKey) {
        res.status = 401;
        res.set_content(ReadFile(DataPath("yelp/error_token_invalid.json")), "application/json");
        return;
      }
      if (req.matches[1] != kBusiness) {
        res.status = 404;
        res.set_content(ReadFile(DataPath("yelp/error_business_not_found.json")),
                        "application/json");
        return;
      }
      if (limit_reached_) {
        res.status = 429;
        res.set_content(ReadFile(DataPath("yelp/error_access_limit.json")), "application/json");
        return;
      }
      const size_t limit = std::stoul(req.get_param_value("limit"));
      const size_t offset = req.has_param("offset") ? std::stoul(req.get_param_value("offset")) : 0;
      std::string items;
      for (size_t i = offset; i < reviews_.size() && i < offset + limit; ++i) {
        const auto& [n, t] = reviews_[reviews_.size() - 1 - i];
        items += (items.empty() ? "" : ",") + ReviewJson(n, t);
      }
      res.set_content(R"({"reviews":[)" + items + R"(],"total":)" +
                          std::to_string(reviews_.size()) + R"(,"possible_languages":["en"]})",
                      "application/json");
    });
  }
  void Add(int count) {
    std::lock_guard lock(mu_);
    for (int i = 0; i < count; ++i)
      reviews_.emplace_back(++next_, clock_ += 60'000);
  }
  void LimitReached() {
    std::lock_guard lock(mu_);
    limit_reached_ = true;
  }

 private:
  std::mutex mu_;
  std::vector<std::pair<int64_t, UnixMillis>> reviews_;
  int64_t next_ = 0;
  UnixMillis clock_ = (NowMillis() - 86'400'000) / 1000 * 1000;
  bool limit_reached_ = false;
};

std::unique_ptr<Connector> MakeYelp(HttpClient& http, const std::string& api_url,
                                    std::map<std::string, std::string> extra = {}) {
  SourceSpec spec;
  spec.name = "yelp-sf";
  spec.kind = "yelp";
  spec.settings.Set("business_id", kBusiness);
  spec.settings.Set("api_key", kKey);
  spec.settings.Set("timezone", "-08:00");
  spec.settings.Set("api_url", api_url);
  spec.settings.Set("timeout", "5s");
  for (const auto& [k, v] : extra)
    spec.settings.Set(k, v);
  auto c = YelpConnectorDescriptor().create(spec, http);
  REQUIRE(c.ok());
  return std::move(c).value();
}

std::string Param(const RecordedRequest& r, const std::string& name) {
  auto it = r.params.find(name);
  return it == r.params.end() ? "" : it->second;
}

}  // namespace

TEST_CASE("yelp: a reviews page becomes mentions", "[yelp]") {
  const std::string body = ReadFile(DataPath("yelp/business_reviews_newest.json"));
  auto page = ParseYelpReviews(body, "yelp");
  REQUIRE(page.ok());
  CHECK(page->warnings.empty());
  CHECK(page->reviews == 3);
  CHECK(page->total == 57);
  REQUIRE(page->mentions.size() == 3);
  const Mention& m = page->mentions[0];
  CHECK(m.source == "yelp");
  CHECK(m.platform == "yelp");
  CHECK(m.external_id == "xAG4O7l-t1ubbwVAlPnDKg");
  CHECK_THAT(m.url, Catch::StartsWith("https://www.yelp.com/biz/voltwave-bikes-san-francisco?"));
  CHECK_THAT(m.text, Catch::StartsWith("Dropped off my Voltwave Go for a battery check & they"));
  CHECK(m.rating == 5);
  CHECK(m.created_at == *ParseRfc3339("2026-11-20T10:02:00Z"));  // no zone: UTC
  CHECK(m.author.id == "W8UK02IDdRS2GL_66fuq6w");
  CHECK(m.author.name == "Ella A.");
  CHECK(m.author.profile_url == "https://www.yelp.com/user_details?userid=W8UK02IDdRS2GL_66fuq6w");
  CHECK(page->mentions[1].author.name == "Tom\xc3\xa1s R.");
  CHECK(page->mentions[1].rating == 2);

  auto pacific = ParseYelpReviews(body, "yelp", *ParseUtcOffsetMillis("-08:00"));
  REQUIRE(pacific.ok());
  CHECK(pacific->mentions[0].created_at == *ParseRfc3339("2026-11-20T18:02:00Z"));
  CHECK(ParseUtcOffsetMillis("+0530") == 19'800'000);
  CHECK(ParseUtcOffsetMillis("UTC") == 0);
  CHECK_FALSE(ParseUtcOffsetMillis("America/Los_Angeles").has_value());
  CHECK_FALSE(ParseUtcOffsetMillis("+25:00").has_value());

  const ConnectorDescriptor* d = FindConnector("yelp");
  REQUIRE(d != nullptr);
  auto parsed = d->parse(body, "saved");
  REQUIRE(parsed.ok());
  CHECK(parsed->size() == 3);
}

TEST_CASE("yelp: error bodies, malformed JSON, invalid UTF-8", "[yelp]") {
  auto error = ParseYelpError(ReadFile(DataPath("yelp/error_token_invalid.json")));
  REQUIRE(error.has_value());
  CHECK(error->ToString() == "TOKEN_INVALID: Invalid access token or authorization header.");
  auto fails = [](std::string_view body, const std::string& message) {
    INFO(body);
    auto page = ParseYelpReviews(body, "yelp");
    REQUIRE_FALSE(page.ok());
    CHECK(page.status().code() == Status::Code::kParseError);
    CHECK(page.status().message() == message);
  };
  fails(ReadFile(DataPath("yelp/error_business_not_found.json")),
        "an error, not reviews: BUSINESS_NOT_FOUND: The requested business could not be found.");
  fails("", "invalid JSON at byte 0: The document is empty.");
  fails(R"({"reviews":[{"id":"a","rating":5,"te)",
        "invalid JSON at byte 36: Missing a closing quotation mark in string.");
  fails("null", "expected a reviews response object, got null");
  fails(R"({"reviews":"none"})", "\"reviews\" is a string, not an array");
  fails(R"({"total":0})", "no \"reviews\" array: not a Yelp reviews response");

  auto page = ParseYelpReviews(
      "{\"reviews\":[[],{\"text\":\"no id\"},{\"id\":\"r\",\"rating\":4.5,\"text\":\"na\xefve "
      "\xc3\"}],\"total\":3}",
      "yelp");
  REQUIRE(page.ok());
  CHECK(page->warnings == std::vector<std::string>{"review 0 skipped: an array, not an object",
                                                   "review 1 skipped: no id"});
  REQUIRE(page->mentions.size() == 1);
  CHECK(IsValidUtf8(page->mentions[0].text));
  CHECK(page->mentions[0].rating == 4.5);
  CHECK(page->mentions[0].created_at == 0);
}

TEST_CASE("yelp: offset pages, then only what is new", "[yelp]") {
  LocalHttpServer host;
  FakeYelp yelp(host);
  yelp.Add(45);
  host.Start();
  HttpClient http;
  auto source = MakeYelp(http, host.Url("/v3"), {{"locale", "en_US"}});
  std::atomic<bool> stop{false};

  auto first = source->Poll({}, stop);
  REQUIRE(first.ok());
  CHECK(first->http_status == 200);
  CHECK(first->warnings.empty());
  REQUIRE(first->mentions.size() == 45);
  CHECK_FALSE(first->has_more);
  CHECK(first->mentions.front().external_id == "rev45");
  auto requests = host.requests();
  REQUIRE(requests.size() == 3);
  CHECK(requests[0].path == std::string("/v3/businesses/") + kBusiness + "/reviews");
  CHECK(requests[0].Header("Authorization") == std::string("Bearer ") + kKey);
  CHECK(Param(requests[0], "limit") == "20");
  CHECK(Param(requests[0], "sort_by") == "newest");
  CHECK(Param(requests[0], "locale") == "en_US");
  CHECK(Param(requests[0], "offset").empty());
  CHECK(Param(requests[1], "offset") == "20");
  CHECK(Param(requests[2], "offset") == "40");
  // The zone-less local times, read at -08:00, come out as the real instants.
  CHECK(first->mentions.front().created_at % 1000 == 0);
  CHECK(first->mentions.front().created_at > NowMillis() - 86'400'000);
  CHECK(first->mentions.front().created_at < NowMillis());

  auto quiet = source->Poll(first->next_cursor, stop);
  REQUIRE(quiet.ok());
  CHECK(quiet->mentions.empty());
  CHECK(host.request_count() == 4);

  yelp.Add(2);
  auto second = source->Poll(quiet->next_cursor, stop);
  REQUIRE(second.ok());
  REQUIRE(second->mentions.size() == 2);
  CHECK(second->mentions[0].external_id == "rev47");
  CHECK(second->mentions[1].external_id == "rev46");

  // max_pages bounds a poll; the next goes on from the saved offset.
  yelp.Add(50);
  auto bounded = MakeYelp(http, host.Url("/v3"), {{"limit", "10"}, {"max_pages", "2"}});
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
  CHECK(sizes == std::vector<size_t>{20, 20, 10});
  CHECK(all.size() == 50);
}

TEST_CASE("yelp: auth, daily limit, server errors and bad bodies", "[yelp]") {
  LocalHttpServer host;
  FakeYelp yelp(host);
  yelp.Add(1);
  host.server().Get(R"(/busy/businesses/[^/]+/reviews)",
                    [](const httplib::Request&, httplib::Response& res) {
                      res.status = 503;
                      res.set_header("Retry-After", "12");
                      res.set_content("{}", "application/json");
                    });
  host.server().Get(R"(/broken/businesses/[^/]+/reviews)", [](const httplib::Request&,
                                                              httplib::Response& res) {
    res.status = 500;
    res.set_content(R"({"error":{"code":"INTERNAL_ERROR","description":"x"}})", "application/json");
  });
  host.server().Get(R"(/cut/businesses/[^/]+/reviews)",
                    [](const httplib::Request&, httplib::Response& res) {
                      res.set_content(R"({"reviews":[{"id":"a","ra)", "application/json");
                    });
  host.Start();
  HttpClient http;
  std::atomic<bool> stop{false};

  auto denied = MakeYelp(http, host.Url("/v3"), {{"api_key", "bad-key-0000000"}})->Poll({}, stop);
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.status().code() == Status::Code::kHttpError);
  CHECK_THAT(denied.status().message(),
             Catch::EndsWith(": TOKEN_INVALID: Invalid access token or authorization header. "
                             "(check api_key)"));
  CHECK_THAT(denied.status().message(), !Catch::Contains("bad-key-0000000"));

  auto missing = MakeYelp(http, host.Url("/v3"), {{"business_id", "nope"}})->Poll({}, stop);
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.status().message(), Catch::Contains("BUSINESS_NOT_FOUND"));

  auto busy_source = MakeYelp(http, host.Url("/busy"));
  auto busy = busy_source->Poll({}, stop);
  REQUIRE_FALSE(busy.ok());
  CHECK(busy.status().code() == Status::Code::kUnavailable);
  CHECK_THAT(busy.status().message(), Catch::Contains(", retry after 12 s"));
  CHECK_THAT(busy_source->Poll({}, stop).status().message(),
             Catch::Matches("yelp: rate limited: next request in (12|11) s"));

  auto broken = MakeYelp(http, host.Url("/broken"))->Poll({}, stop);
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.status().code() == Status::Code::kHttpError);
  CHECK_THAT(broken.status().message(), Catch::EndsWith(": INTERNAL_ERROR: x"));

  auto cut = MakeYelp(http, host.Url("/cut"))->Poll({}, stop);
  REQUIRE_FALSE(cut.ok());
  CHECK(cut.status().code() == Status::Code::kParseError);
  CHECK_THAT(cut.status().message(), Catch::Contains(": invalid JSON at byte 25"));

  yelp.LimitReached();
  auto spent_source = MakeYelp(http, host.Url("/v3"));
  auto spent = spent_source->Poll({}, stop);
  REQUIRE_FALSE(spent.ok());
  CHECK(spent.status().code() == Status::Code::kUnavailable);
  CHECK_THAT(spent.status().message(),
             Catch::Contains(": ACCESS_LIMIT_REACHED: You've reached the access limit"));
  CHECK_THAT(spent.status().message(), Catch::EndsWith("(the daily limit resets at 00:00 UTC)"));
  CHECK_THAT(spent_source->Poll({}, stop).status().message(),
             Catch::StartsWith("yelp: daily API limit reached: next request in "));
}

TEST_CASE("yelp: settings", "[yelp]") {
  HttpClient http;
  auto make = [&](std::map<std::string, std::string> values) {
    SourceSpec spec;
    spec.name = "yelp";
    for (const auto& [k, v] : values)
      spec.settings.Set(k, v);
    return YelpConnectorDescriptor().create(spec, http);
  };
  CHECK(make({{"business_id", kBusiness}, {"api_key", "k"}}).ok());
  CHECK(make({{"business_id", kBusiness}, {"api_key", "k"}, {"timezone", "+01:00"}}).ok());
  CHECK_FALSE(make({{"business_id", kBusiness}}).ok());
  CHECK_FALSE(make({{"api_key", "k"}}).ok());
  CHECK_FALSE(make({{"business_id", kBusiness}, {"api_key", "k"}, {"timezone", "PST"}}).ok());
  CHECK_FALSE(make({{"business_id", kBusiness}, {"api_key", "k"}, {"limit", "51"}}).ok());
}

TEST_CASE("yelp: recorded Yelp bodies", "[yelp][shared]") {
  const std::filesystem::path root = std::string(EARSHOT_SHARED_DIR) + "/fixtures/yelp";
  if (!std::filesystem::exists(root)) {
    WARN("skipped: " << root << " is absent");
    return;
  }
  int reviews = 0, others = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".json" || name.find(".meta.json") != std::string::npos) {
      continue;
    }
    INFO(entry.path());
    const std::string body = ReadFile(entry.path().string());
    auto page = ParseYelpReviews(body, "recorded");
    if (body.find("\"reviews\"") != std::string::npos) {
      REQUIRE(page.ok());
      for (const auto& m : page->mentions)
        CHECK(IsValidUtf8(m.text));
      ++reviews;
    } else {
      // Business lookups and the like: refused with a clear message, never a crash.
      REQUIRE_FALSE(page.ok());
      CHECK(page.status().code() == Status::Code::kParseError);
      ++others;
    }
  }
  WARN("recorded Yelp bodies: " << reviews << " review lists, " << others << " other bodies");
}
