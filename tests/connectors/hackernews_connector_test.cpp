// The hackernews source: Algolia HN Search bodies parsed offline, and poll cycles against a local
// server that answers search_by_date like Algolia (numeric filters, pages, nbPages, nbHits).
#include "connectors/hackernews/hackernews_connector.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <mutex>
#include <set>

#include "connectors/hackernews/hackernews_cursor.h"
#include "connectors/hackernews/hackernews_page.h"
#include "connectors/http/http_client.h"
#include "core/time.h"
#include "core/utf8.h"
#include "tests/support/local_http_server.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

// One hit as Algolia serves it: a story or a comment created at `t` (Unix seconds).
struct Hit {
  int64_t id = 0;
  int64_t t = 0;
  bool comment = false;
  std::string text = "Voltwave battery died again";
};

std::string HitJson(const Hit& h) {
  const std::string id = std::to_string(h.id);
  std::string json = "{\"objectID\":\"" + id + "\",\"created_at_i\":" + std::to_string(h.t) +
                     ",\"created_at\":\"2024-10-17T09:14:52Z\",\"author\":\"user" + id + "\",";
  if (h.comment) {
    json += "\"_tags\":[\"comment\",\"author_user" + id + "\",\"story_1\"],\"comment_text\":\"" +
            h.text + "\",\"points\":null,\"num_comments\":null,\"story_id\":1,\"parent_id\":1," +
            "\"story_title\":\"Voltwave thread\",\"story_url\":null}";
  } else {
    json += "\"_tags\":[\"story\",\"author_user" + id + "\",\"story_" + id + "\"],\"title\":\"" +
            h.text + "\",\"url\":\"https://voltwave.example/" + id +
            "\",\"story_text\":null,\"points\":5,\"num_comments\":2,\"story_id\":" + id + "}";
  }
  return json;
}

// Plays search_by_date: filters by numericFilters on created_at_i, newest first, paged.
class FakeAlgolia {
 public:
  explicit FakeAlgolia(LocalHttpServer& host) {
    host.server().Get("/api/v1/search_by_date",
                      [this](const httplib::Request& req, httplib::Response& res) {
                        std::lock_guard lock(mu_);
                        Answer(req, res);
                      });
  }
  void Add(const Hit& h) {
    std::lock_guard lock(mu_);
    hits_.push_back(h);
  }
  // The next n requests fail with this status and body.
  void FailNext(int status, std::string body = "", int times = 1) {
    std::lock_guard lock(mu_);
    fail_status_ = status;
    fail_body_ = std::move(body);
    fail_times_ = times;
  }
  // Requests whose page parameter is `page` fail with a 500.
  void FailPage(int page) {
    std::lock_guard lock(mu_);
    fail_page_ = page;
  }

