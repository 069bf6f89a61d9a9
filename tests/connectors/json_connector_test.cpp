// The json source: any JSON API read through JSON pointers, parsed offline and polled against a
// local server (cursor in the URL template, per-item cursor field, next-page URL or token,
// headers and bearer token, errors).
#include "connectors/json/json_connector.h"

#include <catch2/catch.hpp>
#include <mutex>
#include <set>

#include "connectors/http/http_client.h"
#include "connectors/json/json_items.h"
#include "core/time.h"
#include "core/utf8.h"
#include "tests/support/local_http_server.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

constexpr const char* kToken = "json-bearer-0123456789abcdef";
constexpr const char* kHeaderKey = "hdr-secret-key-424242";

JsonFieldPointers HelpdeskPointers() {
  JsonFieldPointers p;
  p.items = "/data/results";
  p.id = "/ticket/id";
  p.text = "/body";
  p.title = "/ticket/subject";
  p.url = "/ticket/link";
  p.author = "/requester";
  p.created_at = "/created";
  p.rating = "/satisfaction";
  p.likes = "/votes";
  p.cursor = "/seq";
  p.next = "/paging/next";
  return p;
}

std::string ItemJson(int64_t seq) {
  return R"({"seq":)" + std::to_string(seq) + R"(,"ticket":{"id":"T-)" + std::to_string(seq) +
         R"(","subject":"s","link":"https://help.example/t/)" + std::to_string(seq) +
         R"("},"body":"voltwave )" + std::to_string(seq) + R"(","created":)" +
         std::to_string(1'790'000'000 + seq) + "}";
}

// /api/v2/mentions?after=N: items with seq > N, oldest first, 10 a page, a relative next link;
// /feed?token=T: a change feed that always names the next token.
class FakeApi {
 public:
  explicit FakeApi(LocalHttpServer& host) {
    host.server().Get("/api/v2/mentions", [this](const httplib::Request& req,
                                                 httplib::Response& res) {
      std::lock_guard lock(mu_);
      if (req.get_header_value("Authorization") != std::string("Bearer ") + kToken ||
          req.get_header_value("X-Api-Key") != kHeaderKey) {
        res.status = 401;
        res.set_content(R"({"error":{"message":"bad credentials"}})", "application/json");
        return;
      }
      const std::string after_text = req.get_param_value("after");
      const int64_t after = after_text.empty() ? 0 : std::stoll(after_text);
      std::string items;
      int64_t last = after;
      for (int64_t seq = after + 1; seq <= count_ && seq <= after + 10; ++seq) {
        items += (items.empty() ? "" : ",") + ItemJson(seq);
        last = seq;
      }
      std::string next =
          last < count_ ? R"("/api/v2/mentions?after=)" + std::to_string(last) + "\"" : "null";
      res.set_content(R"({"data":{"results":[)" + items + R"(]},"paging":{"next":)" + next + "}}",
                      "application/json");
    });
    host.server().Get("/feed", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      const std::string token = req.get_param_value("token");
      const int64_t from = token.empty() ? 0 : std::stoll(token.substr(1));
      std::string items;
      int64_t to = std::min(count_, from + 5);
      for (int64_t seq = from + 1; seq <= to; ++seq)
        items += std::string(items.empty() ? "" : ",") + R"({"id":)" + std::to_string(seq) +
                 R"(,"text":"entry )" + std::to_string(seq) + "\"}";
      res.set_content(
          R"({"entries":[)" + items + R"(],"next_token":"t)" + std::to_string(to) + "\"}",
          "application/json");
    });
  }
  void Add(int n) {
    std::lock_guard lock(mu_);
    count_ += n;
  }

 private:
  std::mutex mu_;
  int64_t count_ = 0;
};

std::unique_ptr<Connector> MakeJson(HttpClient& http, std::map<std::string, std::string> values,
                                    std::vector<std::string> headers = {}) {
  SourceSpec spec;
  spec.name = "helpdesk";
  spec.kind = "json";
  spec.settings.Set("timeout", "5s");
  for (const auto& [k, v] : values)
    spec.settings.Set(k, v);
  if (!headers.empty()) spec.settings.SetList("headers", headers);
  auto c = JsonConnectorDescriptor().create(spec, http);
  REQUIRE(c.ok());
  return std::move(c).value();
}

std::map<std::string, std::string> HelpdeskSettings(const LocalHttpServer& host) {
  return {{"url", host.Url("/api/v2/mentions?after={cursor}")},
          {"bearer_token", kToken},
          {"items", "/data/results"},
          {"id_field", "/ticket/id"},
          {"text_field", "/body"},
          {"cursor_field", "/seq"},
          {"next_pointer", "/paging/next"},
          {"max_pages", "3"}};
}

}  // namespace

