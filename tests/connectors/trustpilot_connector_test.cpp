// The trustpilot source: business-unit review pages parsed offline, and poll cycles against a
// local server playing the Trustpilot API (apikey header, numbered pages, createdAt cursor).
#include "connectors/trustpilot/trustpilot_connector.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>

#include "connectors/http/http_client.h"
#include "connectors/trustpilot/trustpilot_reviews.h"
#include "core/time.h"
#include "core/utf8.h"
#include "tests/support/local_http_server.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

constexpr const char* kKey = "tpKey0123456789abcdefVOLT";
constexpr const char* kUnit = "5f0c1a2b3c4d5e6f7a8b9c0d";

std::string ReviewJson(int64_t n, UnixMillis created) {
  return R"({"id":"r)" + std::to_string(n) + R"(","consumer":{"id":"c)" + std::to_string(n % 5) +
         R"(","displayName":"Rider )" + std::to_string(n % 5) + R"("},"stars":)" +
         std::to_string(1 + n % 5) + R"(,"title":"Review )" + std::to_string(n) +
         R"(","text":"voltwave","language":"en","createdAt":")" + FormatRfc3339(created) + R"("})";
}

// Reviews newest first, numbered pages from 1, a next-page link while there is more.
class FakeTrustpilot {
 public:
  explicit FakeTrustpilot(LocalHttpServer& host) {
    host.server().Get(R"(/v1/business-units/([^/]+)/reviews)", [this](const httplib::Request& req,
                                                                      httplib::Response& res) {
      std::lock_guard lock(mu_);
      if (req.get_header_value("apikey") != kKey) {
        res.status = 401;
        res.set_content(ReadFile(DataPath("trustpilot/error_invalid_apikey.json")),
                        "application/json");
        return;
      }
      if (req.matches[1] != kUnit) {
        res.status = 404;
        res.set_content(ReadFile(DataPath("trustpilot/error_not_found.json")), "application/json");
        return;
      }
      const size_t per_page = std::stoul(req.get_param_value("perPage"));
      const size_t page = std::stoul(req.get_param_value("page"));
      std::string items;
      const size_t start = (page - 1) * per_page;
      for (size_t i = start; i < reviews_.size() && i < start + per_page; ++i) {
        const auto& [n, t] = reviews_[reviews_.size() - 1 - i];
        auto edit = edits_.find(n);
        items +=
            (items.empty() ? "" : ",") + (edit != edits_.end() ? edit->second : ReviewJson(n, t));
      }
      std::string links = R"([{"href":"self","method":"GET","rel":"self"})";
      if (start + per_page < reviews_.size())
        links +=
            R"(,{"href":"https://api.trustpilot.com/v1/next","method":"GET","rel":"next-page"})";
      res.set_content(R"({"links":)" + links + R"(],"reviews":[)" + items + "]}",
                      "application/json");
    });
  }
  void Add(int count) {
    std::lock_guard lock(mu_);
    for (int i = 0; i < count; ++i)
      reviews_.emplace_back(++next_, clock_ += 60'000);
  }
  // The consumer rewrites review n: one star now, and Trustpilot sets updatedAt.
  void Edit(int64_t n, const std::string& text, UnixMillis at) {
    std::lock_guard lock(mu_);
    const UnixMillis created = reviews_.at(static_cast<size_t>(n - 1)).second;
    edits_[n] =
        R"({"id":"r)" + std::to_string(n) + R"(","consumer":{"id":"c1","displayName":"Rider"},)" +
        R"("stars":1,"title":"Edited","text":")" + text + R"(","language":"en","createdAt":")" +
        FormatRfc3339(created) + R"(","updatedAt":")" + FormatRfc3339(at) + R"("})";
  }

 private:
  std::mutex mu_;
  std::vector<std::pair<int64_t, UnixMillis>> reviews_;  // oldest first
  std::map<int64_t, std::string> edits_;                 // review number -> its edited JSON
  int64_t next_ = 0;
  UnixMillis clock_ = NowMillis() - 86'400'000;
};

std::unique_ptr<Connector> MakeTrustpilot(HttpClient& http, const std::string& api_url,
                                          std::map<std::string, std::string> extra = {}) {
  SourceSpec spec;
  spec.name = "tp-voltwave";
  spec.kind = "trustpilot";
  spec.settings.Set("business_unit_id", kUnit);
  spec.settings.Set("api_key", kKey);
  spec.settings.Set("api_url", api_url);
  spec.settings.Set("timeout", "5s");
  for (const auto& [k, v] : extra)
    spec.settings.Set(k, v);
  auto c = TrustpilotConnectorDescriptor().create(spec, http);
  REQUIRE(c.ok());
  return std::move(c).value();
}

std::string Param(const RecordedRequest& r, const std::string& name) {
  auto it = r.params.find(name);
  return it == r.params.end() ? "" : it->second;
}

}  // namespace

