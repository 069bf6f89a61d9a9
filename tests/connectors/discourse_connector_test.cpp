// The discourse source: search.json and posts.json bodies parsed offline, and poll cycles against
// a local server playing a forum (search pages, before= paging, API keys, errors).
#include "connectors/discourse/discourse_connector.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <mutex>
#include <set>

#include "connectors/discourse/discourse_posts.h"
#include "connectors/http/http_client.h"
#include "core/time.h"
#include "core/utf8.h"
#include "tests/support/local_http_server.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

constexpr const char* kApiKey = "d1f0c6e5a4b3c2d1e0f9a8b7c6d5e4f3";

std::string PostJson(int64_t id, bool latest) {
  const std::string topic = std::to_string(100 + id % 3);
  std::string out = R"({"id":)" + std::to_string(id) + R"(,"name":"Rider","username":"rider)" +
                    std::to_string(id % 4) + R"(","created_at":")" +
                    FormatRfc3339(1'748'000'000'000 + id * 1000) + R"(","post_number":)" +
                    std::to_string(id) + R"(,"topic_id":)" + topic + R"(,"like_count":1)";
  if (latest) {
    out += R"(,"post_type":1,"topic_slug":"topic-)" + topic + R"(","topic_title":"Topic )" + topic +
           R"(","raw":"Voltwave post )" + std::to_string(id) +
           R"(","cooked":"<p>Voltwave post</p>","deleted_at":null,"hidden":false})";
  } else {
    out += R"(,"blurb":"<span class=\"search-highlight\">Voltwave</span> post )" +
           std::to_string(id) + "\"}";
  }
  return out;
}

// A forum whose posts all mention the brand: /search.json pages of `per_page` newest first,
// /posts.json pages newest first with before=.
class FakeDiscourse {
 public:
  explicit FakeDiscourse(LocalHttpServer& host, size_t per_page) : per_page_(per_page) {
    host.server().Get("/posts.json", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      if (!Allowed(req, res)) return;
      const int64_t before =
          req.has_param("before") ? std::stoll(req.get_param_value("before")) : INT64_MAX;
      std::string body = R"({"latest_posts":[)";
      size_t n = 0;
      for (int64_t id = next_ - 1; id >= 1 && n < per_page_; --id) {
        if (id >= before) continue;
        body += (n++ ? "," : "") + PostJson(id, true);
      }
      res.set_content(body + "]}", "application/json; charset=utf-8");
    });
    host.server().Get("/search.json", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      if (!Allowed(req, res)) return;
      const size_t page = req.has_param("page") ? std::stoul(req.get_param_value("page")) : 1;
      const int64_t start = next_ - 1 - static_cast<int64_t>((page - 1) * per_page_);
      std::string posts, topics;
      size_t n = 0;
      for (int64_t id = start; id >= 1 && n < per_page_; --id)
        posts += (n++ ? "," : "") + PostJson(id, false);
      for (int t = 100; t < 103; ++t) {
        topics += (t == 100 ? "" : ",") + std::string(R"({"id":)") + std::to_string(t) +
                  R"(,"title":"Topic )" + std::to_string(t) + R"(","slug":"topic-)" +
                  std::to_string(t) + "\"}";
      }
      const bool more = start - static_cast<int64_t>(per_page_) >= 1;
      res.set_content(R"({"posts":[)" + posts + R"(],"topics":[)" + topics +
                          R"(],"users":[],"grouped_search_result":{"more_full_page_results":)" +
                          (more ? "true" : "null") + "}}",
                      "application/json; charset=utf-8");
    });
  }
  void Add(int count) {
    std::lock_guard lock(mu_);
    next_ += count;
  }
  void RequireKey() {
    std::lock_guard lock(mu_);
    require_key_ = true;
  }

 private:
  bool Allowed(const httplib::Request& req, httplib::Response& res) {
    if (!require_key_) return true;
    if (req.get_header_value("Api-Key") == kApiKey &&
        req.get_header_value("Api-Username") == "earshot") {
      return true;
    }
    res.status = 403;
    res.set_content(ReadFile(DataPath("discourse/error_invalid_access.json")), "application/json");
    return false;
  }

  std::mutex mu_;
  size_t per_page_;
  int64_t next_ = 1;  // the next post's id
  bool require_key_ = false;
};

