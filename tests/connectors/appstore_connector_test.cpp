// The appstore source: customer-reviews feed pages parsed offline, and poll cycles against a
// local server playing Apple's feed (ten pages at most, resumed from the newest review id).
#include "connectors/appstore/appstore_connector.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>

#include "connectors/appstore/appstore_reviews.h"
#include "connectors/http/http_client.h"
#include "core/time.h"
#include "core/utf8.h"
#include "tests/support/local_http_server.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

constexpr const char* kAppId = "1490000002";
constexpr size_t kPerPage = 50;

std::string EntryJson(int64_t id) {
  return R"({"author":{"uri":{"label":"https://itunes.apple.com/us/reviews/id)" +
         std::to_string(id % 97) + R"("},"name":{"label":"rider)" + std::to_string(id % 97) +
         R"("},"label":""},"updated":{"label":")" + FormatRfc3339(1'748'000'000'000 + id * 60'000) +
         R"("},"im:rating":{"label":")" + std::to_string(1 + id % 5) +
         R"("},"im:version":{"label":"4.12.0"},"id":{"label":")" +
         std::to_string(12'000'000'000 + id) + R"("},"title":{"label":"Review )" +
         std::to_string(id) +
         R"("},"content":{"label":"Voltwave app review","attributes":{"type":"text"}},"im:voteSum":{"label":"0"}})";
}

// Reviews newest first, 50 a page, ten pages at most; the app's own entry first on every page.
class FakeAppStore {
 public:
  explicit FakeAppStore(LocalHttpServer& host) {
    host.server().Get(
        R"(/us/rss/customerreviews/page=(\d+)/id=(\d+)/sortby=mostrecent/json)",
        [this](const httplib::Request& req, httplib::Response& res) {
          std::lock_guard lock(mu_);
          const size_t page = std::stoul(req.matches[1]);
          if (page > 10) {
            res.status = 400;
            res.set_content("CustomerReviews RSS page depth is limited to 10", "text/plain");
            return;
          }
          std::string entries =
              R"({"im:name":{"label":"Voltwave Ride"},"id":{"label":"https://apps.apple.com/us/app/id1490000002"}})";
          const int64_t start = count_ - static_cast<int64_t>((page - 1) * kPerPage);
          for (int64_t id = start; id >= 1 && id > start - 50; --id) {
            auto edit = edits_.find(id);
            entries += "," + (edit != edits_.end() ? edit->second : EntryJson(id));
          }
          res.set_content(R"({"feed":{"entry":[)" + entries + "]}}", "application/json");
        });
  }
  void Add(int n) {
    std::lock_guard lock(mu_);
    count_ += n;
  }
  // The reviewer rewrites review n: the feed's "updated" becomes `at`.
  void Edit(int64_t n, const std::string& content, UnixMillis at) {
    std::lock_guard lock(mu_);
    edits_[n] = R"({"author":{"name":{"label":"rider"}},"updated":{"label":")" + FormatRfc3339(at) +
                R"("},"im:rating":{"label":"1"},"id":{"label":")" +
                std::to_string(12'000'000'000 + n) + R"("},"title":{"label":"Edited"},)" +
                R"("content":{"label":")" + content + R"(","attributes":{"type":"text"}}})";
  }

 private:
  std::mutex mu_;
  std::map<int64_t, std::string> edits_;
  int64_t count_ = 0;
};

std::unique_ptr<Connector> MakeAppStore(HttpClient& http, const std::string& base,
                                        std::map<std::string, std::string> extra = {}) {
  SourceSpec spec;
  spec.name = "ios-reviews";
  spec.kind = "appstore";
  spec.settings.Set("app_id", kAppId);
  spec.settings.Set("country", "US");
  spec.settings.Set("base_url", base);
  spec.settings.Set("timeout", "5s");
  for (const auto& [k, v] : extra)
    spec.settings.Set(k, v);
  auto c = AppStoreConnectorDescriptor().create(spec, http);
  REQUIRE(c.ok());
  return std::move(c).value();
}

std::string ReviewId(int64_t n) {
  return std::to_string(12'000'000'000 + n);
}

}  // namespace