 private:
  void Answer(const httplib::Request& req, httplib::Response& res) {
    if (fail_page_ >= 0 && req.get_param_value("page") == std::to_string(fail_page_)) {
      res.status = 500;
      return;
    }
    if (fail_times_ > 0) {
      --fail_times_;
      res.status = fail_status_;
      if (fail_status_ == 429) res.set_header("Retry-After", "30");
      res.set_content(fail_body_, "application/json");
      return;
    }
    int64_t lower = INT64_MIN, upper = INT64_MAX;
    const std::string filters = req.get_param_value("numericFilters");
    size_t start = 0;
    while (start < filters.size()) {
      size_t comma = filters.find(',', start);
      std::string f = filters.substr(start, comma == std::string::npos ? comma : comma - start);
      if (f.rfind("created_at_i>", 0) == 0) lower = std::stoll(f.substr(13));
      if (f.rfind("created_at_i<=", 0) == 0) upper = std::stoll(f.substr(14));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    std::vector<Hit> matching;
    for (const auto& h : hits_) {
      if (h.t > lower && h.t <= upper) matching.push_back(h);
    }
    std::sort(matching.begin(), matching.end(),
              [](const Hit& a, const Hit& b) { return a.t != b.t ? a.t > b.t : a.id > b.id; });
    const int64_t per_page = std::stoll(req.get_param_value("hitsPerPage"));
    const int64_t page = std::stoll(req.get_param_value("page"));
    const int64_t served = std::min<int64_t>(static_cast<int64_t>(matching.size()), 1000);
    const int64_t pages = (served + per_page - 1) / per_page;
    std::string body = "{\"hits\":[";
    for (int64_t i = page * per_page; i < std::min(served, (page + 1) * per_page); ++i) {
      body += (i == page * per_page ? "" : ",") + HitJson(matching[static_cast<size_t>(i)]);
    }
    body += "],\"nbHits\":" + std::to_string(matching.size()) +
            ",\"page\":" + std::to_string(page) + ",\"nbPages\":" + std::to_string(pages) +
            ",\"hitsPerPage\":" + std::to_string(per_page) +
            ",\"exhaustiveNbHits\":true,\"query\":\"voltwave\",\"processingTimeMS\":1}";
    res.set_content(body, "application/json; charset=utf-8");
  }

  std::mutex mu_;
  std::vector<Hit> hits_;
  int fail_status_ = 0;
  std::string fail_body_;
  int fail_times_ = 0;
  int fail_page_ = -1;
};

std::unique_ptr<Connector> MakeHackerNews(HttpClient& http, const LocalHttpServer& host,
                                          const std::string& max_pages = "10") {
  SourceSpec spec;
  spec.name = "hn";
  spec.kind = "hackernews";
  spec.settings.Set("query", "Voltwave app");
  spec.settings.Set("base_url", host.Url("/api/v1/"));
  spec.settings.Set("max_pages", max_pages);
  spec.settings.Set("timeout", "5s");
  auto c = HackerNewsConnectorDescriptor().create(spec, http);
  REQUIRE(c.ok());
  return std::move(c).value();
}

std::set<std::string> IdSet(const PollResult& r) {
  std::set<std::string> ids;
  for (const auto& m : r.mentions)
    ids.insert(m.external_id);
  return ids;
}

}  // namespace

TEST_CASE("hackernews: a search_by_date page becomes stories and comments", "[hackernews]") {
  auto page =
      ParseHackerNewsPage(ReadFile(DataPath("hackernews/search_by_date_voltwave.json")), "hn");
  REQUIRE(page.ok());
  CHECK(page->warnings.empty());
  CHECK(page->nb_pages == 1);
  CHECK(page->nb_hits == 3);
  CHECK(page->newest == 1729156492);
  CHECK(page->oldest == 1729144964);
  REQUIRE(page->mentions.size() == 3);

  const Mention& comment = page->mentions[0];
  CHECK(comment.source == "hn");
  CHECK(comment.platform == "hackernews");
  CHECK(comment.external_id == "41882417");
  CHECK(comment.url == "https://news.ycombinator.com/item?id=41882417");
  CHECK(comment.author.handle == "kestrel_dev");
  CHECK(comment.author.profile_url == "https://news.ycombinator.com/user?id=kestrel_dev");
  CHECK(comment.title.empty());
  CHECK_THAT(comment.text, Catch::StartsWith("Voltwave support closed my ticket twice"));
  CHECK_THAT(comment.text, Catch::Contains("3 months & they still won't replace it."));
  CHECK_THAT(comment.text, Catch::EndsWith("Has anyone got a refund from them?"));
  CHECK(comment.text.find('<') == std::string::npos);
  CHECK(comment.created_at == 1729156492000);
  CHECK(comment.thread_id == "41882001");
  CHECK(comment.parent_id == "41882203");
  CHECK(comment.engagement.likes == 0);  // comments have "points": null
  CHECK(comment.engagement.replies == 0);
  CHECK_THAT(comment.raw, Catch::Contains("\"objectID\":\"41882417\""));

  const Mention& show = page->mentions[1];
  CHECK(show.title == "Show HN: I reverse-engineered the Voltwave BMS protocol");
  CHECK(show.text.empty());  // a link story: the title is its text
  CHECK(show.thread_id == "41881950");
  CHECK(show.parent_id.empty());
  CHECK(show.engagement.likes == 142);
  CHECK(show.engagement.replies == 27);

  const Mention& ask = page->mentions[2];
  CHECK(ask.text ==
        "I'm comparing Voltwave Go and a competitor's plan.\nVoltwave charges $39/month "
        "including repairs. Thoughts?");
}