TEST_CASE("json: items and fields read through JSON pointers", "[json]") {
  auto page =
      ParseJsonItems(ReadFile(DataPath("json/helpdesk_mentions.json")), "hd", HelpdeskPointers());
  REQUIRE(page.ok());
  CHECK(page->items == 3);
  CHECK(page->next == "/api/v2/mentions?after=8");
  CHECK(page->warnings == std::vector<std::string>{"item 2 skipped: no id at \"/ticket/id\""});
  REQUIRE(page->mentions.size() == 2);
  CHECK(page->cursors == std::vector<std::string>{"10", "9"});
  const Mention& m = page->mentions[0];
  CHECK(m.source == "hd");
  CHECK(m.platform == "json");
  CHECK(m.external_id == "T-4471");
  CHECK(m.title == "Charger stopped working");
  CHECK(m.text == "My Voltwave charger's LED blinks red & nothing charges.");
  CHECK(m.url == "https://help.voltwave.example/tickets/4471");
  CHECK(m.author.id == "9001");
  CHECK(m.author.handle == "sam_rides");
  CHECK(m.author.name == "Sam Ortega");
  CHECK(m.created_at == 1'795'000'000'000);
  CHECK(m.rating == 2);
  CHECK(m.engagement.likes == 3);
  const Mention& n = page->mentions[1];
  CHECK(n.author.handle == "guest-user");
  CHECK(n.created_at == *ParseRfc3339("2026-11-19T20:14:00Z"));
  CHECK(n.rating == 5);
  CHECK(n.text == "Fixed in a day. Merci \xc3\xa0 l'\xc3\xa9quipe \xf0\x9f\x99\x8c");

  CHECK(CompareCursorValues("9", "10") < 0);
  CHECK(CompareCursorValues("10", "10.0") == 0);
  CHECK(CompareCursorValues("2026-11-20T10:00:00Z", "2026-11-19T23:00:00Z") > 0);

  const ConnectorDescriptor* d = FindConnector("json");
  REQUIRE(d != nullptr);
  auto plain = d->parse(ReadFile(DataPath("json/plain_array.json")), "saved");
  REQUIRE(plain.ok());
  REQUIRE(plain->size() == 2);
  CHECK((*plain)[0].external_id == "1");
  CHECK((*plain)[1].text == "voltwave \xe2\x80\x93 second");
  auto wrapped = d->parse(R"({"items":[{"id":3,"text":"t"}]})", "saved");
  REQUIRE(wrapped.ok());
  CHECK(wrapped->size() == 1);
}

TEST_CASE("json: malformed bodies, wrong shapes, invalid UTF-8", "[json]") {
  const JsonFieldPointers pointers = HelpdeskPointers();
  auto fails = [&](std::string_view body, const std::string& message) {
    INFO(body);
    auto page = ParseJsonItems(body, "hd", pointers);
    REQUIRE_FALSE(page.ok());
    CHECK(page.status().code() == Status::Code::kParseError);
    CHECK(page.status().message() == message);
  };
  fails("", "invalid JSON at byte 0: The document is empty.");
  fails(R"({"data":{"results":[{"seq":1,"bo)",
        "invalid JSON at byte 32: Missing a closing quotation mark in string.");
  fails(R"({"data":{}})", "nothing at \"/data/results\"");
  fails(R"({"data":{"results":{}}})", "\"/data/results\" is an object, not an array");
  auto page = ParseJsonItems(
      "{\"data\":{\"results\":[{\"ticket\":{\"id\":\"x\"},\"body\":\"\xc3\x28 \xff\"}]}}", "hd",
      pointers);
  REQUIRE(page.ok());
  REQUIRE(page->mentions.size() == 1);
  CHECK(page->mentions[0].text == "\xef\xbf\xbd( \xef\xbf\xbd");
  CHECK(page->next.empty());
  CHECK(JsonErrorMessage(R"({"error":{"message":"bad credentials"}})") == "bad credentials");
  CHECK(JsonErrorMessage(R"({"message":"slow down"})") == "slow down");
}

TEST_CASE("json: a cursor field in the URL, next links followed, nothing twice", "[json]") {
  LocalHttpServer host;
  FakeApi api(host);
  api.Add(25);
  host.Start();
  HttpClient http;
  auto source = MakeJson(http, HelpdeskSettings(host), {std::string("X-Api-Key: ") + kHeaderKey});
  std::atomic<bool> stop{false};

  auto first = source->Poll({}, stop);
  REQUIRE(first.ok());
  CHECK(first->http_status == 200);
  CHECK(first->warnings.empty());
  CHECK(first->mentions.size() == 25);
  CHECK_FALSE(first->has_more);
  CHECK(first->next_cursor.position == "25");
  auto requests = host.requests();
  REQUIRE(requests.size() == 3);
  CHECK(requests[0].params.find("after")->second.empty());
  CHECK(requests[1].params.find("after")->second == "10");
  CHECK(requests[0].Header("X-Api-Key") == kHeaderKey);

  auto quiet = source->Poll(first->next_cursor, stop);
  REQUIRE(quiet.ok());
  CHECK(quiet->mentions.empty());
  CHECK(quiet->next_cursor.position == "25");
  CHECK(host.requests().back().params.find("after")->second == "25");

  api.Add(42);  // more than max_pages pages: the rest next poll
  std::set<std::string> all;
  SourceCursor cursor = quiet->next_cursor;
  std::vector<size_t> sizes;
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
  CHECK(sizes == std::vector<size_t>{30, 12});
  CHECK(all.size() == 42);
  CHECK(cursor.position == "67");
}