TEST_CASE("trustpilot: a reviews page becomes mentions", "[trustpilot]") {
  auto page =
      ParseTrustpilotReviews(ReadFile(DataPath("trustpilot/business_unit_reviews.json")), "tp");
  REQUIRE(page.ok());
  CHECK(page->warnings.empty());
  CHECK(page->reviews == 2);
  CHECK_THAT(page->next_page_url, Catch::Contains("page=2"));
  REQUIRE(page->mentions.size() == 2);
  const Mention& m = page->mentions[0];
  CHECK(m.source == "tp");
  CHECK(m.platform == "trustpilot");
  CHECK(m.external_id == "6740a1b2c3d4e5f6a7b8c9d0");
  CHECK(m.url == "https://www.trustpilot.com/reviews/6740a1b2c3d4e5f6a7b8c9d0");
  CHECK(m.title == "Battery replaced twice in a year");
  CHECK(m.text ==
        "The Go rides well but the battery died twice. Support was polite & slow.\nTwo weeks "
        "without a bike each time.");
  CHECK(m.lang == "en");
  CHECK(m.rating == 2);
  CHECK(m.created_at == *ParseRfc3339("2026-11-20T10:02:00Z"));
  CHECK(m.author.id == "5a1b2c3d4e5f6a7b8c9d0e1f");
  CHECK(m.author.name == "Marta K.");
  CHECK(m.author.profile_url == "https://www.trustpilot.com/users/5a1b2c3d4e5f6a7b8c9d0e1f");
  CHECK(m.engagement.likes == 4);
  CHECK_THAT(m.raw, Catch::Contains("\"companyReply\":{\"text\":\"Hi Marta"));
  CHECK(page->mentions[1].rating == 5);
  CHECK(page->mentions[1].author.name == "J\xc3\xb6rg");
  CHECK(page->mentions[1].lang == "de");

  const ConnectorDescriptor* d = FindConnector("trustpilot");
  REQUIRE(d != nullptr);
  auto parsed = d->parse(ReadFile(DataPath("trustpilot/business_unit_reviews.json")), "saved");
  REQUIRE(parsed.ok());
  CHECK(parsed->size() == 2);
}

TEST_CASE("trustpilot: an edited review carries updatedAt as its edit time", "[trustpilot]") {
  auto page = ParseTrustpilotReviews(R"({"reviews":[
    {"id":"6740a1b2c3d4e5f6a7b8c9d1","stars":1,"title":"Changed my mind","text":"Battery died",
     "language":"en","createdAt":"2026-11-20T10:02:00Z","updatedAt":"2026-11-24T08:15:30Z",
     "consumer":{"id":"5a1b2c3d4e5f6a7b8c9d0e1f","displayName":"Marta K."}},
    {"id":"6740a1b2c3d4e5f6a7b8c9d2","stars":5,"title":"Great","text":"Rides well",
     "language":"en","createdAt":"2026-11-21T10:02:00Z","updatedAt":null}]})",
                                     "tp");
  REQUIRE(page.ok());
  REQUIRE(page->mentions.size() == 2);
  CHECK(page->mentions[0].edited_at == *ParseRfc3339("2026-11-24T08:15:30Z"));
  CHECK(page->mentions[0].created_at == *ParseRfc3339("2026-11-20T10:02:00Z"));
  CHECK(page->mentions[1].edited_at == 0);
  CHECK_FALSE(page->mentions[1].deleted);
}

TEST_CASE("trustpilot: recheck reads recent reviews again, with their edits", "[trustpilot]") {
  LocalHttpServer host;
  FakeTrustpilot tp(host);
  tp.Add(30);  // a minute apart
  host.Start();
  HttpClient http;
  auto source = MakeTrustpilot(http, host.Url("/v1"), {{"per_page", "10"}, {"recheck", "10m"}});
  std::atomic<bool> stop{false};
  auto first = source->Poll({}, stop);
  REQUIRE(first.ok());
  CHECK(first->mentions.size() == 30);

  // The ten newer than ten minutes before the newest are read again; the read ends below them.
  tp.Edit(28, "voltwave lost my refund", NowMillis());
  auto again = source->Poll(first->next_cursor, stop);
  REQUIRE(again.ok());
  REQUIRE(again->mentions.size() == 10);
  CHECK(again->mentions.front().external_id == "r30");
  CHECK(again->mentions.back().external_id == "r21");
  CHECK(again->next_cursor == first->next_cursor);
  const Mention& edited = again->mentions[2];
  CHECK(edited.external_id == "r28");
  CHECK(edited.text == "voltwave lost my refund");
  CHECK(edited.rating == 1);
  CHECK(edited.edited_at > edited.created_at);

  // Without recheck each review is read once.
  auto once = MakeTrustpilot(http, host.Url("/v1"), {{"per_page", "10"}});
  auto quiet = once->Poll(first->next_cursor, stop);
  REQUIRE(quiet.ok());
  CHECK(quiet->mentions.empty());
}

