// The stackexchange source: search/excerpts pages parsed offline, and poll cycles against a
// local server playing the Stack Exchange API (gzip bodies, page paging, fromdate windows,
// backoff, throttle errors, quota).
#include "connectors/stackexchange/stackexchange_connector.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <mutex>
#include <set>

#include "connectors/http/http_client.h"
#include "connectors/stackexchange/stackexchange_items.h"
#include "core/time.h"
#include "core/utf8.h"
#include "tests/support/gzip.h"
#include "tests/support/local_http_server.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

constexpr const char* kKey = "U4DMV*8nvpm3EOpvf69Rxw((";

struct Item {
  int64_t question_id = 0;
  int64_t created = 0;
  std::string title;
};

std::string ItemJson(const Item& i) {
  return R"({"tags":["ebike"],"is_answered":false,"question_id":)" + std::to_string(i.question_id) +
         R"(,"item_type":"question","score":1,"creation_date":)" + std::to_string(i.created) +
         R"(,"answer_count":0,"excerpt":"about <span class=\"highlight\">voltwave</span>","title":")" +
         i.title + R"("})";
}

// /2.3/search/excerpts, newest first, fromdate and todate inclusive, page numbers from 1; every
// body gzip-compressed as the real API does.
class FakeStackExchange {
 public:
  explicit FakeStackExchange(LocalHttpServer& host) {
    host.server().Get("/2.3/search/excerpts", [this](const httplib::Request& req,
                                                     httplib::Response& res) {
      std::lock_guard lock(mu_);
      const int64_t from =
          req.has_param("fromdate") ? std::stoll(req.get_param_value("fromdate")) : 0;
      const int64_t to =
          req.has_param("todate") ? std::stoll(req.get_param_value("todate")) : INT64_MAX;
      const size_t pagesize = std::stoul(req.get_param_value("pagesize"));
      const size_t page = std::stoul(req.get_param_value("page"));
      std::vector<Item> matching;
      for (auto it = items_.rbegin(); it != items_.rend(); ++it) {
        if (it->created >= from && it->created <= to) matching.push_back(*it);
      }
      std::string body = R"({"items":[)";
      const size_t start = (page - 1) * pagesize;
      for (size_t i = start; i < matching.size() && i < start + pagesize; ++i)
        body += (i == start ? "" : ",") + ItemJson(matching[i]);
      body += R"(],"has_more":)" +
              std::string(start + pagesize < matching.size() ? "true" : "false") +
              R"(,"quota_max":300,"quota_remaining":)" + std::to_string(quota_) +
              (backoff_ > 0 ? R"(,"backoff":)" + std::to_string(backoff_) : std::string()) + "}";
      res.set_header("Content-Encoding", "gzip");
      res.set_content(Gzip(body), "application/json; charset=utf-8");
    });
  }
  void Add(int count) {
    std::lock_guard lock(mu_);
    for (int i = 0; i < count; ++i) {
      items_.push_back({next_, clock_, "Voltwave question " + std::to_string(next_)});
      ++next_;
      ++clock_;
    }
  }
  void Backoff(int seconds) {
    std::lock_guard lock(mu_);
    backoff_ = seconds;
  }
  void Quota(int remaining) {
    std::lock_guard lock(mu_);
    quota_ = remaining;
  }

 private:
  std::mutex mu_;
  std::vector<Item> items_;  // oldest first
  int64_t next_ = 70'000'000;
  int64_t clock_ = NowMillis() / 1000 - 3600;
  int backoff_ = 0;
  int quota_ = 299;
};

std::unique_ptr<Connector> MakeStackExchange(HttpClient& http, const LocalHttpServer& host,
                                             std::map<std::string, std::string> extra = {}) {
  SourceSpec spec;
  spec.name = "so-voltwave";
  spec.kind = "stackexchange";
  spec.settings.Set("query", "voltwave");
  spec.settings.Set("site", "stackoverflow");
  spec.settings.Set("api_url", host.Url("/2.3"));
  spec.settings.Set("timeout", "5s");
  for (const auto& [k, v] : extra)
    spec.settings.Set(k, v);
  auto c = StackExchangeConnectorDescriptor().create(spec, http);
  REQUIRE(c.ok());
  return std::move(c).value();
}