TEST_CASE("hackernews: the descriptor parses saved bodies for earshot parse", "[hackernews]") {
  const ConnectorDescriptor* d = FindConnector("hackernews");
  REQUIRE(d != nullptr);
  REQUIRE(d->parse);
  auto mentions = d->parse(ReadFile(DataPath("hackernews/search_by_date_voltwave.json")), "saved");
  REQUIRE(mentions.ok());
  CHECK(mentions->size() == 3);

  auto error = d->parse(ReadFile(DataPath("hackernews/error_invalid_filter.json")), "saved");
  REQUIRE_FALSE(error.ok());
  CHECK(error.status().code() == Status::Code::kParseError);
  CHECK(error.status().message() ==
        "no \"hits\" array: not an Algolia search response (\"invalid numericFilters: Unexpected "
        "token string(created_at_i) expected numeric at col 13\")");
}

TEST_CASE("hackernews: malformed bodies fail clearly and bad hits are skipped", "[hackernews]") {
  auto fails = [](std::string_view body, const std::string& message) {
    INFO(body);
    auto page = ParseHackerNewsPage(body, "hn");
    REQUIRE_FALSE(page.ok());
    CHECK(page.status().code() == Status::Code::kParseError);
    CHECK(page.status().message() == message);
  };
  fails("", "invalid JSON at byte 0: The document is empty.");
  fails(R"({"hits":[{"objectID":"1","created_at_i":17)",
        "invalid JSON at byte 42: Missing a comma or '}' after an object member.");
  fails("<html>Bad gateway</html>", "invalid JSON at byte 0: Invalid value.");
  fails(R"({"hits":[]} trailing)",
        "invalid JSON at byte 12: The document root must not be followed by other values.");
  fails("[]", "expected a search response object, got an array");
  fails(R"({"hits":{"objectID":"1"}})", "\"hits\" is an object, not an array");
  fails(R"({"nbHits":0})", "no \"hits\" array: not an Algolia search response");

  // Deep nesting is parsed iteratively: an error or a value, never a stack overflow.
  auto deep = ParseHackerNewsPage(std::string(100000, '['), "hn");
  CHECK_FALSE(deep.ok());

  auto page = ParseHackerNewsPage(
      R"({"hits":[7,{"author":"x"},{"objectID":12,"created_at_i":"1729156492","points":"many",)"
      R"("comment_text":"ok","_tags":["comment"],"story_id":"3","num_comments":1.9e400}],)"
      R"("nbPages":"x"})",
      "hn");
  // 1.9e400 overflows a double: RapidJSON refuses it.
  REQUIRE_FALSE(page.ok());
  CHECK_THAT(page.status().message(), Catch::Contains("Number too big"));

  page = ParseHackerNewsPage(
      R"({"hits":[7,{"author":"x"},{"objectID":12,"created_at_i":"1729156492","points":"many",)"
      R"("comment_text":"ok","_tags":["comment"],"story_id":"3","num_comments":{}}],)"
      R"("nbPages":"x"})",
      "hn");
  REQUIRE(page.ok());
  CHECK(page->warnings == std::vector<std::string>{"hit 0 skipped: a number, not an object",
                                                   "hit 1 skipped: no objectID"});
  CHECK(page->hits == 3);
  CHECK(page->nb_pages == 0);
  REQUIRE(page->mentions.size() == 1);
  CHECK(page->mentions[0].external_id == "12");
  CHECK(page->mentions[0].created_at == 1729156492000);
  CHECK(page->mentions[0].thread_id == "3");
  CHECK(page->mentions[0].engagement.likes == 0);
  CHECK(page->mentions[0].engagement.replies == 0);
}