std::unique_ptr<Connector> MakeDiscourse(HttpClient& http, const LocalHttpServer& host,
                                         std::map<std::string, std::string> extra = {}) {
  SourceSpec spec;
  spec.name = "forum";
  spec.kind = "discourse";
  spec.settings.Set("url", host.Url("/"));
  spec.settings.Set("timeout", "5s");
  for (const auto& [k, v] : extra)
    spec.settings.Set(k, v);
  auto c = DiscourseConnectorDescriptor().create(spec, http);
  REQUIRE(c.ok());
  return std::move(c).value();
}

std::vector<RecordedRequest> Requests(const LocalHttpServer& host, const std::string& path) {
  std::vector<RecordedRequest> out;
  for (const auto& r : host.requests()) {
    if (r.path == path) out.push_back(r);
  }
  return out;
}

std::string Param(const RecordedRequest& r, const std::string& name) {
  auto it = r.params.find(name);
  return it == r.params.end() ? "" : it->second;
}

// Polls until has_more is off; checks nothing comes twice and returns the sizes.
std::vector<size_t> Drain(Connector& source, SourceCursor* cursor, std::set<std::string>* all) {
  std::atomic<bool> stop{false};
  std::vector<size_t> sizes;
  bool more = true;
  while (more && sizes.size() < 20) {
    auto r = source.Poll(*cursor, stop);
    REQUIRE(r.ok());
    for (const auto& m : r->mentions)
      CHECK(all->insert(m.external_id).second);
    sizes.push_back(r->mentions.size());
    *cursor = r->next_cursor;
    more = r->has_more;
  }
  return sizes;
}

}  // namespace

TEST_CASE("discourse: search results become mentions", "[discourse]") {
  auto page = ParseDiscoursePosts(ReadFile(DataPath("discourse/search_voltwave.json")), "forum",
                                  "https://forum.voltwave.example");
  REQUIRE(page.ok());
  CHECK(page->warnings.empty());
  CHECK(page->posts == 2);
  CHECK_FALSE(page->more);
  CHECK(page->lowest_id == 48190);
  REQUIRE(page->mentions.size() == 2);
  const Mention& m = page->mentions[0];
  CHECK(m.source == "forum");
  CHECK(m.platform == "discourse");
  CHECK(m.external_id == "48213");
  CHECK(m.url == "https://forum.voltwave.example/t/go-wont-charge-after-firmware-2-3/9021/3");
  CHECK(m.title == "Go won't charge after firmware 2.3");
  CHECK(m.text ==
        "My Voltwave Go stopped charging after the 2.3 firmware update. Support says it's a "
        "known issue \xe2\x80\xa6");
  CHECK(m.author.handle == "kestrel");
  CHECK(m.author.name == "Kestrel Ng");
  CHECK(m.author.profile_url == "https://forum.voltwave.example/u/kestrel");
  CHECK(m.created_at == *ParseRfc3339("2025-06-02T09:41:12.337Z"));
  CHECK(m.thread_id == "9021");
  CHECK(m.engagement.likes == 4);
  CHECK(page->mentions[1].url == "https://forum.voltwave.example/t/error-e14-in-the-app/9030/1");
}