std::string Param(const RecordedRequest& r, const std::string& name) {
  auto it = r.params.find(name);
  return it == r.params.end() ? "" : it->second;
}

}  // namespace

TEST_CASE("stackexchange: last_edit_date is the edit time", "[stackexchange]") {
  auto page = ParseStackExchangePage(R"({"items":[
    {"item_type":"question","question_id":78590017,"title":"Voltwave API returns 500",
     "body":"<p>Edit: solved</p>","creation_date":1717324400,"last_edit_date":1717410800,
     "owner":{"user_id":77,"display_name":"kim"}},
    {"item_type":"question","question_id":78590018,"title":"Voltwave app crash",
     "body":"<p>Crashes</p>","creation_date":1717324500}],"has_more":false})",
                                     "so", "stackoverflow.com");
  REQUIRE(page.ok());
  REQUIRE(page->mentions.size() == 2);
  CHECK(page->mentions[0].edited_at == 1717410800000);
  CHECK(page->mentions[1].edited_at == 0);
}

TEST_CASE("stackexchange: a search/excerpts page becomes mentions", "[stackexchange]") {
  auto page = ParseStackExchangePage(
      ReadFile(DataPath("stackexchange/search_excerpts_voltwave.json")), "so", "stackoverflow.com");
  REQUIRE(page.ok());
  CHECK(page->warnings.empty());
  CHECK(page->items == 3);
  CHECK_FALSE(page->has_more);
  CHECK(page->quota_max == 300);
  CHECK(page->quota_remaining == 287);
  CHECK_FALSE(page->backoff.has_value());
  REQUIRE(page->mentions.size() == 3);
  const Mention& answer = page->mentions[0];
  CHECK(answer.source == "so");
  CHECK(answer.platform == "stackexchange");
  CHECK(answer.external_id == "a78591234");
  CHECK(answer.url == "https://stackoverflow.com/a/78591234");
  CHECK(answer.thread_id == "q78590017");
  CHECK(answer.parent_id == "q78590017");
  CHECK(answer.title == "Voltwave e-bike BLE connection drops after 30 seconds");
  CHECK_THAT(answer.text, Catch::StartsWith("The Voltwave SDK drops the GATT connection"));
  CHECK_THAT(answer.text, Catch::EndsWith("Works on Android 14 & 15."));
  CHECK(answer.created_at == 1717324410000);
  CHECK(answer.edited_at == 0);  // excerpts carry no last_edit_date
  CHECK(answer.engagement.likes == 3);
  CHECK(page->created[0] == 1717324410);

  const Mention& question = page->mentions[1];
  CHECK(question.external_id == "q78590017");
  CHECK(question.url == "https://stackoverflow.com/q/78590017");
  CHECK(question.parent_id.empty());
  CHECK(question.text ==
        "I'm reading battery telemetry from a Voltwave Go over BLE \xe2\x80\xa6 the connection "
        "drops after exactly 30 s \xe2\x80\xa6");
  CHECK(question.engagement.replies == 1);
  CHECK(page->mentions[2].engagement.likes == 0);  // a negative score

  const ConnectorDescriptor* d = FindConnector("stackexchange");
  REQUIRE(d != nullptr);
  auto parsed = d->parse(ReadFile(DataPath("stackexchange/search_excerpts_voltwave.json")), "s");
  REQUIRE(parsed.ok());
  CHECK(parsed->size() == 3);
}