TEST_CASE("json: a next-page token as the cursor", "[json]") {
  LocalHttpServer host;
  FakeApi api(host);
  api.Add(7);
  host.Start();
  HttpClient http;
  auto source = MakeJson(http, {{"url", host.Url("/feed?token={cursor}")},
                                {"items", "/entries"},
                                {"next_pointer", "/next_token"},
                                {"max_pages", "10"}});
  std::atomic<bool> stop{false};
  auto first = source->Poll({}, stop);
  REQUIRE(first.ok());
  CHECK(first->mentions.size() == 7);
  CHECK(first->next_cursor.position == "t7");
  auto quiet = source->Poll(first->next_cursor, stop);
  REQUIRE(quiet.ok());
  CHECK(quiet->mentions.empty());
  CHECK(quiet->next_cursor.position == "t7");
  api.Add(2);
  auto second = source->Poll(quiet->next_cursor, stop);
  REQUIRE(second.ok());
  REQUIRE(second->mentions.size() == 2);
  CHECK(second->mentions[0].external_id == "8");
  CHECK(second->next_cursor.position == "t9");
}

TEST_CASE("json: auth, rate limits, server errors and bad bodies", "[json]") {
  LocalHttpServer host;
  FakeApi api(host);
  api.Add(1);
  host.server().Get("/limited", [](const httplib::Request&, httplib::Response& res) {
    res.status = 429;
    res.set_header("Retry-After", "15");
    res.set_content(R"({"message":"slow down"})", "application/json");
  });
  host.server().Get("/broken", [](const httplib::Request&, httplib::Response& res) {
    res.status = 500;
    res.set_content("oops", "text/plain");
  });
  host.server().Get("/cut", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"([{"id":1,"te)", "application/json");
  });
  host.Start();
  HttpClient http;
  std::atomic<bool> stop{false};

  auto settings = HelpdeskSettings(host);
  settings["bearer_token"] = "wrong-token-55555";
  auto denied = MakeJson(http, settings, {"X-Api-Key: nope"})->Poll({}, stop);
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.status().code() == Status::Code::kHttpError);
  CHECK_THAT(denied.status().message(), Catch::EndsWith(": bad credentials"));

  auto limited_source = MakeJson(http, {{"url", host.Url("/limited?api_key=") + kHeaderKey}});
  auto limited = limited_source->Poll({}, stop);
  REQUIRE_FALSE(limited.ok());
  CHECK(limited.status().code() == Status::Code::kUnavailable);
  CHECK_THAT(limited.status().message(), Catch::Contains("api_key=REDACTED, retry after 15 s"));
  CHECK_THAT(limited.status().message(), !Catch::Contains(kHeaderKey));
  CHECK_THAT(limited_source->Poll({}, stop).status().message(),
             Catch::Matches("json: rate limited: next request in (15|14) s"));

  auto broken = MakeJson(http, {{"url", host.Url("/broken")}})->Poll({}, stop);
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.status().code() == Status::Code::kHttpError);
  CHECK(broken.status().message() == "HTTP 500 from " + host.Url("/broken"));

  auto cut = MakeJson(http, {{"url", host.Url("/cut")}})->Poll({}, stop);
  REQUIRE_FALSE(cut.ok());
  CHECK(cut.status().code() == Status::Code::kParseError);
  CHECK(cut.status().message() ==
        "GET " + host.Url("/cut") +
            ": invalid JSON at byte 12: Missing a closing quotation mark in string.");
}

TEST_CASE("json: settings", "[json]") {
  HttpClient http;
  auto make = [&](std::map<std::string, std::string> values,
                  std::vector<std::string> headers = {}) {
    SourceSpec spec;
    spec.name = "j";
    for (const auto& [k, v] : values)
      spec.settings.Set(k, v);
    if (!headers.empty()) spec.settings.SetList("headers", headers);
    return JsonConnectorDescriptor().create(spec, http);
  };
  CHECK(make({{"url", "https://api.example.com/x"}}).ok());
  CHECK(make({{"url", "https://api.example.com/x"}}, {"Accept-Language: en"}).ok());
  CHECK_FALSE(make({}).ok());
  CHECK_FALSE(make({{"url", "ftp://x"}}).ok());
  auto bad = make({{"url", "https://a"}, {"items", "data/items"}});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() == "items is not a JSON pointer (RFC 6901: \"/a/0/b\")");
  CHECK_FALSE(make({{"url", "https://a"}, {"cursor_field", "~bad"}}).ok());
  CHECK_FALSE(make({{"url", "https://a"}}, {"no colon"}).ok());
  CHECK_FALSE(make({{"url", "https://a"}, {"max_pages", "0"}}).ok());
}