TEST_CASE(
    "discourse: latest posts become mentions; deleted and hidden are deletions, actions are "
    "left out",
    "[discourse]") {
  const ConnectorDescriptor* d = FindConnector("discourse");
  REQUIRE(d != nullptr);
  auto parsed = d->parse(ReadFile(DataPath("discourse/posts_latest.json")), "saved");
  REQUIRE(parsed.ok());
  REQUIRE(parsed->size() == 3);
  CHECK((*parsed)[2].external_id == "48211");
  CHECK((*parsed)[2].deleted);
  CHECK_FALSE((*parsed)[0].deleted);
  CHECK((*parsed)[0].edited_at == 0);  // updated_at alone is no edit
  const Mention& m = (*parsed)[0];
  CHECK(m.external_id == "48214");
  CHECK(m.url == "/t/go-wont-charge-after-firmware-2-3/9021/4");  // no base offline
  CHECK(m.text == "Thanks @kestrel, a fix is in 2.3.1.");
  CHECK(m.author.id == "2");
  CHECK(m.author.name == "Voltwave Support");
  CHECK(m.title == "Go won't charge after firmware 2.3");
  CHECK((*parsed)[1].engagement.replies == 1);
  auto page = ParseDiscoursePosts(ReadFile(DataPath("discourse/posts_latest.json")), "f", "");
  REQUIRE(page.ok());
  CHECK(page->lowest_id == 48211);
  CHECK(page->posts == 4);
}

TEST_CASE("discourse: a post's version above 1 dates its edit by updated_at", "[discourse]") {
  auto page = ParseDiscoursePosts(R"({"latest_posts":[
    {"id":48230,"topic_id":9021,"post_number":7,"username":"kestrel","raw":"Voltwave fixed it",
     "created_at":"2025-06-02T09:00:00.000Z","updated_at":"2025-06-03T11:30:00.000Z","version":2,
     "post_type":1,"deleted_at":null,"hidden":false},
    {"id":48229,"topic_id":9021,"post_number":6,"username":"ann","raw":"Voltwave is rude",
     "created_at":"2025-06-02T08:00:00.000Z","updated_at":"2025-06-02T08:00:00.000Z","version":1,
     "post_type":1,"deleted_at":null,"hidden":true}]})",
                                  "forum", "https://f");
  REQUIRE(page.ok());
  REQUIRE(page->mentions.size() == 2);
  CHECK(page->mentions[0].edited_at == *ParseRfc3339("2025-06-03T11:30:00Z"));
  CHECK_FALSE(page->mentions[0].deleted);
  CHECK(page->mentions[1].edited_at == 0);
  CHECK(page->mentions[1].deleted);  // hidden by flags: gone from view
  CHECK(page->ids == std::vector<int64_t>{48230, 48229});
}

TEST_CASE("discourse: errors, malformed bodies and bad bytes", "[discourse]") {
  auto fails = [](std::string_view body, const std::string& message) {
    INFO(body);
    auto page = ParseDiscoursePosts(body, "forum", "https://f");
    REQUIRE_FALSE(page.ok());
    CHECK(page.status().code() == Status::Code::kParseError);
    CHECK(page.status().message() == message);
  };
  fails(ReadFile(DataPath("discourse/error_invalid_access.json")),
        "an error, not posts: invalid_access: You are not permitted to view the requested "
        "resource. The API username or key is invalid.");
  fails("", "invalid JSON at byte 0: The document is empty.");
  fails(R"({"latest_posts":[{"id":1,"raw":"Volt)",
        "invalid JSON at byte 36: Missing a closing quotation mark in string.");
  fails(R"([{"type":"topic","results":[]}])",
        "an array of result groups: the search format of Discourse before 2016, not supported");
  fails(R"({"posts": "none"})", "\"posts\" is a string, not an array");
  fails(R"({"topic_list": {}})", "no \"posts\" or \"latest_posts\" array");

  auto page = ParseDiscoursePosts(
      "{\"latest_posts\":[5,{\"raw\":\"x\"},{\"id\":9,\"topic_id\":3,\"post_number\":2,"
      "\"topic_slug\":\"s\",\"raw\":\"bad \xf0\x9f\x98 bytes\",\"username\":\"\xff\"}]}",
      "forum", "https://f");
  REQUIRE(page.ok());
  CHECK(page->warnings == std::vector<std::string>{"post 0 skipped: a number, not an object",
                                                   "post 1 skipped: no \"id\""});
  REQUIRE(page->mentions.size() == 1);
  CHECK(IsValidUtf8(page->mentions[0].text));
  CHECK(IsValidUtf8(page->mentions[0].author.profile_url));
  CHECK_THAT(page->mentions[0].text, Catch::StartsWith("bad \xef\xbf\xbd"));
  CHECK(page->mentions[0].url == "https://f/t/s/3/2");
}