TEST_CASE("stackexchange: error wrappers, malformed bodies, sites", "[stackexchange]") {
  auto fails = [](std::string_view body, const std::string& message) {
    INFO(body);
    auto page = ParseStackExchangePage(body, "so", "stackoverflow.com");
    REQUIRE_FALSE(page.ok());
    CHECK(page.status().code() == Status::Code::kParseError);
    CHECK(page.status().message() == message);
  };
  fails(ReadFile(DataPath("stackexchange/error_throttle_violation.json")),
        "an error, not items: throttle_violation (502): too many requests from this IP, more "
        "requests available in 79 seconds");
  fails("", "invalid JSON at byte 0: The document is empty.");
  fails(R"({"items":[{"question_id":1,"title":"Volt)",
        "invalid JSON at byte 40: Missing a closing quotation mark in string.");
  fails("[1]", "expected a response wrapper object, got an array");
  fails(R"({"items": 3})", "\"items\" is a number, not an array");
  fails(R"({"quota_max": 300})", "no \"items\" array: not a Stack Exchange API response");

  auto page = ParseStackExchangePage(
      "{\"items\":[1,{\"item_type\":\"tag\"},{\"item_type\":\"answer\",\"question_id\":5},"
      "{\"item_type\":\"question\",\"question_id\":6,\"title\":\"bad \xc3\x28 bytes\","
      "\"excerpt\":\"\xff\"}],\"backoff\":10,\"has_more\":\"yes\"}",
      "so", "unix.stackexchange.com");
  REQUIRE(page.ok());
  CHECK(page->warnings ==
        std::vector<std::string>{"item 0 skipped: a number, not an object",
                                 "item 1 skipped: item_type \"tag\" is not a question or answer",
                                 "item 2 skipped: no answer_id"});
  CHECK(page->backoff == 10);
  CHECK_FALSE(page->has_more);
  REQUIRE(page->mentions.size() == 1);
  CHECK(page->mentions[0].url == "https://unix.stackexchange.com/q/6");
  CHECK(IsValidUtf8(page->mentions[0].title));
  CHECK(IsValidUtf8(page->mentions[0].text));
  CHECK(page->mentions[0].title == "bad \xef\xbf\xbd( bytes");

  CHECK(StackExchangeSiteHost("stackoverflow") == "stackoverflow.com");
  CHECK(StackExchangeSiteHost("superuser") == "superuser.com");
  CHECK(StackExchangeSiteHost("mathoverflow") == "mathoverflow.net");
  CHECK(StackExchangeSiteHost("meta.stackoverflow") == "meta.stackoverflow.com");
  CHECK(StackExchangeSiteHost("unix") == "unix.stackexchange.com");
  CHECK(StackExchangeSiteHost("ru.stackoverflow.com") == "ru.stackoverflow.com");
  CHECK(StackExchangeThrottleSeconds("more requests available in 79 seconds") == 79);
  CHECK_FALSE(StackExchangeThrottleSeconds("slow down").has_value());
}

TEST_CASE("stackexchange: pages from fromdate, then only what is new", "[stackexchange]") {
  LocalHttpServer host;
  FakeStackExchange se(host);
  se.Add(230);
  host.Start();
  HttpClient http;
  auto source = MakeStackExchange(http, host, {{"key", kKey}});
  std::atomic<bool> stop{false};

  auto first = source->Poll({}, stop);
  REQUIRE(first.ok());
  CHECK(first->http_status == 200);
  CHECK(first->mentions.size() == 230);
  CHECK_FALSE(first->has_more);
  CHECK(first->mentions.front().external_id == "q70000229");
  CHECK(first->mentions.front().url == "https://stackoverflow.com/q/70000229");
  const auto requests = host.requests();
  REQUIRE(requests.size() == 3);
  CHECK(requests[0].path == "/2.3/search/excerpts");
  CHECK(Param(requests[0], "site") == "stackoverflow");
  CHECK(Param(requests[0], "q") == "voltwave");
  CHECK(Param(requests[0], "sort") == "creation");
  CHECK(Param(requests[0], "order") == "desc");
  CHECK(Param(requests[0], "pagesize") == "100");
  CHECK(Param(requests[0], "key") == kKey);
  CHECK(Param(requests[0], "page") == "1");
  CHECK(Param(requests[2], "page") == "3");
  CHECK(Param(requests[0], "todate").empty());

  auto quiet = source->Poll(first->next_cursor, stop);
  REQUIRE(quiet.ok());
  CHECK(quiet->mentions.empty());
  CHECK(quiet->next_cursor == first->next_cursor);
  se.Add(2);
  auto second = source->Poll(quiet->next_cursor, stop);
  REQUIRE(second.ok());
  REQUIRE(second->mentions.size() == 2);
  CHECK(second->mentions[0].external_id == "q70000231");
  CHECK(Param(host.requests().back(), "fromdate") ==
        std::to_string(std::stoll(first->next_cursor.position) + 1));
}