TEST_CASE("hackernews: invalid UTF-8 in a hit becomes U+FFFD", "[hackernews]") {
  const std::string body =
      "{\"hits\":[{\"objectID\":\"5\",\"author\":\"b\xff\",\"_tags\":"
      "[\"comment\"],\"comment_text\":\"Voltwave \xc3\x28 broke &amp; "
      "\xe2\x82\"}],\"nbPages\":1}";
  auto page = ParseHackerNewsPage(body, "hn");
  REQUIRE(page.ok());
  REQUIRE(page->mentions.size() == 1);
  const Mention& m = page->mentions[0];
  CHECK(IsValidUtf8(m.text));
  CHECK(IsValidUtf8(m.author.handle));
  CHECK(IsValidUtf8(m.raw));
  CHECK_THAT(m.text, Catch::StartsWith("Voltwave \xef\xbf\xbd( broke & \xef\xbf\xbd"));
  CHECK(m.author.handle == "b\xef\xbf\xbd");
}

TEST_CASE("hackernews: the cursor position reads back what it wrote", "[hackernews]") {
  HackerNewsPosition done{1729156492, std::nullopt, 1729156492};
  CHECK(FormatHackerNewsPosition(done) == "1729156492");
  CHECK(ParseHackerNewsPosition("1729156492") == done);
  HackerNewsPosition resume{1729000000, 1729100000, 1729156492};
  CHECK(FormatHackerNewsPosition(resume) == "1729000000:1729100000:1729156492");
  CHECK(ParseHackerNewsPosition("1729000000:1729100000:1729156492") == resume);
  for (const char* bad : {"", "x", "-5", "1:2", "1:2:3:4", "5:1:9", "12a", "1::3"}) {
    INFO(bad);
    CHECK_FALSE(ParseHackerNewsPosition(bad).has_value());
  }
}

TEST_CASE("hackernews: a poll pages through the window, then only newer hits come",
          "[hackernews]") {
  LocalHttpServer host;
  FakeAlgolia algolia(host);
  const int64_t now = NowMillis() / 1000;
  for (int i = 0; i < 250; ++i)
    algolia.Add({1000 + i, now - 3600 + i, i % 2 == 1});
  algolia.Add({999, now - 3 * 86400, false});  // older than the lookback
  host.Start();
  HttpClient http;
  auto hn = MakeHackerNews(http, host);
  std::atomic<bool> stop{false};

  auto first = hn->Poll({}, stop);
  REQUIRE(first.ok());
  CHECK(first->http_status == 200);
  CHECK(first->warnings.empty());
  CHECK_FALSE(first->has_more);
  CHECK(first->mentions.size() == 250);
  CHECK(IdSet(*first).size() == 250);
  CHECK(IdSet(*first).count("999") == 0);
  CHECK(first->next_cursor.position == std::to_string(now - 3600 + 249));
  CHECK(first->mentions[0].fetched_at > 0);

  auto seen = host.requests();
  REQUIRE(seen.size() == 3);
  for (size_t i = 0; i < seen.size(); ++i) {
    CHECK(seen[i].path == "/api/v1/search_by_date");
    CHECK(seen[i].params.find("query")->second == "Voltwave app");
    CHECK(seen[i].params.find("tags")->second == "(story,comment)");
    CHECK(seen[i].params.find("hitsPerPage")->second == "100");
    CHECK(seen[i].params.find("page")->second == std::to_string(i));
    const std::string filter = seen[i].params.find("numericFilters")->second;
    REQUIRE(filter.rfind("created_at_i>", 0) == 0);
    const int64_t since = std::stoll(filter.substr(13));
    CHECK(since >= now - 86400 - 5);
    CHECK(since <= now - 86400 + 5);
  }

  auto quiet = hn->Poll(first->next_cursor, stop);
  REQUIRE(quiet.ok());
  CHECK(quiet->mentions.empty());
  CHECK(quiet->next_cursor == first->next_cursor);
  CHECK(host.requests().back().params.find("numericFilters")->second ==
        "created_at_i>" + first->next_cursor.position);

  algolia.Add({2000, now - 10, true});
  algolia.Add({2001, now - 5, false});
  auto second = hn->Poll(quiet->next_cursor, stop);
  REQUIRE(second.ok());
  CHECK(IdSet(*second) == std::set<std::string>{"2000", "2001"});
  CHECK(second->next_cursor.position == std::to_string(now - 5));
}