TEST_CASE("discourse: search pages down to the highest id seen, then what is new", "[discourse]") {
  LocalHttpServer host;
  FakeDiscourse forum(host, 5);
  forum.Add(12);
  host.Start();
  HttpClient http;
  auto source = MakeDiscourse(http, host, {{"query", "voltwave"}, {"max_pages", "2"}});
  std::atomic<bool> stop{false};

  auto first = source->Poll({}, stop);  // one page: no backfill
  REQUIRE(first.ok());
  CHECK(first->mentions.size() == 5);
  CHECK_FALSE(first->has_more);
  CHECK(first->next_cursor.position == "12");
  CHECK(first->mentions[0].url == host.Url("/t/topic-100/100/12"));
  auto searches = Requests(host, "/search.json");
  REQUIRE(searches.size() == 1);
  CHECK(Param(searches[0], "q") == "voltwave order:latest");
  CHECK(Param(searches[0], "page") == "1");

  forum.Add(3);
  std::set<std::string> all;
  SourceCursor cursor = first->next_cursor;
  CHECK(Drain(*source, &cursor, &all) == std::vector<size_t>{3});
  CHECK(cursor.position == "15");

  forum.Add(17);  // more than two pages: caught up over three polls
  all.clear();
  CHECK(Drain(*source, &cursor, &all) == std::vector<size_t>{10, 7});
  CHECK(all.size() == 17);
  CHECK(cursor.position == "32");
  CHECK(Drain(*source, &cursor, &all) == std::vector<size_t>{0});
}

TEST_CASE("discourse: without a query, latest posts with before= paging", "[discourse]") {
  LocalHttpServer host;
  FakeDiscourse forum(host, 4);
  forum.Add(6);
  forum.RequireKey();
  host.Start();
  HttpClient http;
  auto source = MakeDiscourse(
      http, host, {{"api_key", kApiKey}, {"api_username", "earshot"}, {"max_pages", "2"}});
  std::atomic<bool> stop{false};
  auto first = source->Poll({}, stop);
  REQUIRE(first.ok());
  CHECK(first->mentions.size() == 4);
  CHECK(first->next_cursor.position == "6");
  CHECK(Requests(host, "/posts.json")[0].Header("Api-Key") == kApiKey);

  forum.Add(11);
  std::set<std::string> all;
  SourceCursor cursor = first->next_cursor;
  CHECK(Drain(*source, &cursor, &all) == std::vector<size_t>{8, 3});
  CHECK(all.size() == 11);
  CHECK(cursor.position == "17");
  const auto pages = Requests(host, "/posts.json");
  REQUIRE(pages.size() == 4);
  CHECK(Param(pages[1], "before").empty());
  CHECK(Param(pages[2], "before") == "14");
  CHECK(Param(pages[3], "before") == "10");

  auto wrong =
      MakeDiscourse(http, host, {{"api_key", "wrong-key-value"}, {"api_username", "earshot"}})
          ->Poll({}, stop);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.status().code() == Status::Code::kHttpError);
  CHECK_THAT(wrong.status().message(),
             Catch::StartsWith("HTTP 403 from " + host.Url("/posts.json")));
  CHECK_THAT(wrong.status().message(), Catch::EndsWith("(check api_key and api_username)"));
  CHECK_THAT(wrong.status().message(), !Catch::Contains("wrong-key-value"));
}