TEST_CASE("stackexchange: max_pages bounds a poll and the rest is caught up", "[stackexchange]") {
  LocalHttpServer host;
  FakeStackExchange se(host);
  se.Add(50);
  host.Start();
  HttpClient http;
  auto source = MakeStackExchange(http, host, {{"pagesize", "10"}, {"max_pages", "2"}});
  std::atomic<bool> stop{false};
  std::set<std::string> all;
  SourceCursor cursor;
  std::vector<size_t> sizes;
  bool more = true;
  int again = 0;
  while (more && sizes.size() < 10) {
    auto r = source->Poll(cursor, stop);
    REQUIRE(r.ok());
    for (const auto& m : r->mentions)
      again += all.insert(m.external_id).second ? 0 : 1;
    sizes.push_back(r->mentions.size());
    cursor = r->next_cursor;
    more = r->has_more;
  }
  // Each resumed window starts at the oldest second read, inclusive: one item again each time.
  CHECK(sizes == std::vector<size_t>{20, 20, 12});
  CHECK(again == 2);
  CHECK(all.size() == 50);
  CHECK(Param(host.requests()[2], "todate") != "");
}

TEST_CASE("stackexchange: backoff, throttling and quota hold the next request", "[stackexchange]") {
  LocalHttpServer host;
  FakeStackExchange se(host);
  se.Add(3);
  int throttled = 0;
  host.server().Get(
      "/throttled/search/excerpts", [&](const httplib::Request&, httplib::Response& res) {
        ++throttled;
        res.status = 400;
        res.set_header("Content-Encoding", "gzip");
        res.set_content(Gzip(ReadFile(DataPath("stackexchange/error_throttle_violation.json"))),
                        "application/json");
      });
  host.server().Get("/down/search/excerpts", [](const httplib::Request&, httplib::Response& res) {
    res.status = 503;
    res.set_header("Retry-After", "20");
    res.set_content("<html>Service Unavailable</html>", "text/html");
  });
  host.server().Get("/cut/search/excerpts", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"items":[{"question_id":1,"ti)", "application/json");
  });
  host.server().Get("/broken/search/excerpts", [](const httplib::Request&, httplib::Response& res) {
    res.status = 500;
    res.set_content(R"({"error_id":500,"error_name":"internal_error","error_message":"boom"})",
                    "application/json");
  });
  host.Start();
  HttpClient http;
  std::atomic<bool> stop{false};

  se.Backoff(30);
  auto source = MakeStackExchange(http, host);
  auto first = source->Poll({}, stop);
  REQUIRE(first.ok());
  CHECK(first->mentions.size() == 3);
  CHECK(first->warnings == std::vector<std::string>{"the API asked for a backoff of 30 s"});
  const size_t sent = host.request_count();
  auto held = source->Poll(first->next_cursor, stop);
  REQUIRE_FALSE(held.ok());
  CHECK(held.status().code() == Status::Code::kUnavailable);
  CHECK_THAT(held.status().message(),
             Catch::Matches("stackexchange: backoff asked: next request in (30|29) s"));
  CHECK(host.request_count() == sent);

  se.Backoff(0);
  se.Quota(0);
  auto spent_source = MakeStackExchange(http, host);
  auto spent = spent_source->Poll({}, stop);
  REQUIRE(spent.ok());
  CHECK(spent->warnings ==
        std::vector<std::string>{"daily quota used up (300 requests): no request until 00:00 UTC"});
  auto none = spent_source->Poll(spent->next_cursor, stop);
  REQUIRE_FALSE(none.ok());
  CHECK_THAT(none.status().message(), Catch::StartsWith("stackexchange: daily quota used up"));

  auto throttled_source =
      MakeStackExchange(http, host, {{"api_url", host.Url("/throttled")}, {"key", kKey}});
  auto throttle = throttled_source->Poll({}, stop);
  REQUIRE_FALSE(throttle.ok());
  CHECK(throttle.status().code() == Status::Code::kUnavailable);
  CHECK_THAT(throttle.status().message(),
             Catch::StartsWith("HTTP 400 from " + host.Url("/throttled/search/excerpts?")));
  CHECK_THAT(throttle.status().message(),
             Catch::EndsWith(": throttle_violation (502): too many requests from this IP, more "
                             "requests available in 79 seconds"));
  CHECK_THAT(throttle.status().message(), !Catch::Contains(kKey));
  CHECK_THAT(throttle.status().message(), Catch::Contains("key=REDACTED"));
  auto still = throttled_source->Poll({}, stop);
  REQUIRE_FALSE(still.ok());
  CHECK_THAT(still.status().message(),
             Catch::Matches("stackexchange: throttled: next request in (79|78) s"));
  CHECK(throttled == 1);

  auto down = MakeStackExchange(http, host, {{"api_url", host.Url("/down")}})->Poll({}, stop);
  REQUIRE_FALSE(down.ok());
  CHECK(down.status().code() == Status::Code::kUnavailable);
  CHECK_THAT(down.status().message(), Catch::Contains(", retry after 20 s"));

  auto broken = MakeStackExchange(http, host, {{"api_url", host.Url("/broken")}})->Poll({}, stop);
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.status().code() == Status::Code::kHttpError);
  CHECK_THAT(broken.status().message(), Catch::EndsWith(": internal_error (500): boom"));

  auto cut = MakeStackExchange(http, host, {{"api_url", host.Url("/cut")}})->Poll({}, stop);
  REQUIRE_FALSE(cut.ok());
  CHECK(cut.status().code() == Status::Code::kParseError);
  CHECK_THAT(cut.status().message(), Catch::Contains(": invalid JSON at byte 30"));
}