TEST_CASE("hackernews: a window over max_pages is resumed below its oldest hit", "[hackernews]") {
  LocalHttpServer host;
  FakeAlgolia algolia(host);
  const int64_t now = NowMillis() / 1000;
  for (int i = 0; i < 250; ++i)
    algolia.Add({1000 + i, now - 3600 + i});
  host.Start();
  HttpClient http;
  auto hn = MakeHackerNews(http, host, "2");
  std::atomic<bool> stop{false};

  auto first = hn->Poll({}, stop);
  REQUIRE(first.ok());
  CHECK(first->has_more);
  CHECK(first->mentions.size() == 200);
  CHECK(host.request_count() == 2);
  const std::string newest = std::to_string(now - 3600 + 249);
  auto resume = ParseHackerNewsPosition(first->next_cursor.position);
  REQUIRE(resume.has_value());
  REQUIRE(resume->upper.has_value());
  CHECK(*resume->upper == now - 3600 + 50);  // the oldest hit read
  CHECK(std::to_string(resume->newest) == newest);

  auto second = hn->Poll(first->next_cursor, stop);
  REQUIRE(second.ok());
  CHECK_FALSE(second->has_more);
  CHECK(second->next_cursor.position == newest);
  // 50 unread hits and the one in the oldest second already read (the store drops it).
  CHECK(second->mentions.size() == 51);
  std::set<std::string> all = IdSet(*first);
  for (const auto& id : IdSet(*second))
    all.insert(id);
  CHECK(all.size() == 250);
  CHECK(host.requests().back().params.find("numericFilters")->second ==
        "created_at_i>" + std::to_string(resume->since) +
            ",created_at_i<=" + std::to_string(now - 3600 + 50));

  auto third = hn->Poll(second->next_cursor, stop);
  REQUIRE(third.ok());
  CHECK(third->mentions.empty());
}

TEST_CASE("hackernews: more hits than Algolia serves are read in several windows", "[hackernews]") {
  LocalHttpServer host;
  FakeAlgolia algolia(host);
  const int64_t now = NowMillis() / 1000;
  for (int i = 0; i < 1500; ++i)
    algolia.Add({10000 + i, now - 7200 + i});
  host.Start();
  HttpClient http;
  auto hn = MakeHackerNews(http, host);
  std::atomic<bool> stop{false};

  std::set<std::string> all;
  SourceCursor cursor;
  int polls = 0;
  bool more = true;
  while (more && polls < 5) {
    auto r = hn->Poll(cursor, stop);
    REQUIRE(r.ok());
    for (const auto& id : IdSet(*r))
      all.insert(id);
    cursor = r->next_cursor;
    more = r->has_more;
    ++polls;
  }
  CHECK(polls == 2);
  CHECK(all.size() == 1500);
  CHECK(cursor.position == std::to_string(now - 7200 + 1499));
}

TEST_CASE("hackernews: rate limits, server errors and bad bodies fail the poll", "[hackernews]") {
  LocalHttpServer host;
  FakeAlgolia algolia(host);
  const int64_t now = NowMillis() / 1000;
  algolia.Add({1, now - 60});
  host.Start();
  HttpClient http;
  auto hn = MakeHackerNews(http, host);
  std::atomic<bool> stop{false};
  SourceCursor cursor;
  cursor.position = std::to_string(now - 600);

  algolia.FailNext(429, R"({"message":"Too many requests","status":429})");
  auto limited = hn->Poll(cursor, stop);
  REQUIRE_FALSE(limited.ok());
  CHECK(limited.status().code() == Status::Code::kUnavailable);
  CHECK_THAT(limited.status().message(),
             Catch::StartsWith("HTTP 429 from " + host.Url("/api/v1/search_by_date?query=")));
  CHECK_THAT(limited.status().message(), Catch::EndsWith(", retry after 30 s: Too many requests"));

  algolia.FailNext(500, "<html>Internal Server Error</html>");
  auto broken = hn->Poll(cursor, stop);
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.status().code() == Status::Code::kHttpError);
  CHECK_THAT(broken.status().message(), Catch::StartsWith("HTTP 500 from "));
  CHECK_THAT(broken.status().message(), !Catch::Contains("html"));

  host.server().Get("/bad/search_by_date", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"hits":[{"objectID":"1","created_at_i":17)", "application/json");
  });
  SourceSpec spec;
  spec.name = "hn";
  spec.settings.Set("query", "voltwave");
  spec.settings.Set("base_url", host.Url("/bad"));
  auto bad = HackerNewsConnectorDescriptor().create(spec, http);
  REQUIRE(bad.ok());
  auto truncated = (*bad)->Poll(cursor, stop);
  REQUIRE_FALSE(truncated.ok());
  CHECK(truncated.status().code() == Status::Code::kParseError);
  CHECK_THAT(truncated.status().message(),
             Catch::StartsWith("GET " + host.Url("/bad/search_by_date?query=voltwave")));
  CHECK_THAT(truncated.status().message(), Catch::Contains("invalid JSON at byte 42"));

  // The cursor is untouched by failures: the hit still comes.
  auto ok = hn->Poll(cursor, stop);
  REQUIRE(ok.ok());
  CHECK(IdSet(*ok) == std::set<std::string>{"1"});
}