TEST_CASE("discourse: rate limits, server errors and truncated bodies", "[discourse]") {
  LocalHttpServer host;
  int limited_calls = 0;
  host.server().Get("/limited/posts.json", [&](const httplib::Request&, httplib::Response& res) {
    ++limited_calls;
    res.status = 429;
    res.set_header("Retry-After", "12");
    res.set_content(
        R"({"errors":["You’ve performed this action too many times. Please wait 12 seconds before trying again."],"error_type":"rate_limit","extras":{"wait_seconds":12}})",
        "application/json");
  });
  host.server().Get("/down/posts.json", [](const httplib::Request&, httplib::Response& res) {
    res.status = 500;
    res.set_content("<html>oops</html>", "text/html");
  });
  host.server().Get("/cut/posts.json", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"latest_posts":[{"id":3,"ra)", "application/json");
  });
  host.Start();
  HttpClient http;
  std::atomic<bool> stop{false};

  auto limited_source = MakeDiscourse(http, host, {{"url", host.Url("/limited")}});
  auto limited = limited_source->Poll({}, stop);
  REQUIRE_FALSE(limited.ok());
  CHECK(limited.status().code() == Status::Code::kUnavailable);
  CHECK_THAT(limited.status().message(), Catch::Contains(", retry after 12 s: rate_limit: You"));
  auto held = limited_source->Poll({}, stop);
  REQUIRE_FALSE(held.ok());
  CHECK_THAT(held.status().message(),
             Catch::Matches("discourse rate limit reached: next request in (12|11) s"));
  CHECK(limited_calls == 1);

  auto down = MakeDiscourse(http, host, {{"url", host.Url("/down")}})->Poll({}, stop);
  REQUIRE_FALSE(down.ok());
  CHECK(down.status().code() == Status::Code::kHttpError);
  CHECK(down.status().message() == "HTTP 500 from " + host.Url("/down/posts.json"));

  auto cut = MakeDiscourse(http, host, {{"url", host.Url("/cut")}})->Poll({}, stop);
  REQUIRE_FALSE(cut.ok());
  CHECK(cut.status().code() == Status::Code::kParseError);
  CHECK_THAT(cut.status().message(), Catch::Contains(": invalid JSON at byte 28"));

  SourceSpec spec;
  spec.settings.Set("url", "forum.example.com");
  CHECK_FALSE(DiscourseConnectorDescriptor().create(spec, http).ok());
}

TEST_CASE("discourse: recorded Discourse bodies parse", "[discourse][shared]") {
  const std::filesystem::path root = std::string(EARSHOT_SHARED_DIR) + "/fixtures/discourse";
  if (!std::filesystem::exists(root)) {
    WARN("skipped: " << root << " is absent");
    return;
  }
  int mentions = 0;
  for (const char* file : {"discourse_api/posts_latest.json", "discourse_api/posts_before.json",
                           "discourse_api_docs/search/query_response.json"}) {
    const auto path = root / file;
    if (!std::filesystem::exists(path)) continue;
    INFO(path);
    auto page = ParseDiscoursePosts(ReadFile(path.string()), "recorded", "https://forum.example");
    REQUIRE(page.ok());
    CHECK(page->warnings.empty());
    for (const auto& m : page->mentions) {
      ++mentions;
      CHECK_THAT(m.url, Catch::StartsWith("https://forum.example/t/"));
      CHECK(m.created_at > 0);
      CHECK(IsValidUtf8(m.text));
    }
  }
  if (std::filesystem::exists(root / "discourse_api/search.json")) {
    CHECK_FALSE(
        ParseDiscoursePosts(ReadFile((root / "discourse_api/search.json").string()), "r", "").ok());
  }
  WARN("recorded Discourse bodies: " << mentions << " mentions");
}