TEST_CASE("stackexchange: settings", "[stackexchange]") {
  HttpClient http;
  auto make = [&](std::map<std::string, std::string> values) {
    SourceSpec spec;
    spec.name = "so";
    for (const auto& [k, v] : values)
      spec.settings.Set(k, v);
    return StackExchangeConnectorDescriptor().create(spec, http);
  };
  CHECK(make({{"query", "voltwave"}}).ok());
  CHECK(make({{"query", "voltwave"}, {"site", "unix"}, {"site_url", "https://unix.se"}}).ok());
  CHECK_FALSE(make({}).ok());
  CHECK_FALSE(make({{"query", "v"}, {"site", "stack overflow"}}).ok());
  CHECK_FALSE(make({{"query", "v"}, {"pagesize", "0"}}).ok());
  CHECK_FALSE(make({{"query", "v"}, {"site_url", "unix.se"}}).ok());
}

TEST_CASE("stackexchange: recorded Stack Exchange wrappers parse", "[stackexchange][shared]") {
  const std::filesystem::path root = std::string(EARSHOT_SHARED_DIR) + "/fixtures/stackexchange";
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
    INFO(entry.path());
    // Other methods' items (sites, users) are not questions or answers: skipped with warnings,
    // but the wrapper (has_more, quota) reads.
    auto page = ParseStackExchangePage(ReadFile(entry.path().string()), "recorded", "x");
    REQUIRE(page.ok());
    CHECK(page->items > 0);
    CHECK(page->quota_max.has_value());
    ++files;
  }
  WARN("recorded Stack Exchange bodies: " << files << " files");
}