TEST_CASE("hackernews: a page failing mid-window keeps the pages before it", "[hackernews]") {
  LocalHttpServer host;
  FakeAlgolia algolia(host);
  const int64_t now = NowMillis() / 1000;
  for (int i = 0; i < 150; ++i)
    algolia.Add({1000 + i, now - 3600 + i});
  algolia.FailPage(1);
  host.Start();
  HttpClient http;
  auto hn = MakeHackerNews(http, host);
  std::atomic<bool> stop{false};

  auto first = hn->Poll({}, stop);
  REQUIRE(first.ok());
  CHECK(first->mentions.size() == 100);
  CHECK_FALSE(first->has_more);  // wait for the next interval rather than hammer
  REQUIRE(first->warnings.size() == 1);
  CHECK_THAT(first->warnings[0], Catch::StartsWith("stopped after 1 pages: HTTP 500 from "));
  auto resume = ParseHackerNewsPosition(first->next_cursor.position);
  REQUIRE(resume.has_value());
  CHECK(resume->upper == now - 3600 + 50);

  algolia.FailPage(-1);
  auto second = hn->Poll(first->next_cursor, stop);
  REQUIRE(second.ok());
  CHECK(second->mentions.size() == 51);
  CHECK(second->next_cursor.position == std::to_string(now - 3600 + 149));
}

TEST_CASE("hackernews: settings are checked when the source is created", "[hackernews]") {
  HttpClient http;
  SourceSpec spec;
  spec.name = "hn";
  spec.settings.Set("query", "");
  auto empty = HackerNewsConnectorDescriptor().create(spec, http);
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.status().message() == "query must not be empty");
  spec.settings.Set("query", "voltwave");
  spec.settings.Set("base_url", "ftp://hn.example");
  CHECK_FALSE(HackerNewsConnectorDescriptor().create(spec, http).ok());
  spec.settings.Set("base_url", "https://hn.algolia.com/api/v1");
  spec.settings.Set("max_pages", "0");
  CHECK_FALSE(HackerNewsConnectorDescriptor().create(spec, http).ok());
}

TEST_CASE("hackernews: recorded Algolia bodies parse", "[hackernews][shared]") {
  const std::string path =
      std::string(EARSHOT_SHARED_DIR) +
      "/fixtures/hn_algolia/communal/search_restrictSearchableAttributes_url.json";
  if (!std::filesystem::exists(path)) {
    WARN("skipped: " << path << " is absent");
    return;
  }
  auto page = ParseHackerNewsPage(ReadFile(path), "recorded");
  REQUIRE(page.ok());
  CHECK_FALSE(page->mentions.empty());
  for (const auto& m : page->mentions) {
    CHECK_FALSE(m.external_id.empty());
    CHECK(m.url == "https://news.ycombinator.com/item?id=" + m.external_id);
    CHECK(m.created_at > 0);
    CHECK(IsValidUtf8(m.title));
    CHECK(IsValidUtf8(m.text));
  }
}