TEST_CASE("trustpilot: error bodies, malformed JSON, invalid UTF-8", "[trustpilot]") {
  CHECK(TrustpilotErrorMessage(ReadFile(DataPath("trustpilot/error_invalid_apikey.json"))) ==
        "Invalid ApiKey (oauth.v2.InvalidApiKey)");
  CHECK(TrustpilotErrorMessage(ReadFile(DataPath("trustpilot/error_not_found.json"))) ==
        "Business unit not found");
  auto fails = [](std::string_view body, const std::string& message) {
    INFO(body);
    auto page = ParseTrustpilotReviews(body, "tp");
    REQUIRE_FALSE(page.ok());
    CHECK(page.status().code() == Status::Code::kParseError);
    CHECK(page.status().message() == message);
  };
  fails(ReadFile(DataPath("trustpilot/error_invalid_apikey.json")),
        "an error, not reviews: Invalid ApiKey (oauth.v2.InvalidApiKey)");
  fails("", "invalid JSON at byte 0: The document is empty.");
  fails(R"({"reviews":[{"id":"r1","stars":)", "invalid JSON at byte 31: Invalid value.");
  fails("3", "expected a reviews response object, got a number");
  fails(R"({"reviews":{}})", "\"reviews\" is an object, not an array");
  fails(R"({"links":[]})", "no \"reviews\" array: not a Trustpilot reviews response");

  auto page = ParseTrustpilotReviews(
      "{\"reviews\":[null,{\"stars\":3},{\"id\":\"r9\",\"stars\":9,\"text\":\"\xc3\x28 ok "
      "\xff\"}]}",
      "tp");
  REQUIRE(page.ok());
  CHECK(page->warnings == std::vector<std::string>{"review 0 skipped: null, not an object",
                                                   "review 1 skipped: no usable id"});
  REQUIRE(page->mentions.size() == 1);
  CHECK(page->mentions[0].text == "\xef\xbf\xbd( ok \xef\xbf\xbd");
  CHECK_FALSE(page->mentions[0].rating.has_value());
  CHECK(page->next_page_url.empty());
}

TEST_CASE("trustpilot: numbered pages, then only what is new", "[trustpilot]") {
  LocalHttpServer host;
  FakeTrustpilot tp(host);
  tp.Add(230);
  host.Start();
  HttpClient http;
  auto source = MakeTrustpilot(http, host.Url("/v1"));
  std::atomic<bool> stop{false};

  auto first = source->Poll({}, stop);
  REQUIRE(first.ok());
  CHECK(first->http_status == 200);
  CHECK(first->warnings.empty());
  CHECK(first->mentions.size() == 230);
  CHECK_FALSE(first->has_more);
  CHECK(first->mentions.front().external_id == "r230");
  auto requests = host.requests();
  REQUIRE(requests.size() == 3);
  CHECK(requests[0].path == std::string("/v1/business-units/") + kUnit + "/reviews");
  CHECK(requests[0].Header("apikey") == kKey);
  CHECK(Param(requests[0], "perPage") == "100");
  CHECK(Param(requests[0], "orderBy") == "createdat.desc");
  CHECK(Param(requests[0], "page") == "1");
  CHECK(Param(requests[2], "page") == "3");
  CHECK(std::stoll(first->next_cursor.position) == first->mentions.front().created_at);

  auto quiet = source->Poll(first->next_cursor, stop);
  REQUIRE(quiet.ok());
  CHECK(quiet->mentions.empty());
  CHECK(quiet->next_cursor == first->next_cursor);
  CHECK(host.request_count() == 4);

  tp.Add(3);
  auto second = source->Poll(quiet->next_cursor, stop);
  REQUIRE(second.ok());
  REQUIRE(second->mentions.size() == 3);
  CHECK(second->mentions[0].external_id == "r233");
  CHECK(second->mentions[2].external_id == "r231");
}

TEST_CASE("trustpilot: max_pages bounds a poll and the rest is caught up", "[trustpilot]") {
  LocalHttpServer host;
  FakeTrustpilot tp(host);
  tp.Add(45);
  host.Start();
  HttpClient http;
  auto source = MakeTrustpilot(http, host.Url("/v1"), {{"per_page", "10"}, {"max_pages", "2"}});
  std::atomic<bool> stop{false};
  std::set<std::string> all;
  std::vector<size_t> sizes;
  SourceCursor cursor;
  bool more = true;
  while (more && sizes.size() < 10) {
    auto r = source->Poll(cursor, stop);
    REQUIRE(r.ok());
    for (const auto& m : r->mentions)
      CHECK(all.insert(m.external_id).second);
    sizes.push_back(r->mentions.size());
    cursor = r->next_cursor;
    more = r->has_more;
  }
  CHECK(sizes == std::vector<size_t>{20, 20, 5});
  CHECK(all.size() == 45);
  CHECK(Param(host.requests()[2], "page") == "3");
}