TEST_CASE("appstore: a reviews page becomes mentions; the app's entry is skipped", "[appstore]") {
  auto page = ParseAppStoreReviews(ReadFile(DataPath("appstore/customerreviews_page1.json")), "ios",
                                   "https://apps.apple.com/us/app/id1490000002?see-all=reviews");
  REQUIRE(page.ok());
  CHECK(page->warnings.empty());
  CHECK(page->entries == 3);
  REQUIRE(page->mentions.size() == 2);
  const Mention& m = page->mentions[0];
  CHECK(m.source == "ios");
  CHECK(m.platform == "appstore");
  CHECK(m.external_id == "12109876543");
  CHECK(m.url == "https://itunes.apple.com/us/review?id=1490000002&type=Purple%20Software");
  CHECK(m.title == "Won\xe2\x80\x99t pair since the update");
  CHECK_THAT(m.text, Catch::StartsWith("Since 4.12 the app can't find my Voltwave Go"));
  CHECK(m.rating == 1);
  CHECK(m.author.name == "battery_blues_77");
  CHECK(m.author.profile_url == "https://itunes.apple.com/us/reviews/id1122334455");
  CHECK(m.created_at == *ParseRfc3339("2025-06-01T14:22:09-07:00"));
  CHECK(m.engagement.likes == 3);
  CHECK_THAT(m.raw, Catch::Contains("\"im:version\":{\"label\":\"4.12.0\"}"));
  CHECK(page->mentions[1].rating == 5);
  CHECK(page->mentions[1].author.name == "Zo\xc3\xab R.");

  auto empty = ParseAppStoreReviews(ReadFile(DataPath("appstore/customerreviews_empty.json")), "i");
  REQUIRE(empty.ok());
  CHECK(empty->entries == 0);
  CHECK(empty->mentions.empty());

  const ConnectorDescriptor* d = FindConnector("appstore");
  REQUIRE(d != nullptr);
  auto parsed = d->parse(ReadFile(DataPath("appstore/customerreviews_page1.json")), "saved");
  REQUIRE(parsed.ok());
  CHECK(parsed->size() == 2);
}

TEST_CASE("appstore: malformed bodies, single entries, bad ratings and bytes", "[appstore]") {
  auto fails = [](std::string_view body, const std::string& message) {
    INFO(body);
    auto page = ParseAppStoreReviews(body, "ios");
    REQUIRE_FALSE(page.ok());
    CHECK(page.status().code() == Status::Code::kParseError);
    CHECK(page.status().message() == message);
  };
  fails("", "invalid JSON at byte 0: The document is empty.");
  fails(R"({"feed":{"entry":[{"id":{"label":"1)",
        "invalid JSON at byte 35: Missing a closing quotation mark in string.");
  fails("<html>Not Found</html>", "invalid JSON at byte 0: Invalid value.");
  fails(R"({"errorMessage":"not found"})", "no \"feed\" object: not a customer-reviews feed");
  fails("[]", "expected a feed object, got an array");

  auto single = ParseAppStoreReviews(
      "{\"feed\":{\"entry\":{\"id\":{\"label\":\"77\"},\"im:rating\":{\"label\":\"9\"},"
      "\"title\":{\"label\":\"bad \xc3\x28 bytes\"}}}}",
      "ios", "https://fallback");
  REQUIRE(single.ok());
  REQUIRE(single->mentions.size() == 1);
  CHECK_FALSE(single->mentions[0].rating.has_value());
  CHECK(single->warnings == std::vector<std::string>{"entry 0: rating '9' is not 1 to 5"});
  CHECK(single->mentions[0].url == "https://fallback");
  CHECK(IsValidUtf8(single->mentions[0].title));
  CHECK(single->mentions[0].title == "bad \xef\xbf\xbd( bytes");

  auto odd = ParseAppStoreReviews(
      R"({"feed":{"entry":[3,{"im:rating":{"label":"2"},"id":{"label":"abc"}}]}})", "ios");
  REQUIRE(odd.ok());
  CHECK(odd->warnings == std::vector<std::string>{"entry 0 skipped: a number, not an object",
                                                  "entry 1 skipped: no numeric review id"});
  CHECK(CompareReviewIds("999", "1000") < 0);
  CHECK(CompareReviewIds("12109876543", "12109876543") == 0);
}

TEST_CASE("appstore: the newest page first, then down to the newest review seen", "[appstore]") {
  LocalHttpServer host;
  FakeAppStore apple(host);
  apple.Add(120);
  host.Start();
  HttpClient http;
  auto source = MakeAppStore(http, host.Url("/"));
  std::atomic<bool> stop{false};

  auto first = source->Poll({}, stop);
  REQUIRE(first.ok());
  CHECK(first->mentions.size() == 50);  // one page: no backfill
  CHECK(first->next_cursor.position == ReviewId(120));
  CHECK(first->mentions[0].url == "https://apps.apple.com/us/app/id1490000002?see-all=reviews");
  CHECK(host.requests()[0].path ==
        "/us/rss/customerreviews/page=1/id=1490000002/sortby=mostrecent/json");

  auto quiet = source->Poll(first->next_cursor, stop);
  REQUIRE(quiet.ok());
  CHECK(quiet->mentions.empty());
  CHECK(quiet->next_cursor == first->next_cursor);

  apple.Add(130);
  auto second = source->Poll(quiet->next_cursor, stop);
  REQUIRE(second.ok());
  CHECK(second->mentions.size() == 130);
  CHECK(second->warnings.empty());
  std::set<std::string> ids;
  for (const auto& m : second->mentions)
    CHECK(ids.insert(m.external_id).second);
  CHECK(ids.count(ReviewId(120)) == 0);
  CHECK(ids.count(ReviewId(121)) == 1);
  CHECK(second->next_cursor.position == ReviewId(250));
  CHECK(host.request_count() == 2 + 3);

  // More new reviews than max_pages reach: what is out of reach is said, not retried.
  apple.Add(200);
  auto source2 = MakeAppStore(http, host.Url("/"), {{"max_pages", "2"}});
  auto third = source2->Poll(second->next_cursor, stop);
  REQUIRE(third.ok());
  CHECK(third->mentions.size() == 100);
  CHECK(third->next_cursor.position == ReviewId(450));
  REQUIRE(third->warnings.size() == 1);
  CHECK_THAT(third->warnings[0], Catch::Contains("out of the feed's reach"));
}

TEST_CASE("appstore: recheck brings back a review read before when it was updated since",
          "[appstore]") {
  LocalHttpServer host;
  FakeAppStore apple(host);
  apple.Add(60);
  host.Start();
  HttpClient http;
  auto source = MakeAppStore(http, host.Url("/"), {{"recheck", "1d"}});
  std::atomic<bool> stop{false};
  auto first = source->Poll({}, stop);
  REQUIRE(first.ok());
  CHECK(first->mentions.size() == 50);

  apple.Edit(55, "Voltwave app lost my rides", NowMillis() - 60'000);
  auto again = source->Poll(first->next_cursor, stop);
  REQUIRE(again.ok());
  REQUIRE(again->mentions.size() == 1);
  CHECK(again->mentions[0].external_id == ReviewId(55));
  CHECK(again->mentions[0].text == "Voltwave app lost my rides");
  CHECK(again->mentions[0].rating == 1);
  CHECK(again->next_cursor == first->next_cursor);

  auto once = MakeAppStore(http, host.Url("/"));
  auto quiet = once->Poll(first->next_cursor, stop);
  REQUIRE(quiet.ok());
  CHECK(quiet->mentions.empty());
}

TEST_CASE("appstore: server errors, rate limits and truncated bodies fail the poll", "[appstore]") {
  LocalHttpServer host;
  host.server().Get(R"(/limited/.*)", [](const httplib::Request&, httplib::Response& res) {
    res.status = 429;
    res.set_header("Retry-After", "300");
    res.set_content("", "text/plain");
  });
  host.server().Get(R"(/down/.*)", [](const httplib::Request&, httplib::Response& res) {
    res.status = 503;
    res.set_content("<html>Service Unavailable</html>", "text/html");
  });
  host.server().Get(R"(/cut/.*)", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"feed":{"entry":[{"author":{"uri":{"label":"https://itu)",
                    "application/json");
  });
  host.server().Get(R"(/missing/.*)", [](const httplib::Request&, httplib::Response& res) {
    res.status = 404;
    res.set_content("", "text/plain");
  });
  host.Start();
  HttpClient http;
  std::atomic<bool> stop{false};
  auto limited = MakeAppStore(http, host.Url("/limited"))->Poll({}, stop);
  REQUIRE_FALSE(limited.ok());
  CHECK(limited.status().code() == Status::Code::kUnavailable);
  CHECK_THAT(limited.status().message(), Catch::EndsWith(", retry after 300 s"));
  auto down = MakeAppStore(http, host.Url("/down"))->Poll({}, stop);
  REQUIRE_FALSE(down.ok());
  CHECK(down.status().code() == Status::Code::kUnavailable);
  auto missing = MakeAppStore(http, host.Url("/missing"))->Poll({}, stop);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == Status::Code::kHttpError);
  CHECK_THAT(missing.status().message(), Catch::StartsWith("HTTP 404 from "));
  auto cut = MakeAppStore(http, host.Url("/cut"))->Poll({}, stop);
  REQUIRE_FALSE(cut.ok());
  CHECK(cut.status().code() == Status::Code::kParseError);
  CHECK_THAT(cut.status().message(), Catch::Contains(": invalid JSON at byte "));

  auto make = [&](std::map<std::string, std::string> values) {
    SourceSpec spec;
    spec.name = "ios";
    for (const auto& [k, v] : values)
      spec.settings.Set(k, v);
    return AppStoreConnectorDescriptor().create(spec, http);
  };
  CHECK(make({{"app_id", kAppId}, {"country", "de"}}).ok());
  CHECK_FALSE(make({{"app_id", "voltwave"}}).ok());
  CHECK_FALSE(make({{"app_id", kAppId}, {"country", "usa"}}).ok());
  CHECK_FALSE(make({{"app_id", kAppId}, {"max_pages", "11"}}).ok());
}

TEST_CASE("appstore: recorded App Store feeds parse", "[appstore][shared]") {
  const std::filesystem::path root = std::string(EARSHOT_SHARED_DIR) + "/fixtures/appstore";
  if (!std::filesystem::exists(root)) {
    WARN("skipped: " << root << " is absent");
    return;
  }
  int mentions = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".json" || name.find(".meta.json") != std::string::npos) {
      continue;
    }
    INFO(entry.path());
    auto page = ParseAppStoreReviews(ReadFile(entry.path().string()), "recorded");
    if (!page.ok()) continue;  // not every recorded body is a reviews feed
    for (const auto& m : page->mentions) {
      ++mentions;
      CHECK(m.rating.has_value());
      CHECK(IsValidUtf8(m.text));
    }
  }
  WARN("recorded App Store reviews: " << mentions);
}