TEST_CASE("trustpilot: auth, rate limits, server errors and bad bodies", "[trustpilot]") {
  LocalHttpServer host;
  FakeTrustpilot tp(host);
  tp.Add(2);
  host.server().Get(R"(/limited/business-units/[^/]+/reviews)",
                    [](const httplib::Request&, httplib::Response& res) {
                      res.status = 429;
                      res.set_header("Retry-After", "25");
                      res.set_content(R"({"message":"Too many requests"})", "application/json");
                    });
  host.server().Get(R"(/broken/business-units/[^/]+/reviews)",
                    [](const httplib::Request&, httplib::Response& res) {
                      res.status = 502;
                      res.set_content("<html>Bad Gateway</html>", "text/html");
                    });
  host.server().Get(R"(/cut/business-units/[^/]+/reviews)",
                    [](const httplib::Request&, httplib::Response& res) {
                      res.set_content(R"({"reviews":[{"id":"r1","sta)", "application/json");
                    });
  host.Start();
  HttpClient http;
  std::atomic<bool> stop{false};

  auto denied =
      MakeTrustpilot(http, host.Url("/v1"), {{"api_key", "wrong-key-987654"}})->Poll({}, stop);
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.status().code() == Status::Code::kHttpError);
  CHECK_THAT(denied.status().message(),
             Catch::EndsWith(": Invalid ApiKey (oauth.v2.InvalidApiKey) (check api_key)"));
  CHECK_THAT(denied.status().message(), !Catch::Contains("wrong-key-987654"));

  auto missing =
      MakeTrustpilot(http, host.Url("/v1"), {{"business_unit_id", "nope"}})->Poll({}, stop);
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.status().message(), Catch::EndsWith(": Business unit not found"));

  auto limited_source = MakeTrustpilot(http, host.Url("/limited"));
  auto limited = limited_source->Poll({}, stop);
  REQUIRE_FALSE(limited.ok());
  CHECK(limited.status().code() == Status::Code::kUnavailable);
  CHECK_THAT(limited.status().message(), Catch::Contains(", retry after 25 s: Too many requests"));
  CHECK_THAT(limited_source->Poll({}, stop).status().message(),
             Catch::Matches("trustpilot: rate limited: next request in (25|24) s"));

  auto broken = MakeTrustpilot(http, host.Url("/broken"))->Poll({}, stop);
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.status().code() == Status::Code::kHttpError);
  CHECK_THAT(broken.status().message(), Catch::StartsWith("HTTP 502 from "));

  auto cut = MakeTrustpilot(http, host.Url("/cut"))->Poll({}, stop);
  REQUIRE_FALSE(cut.ok());
  CHECK(cut.status().code() == Status::Code::kParseError);
  CHECK_THAT(cut.status().message(), Catch::Contains(": invalid JSON at byte 27"));
}

TEST_CASE("trustpilot: settings", "[trustpilot]") {
  HttpClient http;
  auto make = [&](std::map<std::string, std::string> values) {
    SourceSpec spec;
    spec.name = "tp";
    for (const auto& [k, v] : values)
      spec.settings.Set(k, v);
    return TrustpilotConnectorDescriptor().create(spec, http);
  };
  CHECK(make({{"business_unit_id", kUnit}, {"api_key", "k"}}).ok());
  CHECK_FALSE(make({{"business_unit_id", kUnit}}).ok());
  CHECK_FALSE(make({{"api_key", "k"}}).ok());
  CHECK_FALSE(make({{"business_unit_id", "a/b"}, {"api_key", "k"}}).ok());
  CHECK_FALSE(make({{"business_unit_id", kUnit}, {"api_key", "k"}, {"per_page", "500"}}).ok());
}

TEST_CASE("trustpilot: recorded Trustpilot bodies parse", "[trustpilot][shared]") {
  const std::filesystem::path root = std::string(EARSHOT_SHARED_DIR) + "/fixtures/trustpilot";
  if (!std::filesystem::exists(root)) {
    WARN("skipped: " << root << " is absent");
    return;
  }
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".json" || name.find(".meta.json") != std::string::npos) {
      continue;
    }
    const std::string body = ReadFile(entry.path().string());
    if (body.find("\"reviews\"") == std::string::npos) continue;
    INFO(entry.path());
    auto page = ParseTrustpilotReviews(body, "recorded");
    REQUIRE(page.ok());
    for (const auto& m : page->mentions)
      CHECK(IsValidUtf8(m.text));
    ++files;
  }
  WARN("recorded Trustpilot review bodies: " << files << " files");
}
