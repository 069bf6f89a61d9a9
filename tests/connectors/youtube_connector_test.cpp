// The youtube source: commentThreads pages parsed offline, and poll cycles against a local
// server playing the YouTube Data API v3 (several videos' first pages at once, pageToken paging,
// publishedAt cursor, quota and disabled comments).
#include "connectors/youtube/youtube_connector.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>

#include "connectors/http/http_client.h"
#include "connectors/youtube/youtube_comments.h"
#include "connectors/youtube/youtube_quota.h"
#include "core/time.h"
#include "core/utf8.h"
#include "tests/support/local_http_server.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

constexpr const char* kKey = "AIzaSyD-voltwave-test-key-0123456789ab";

std::string ThreadJson(const std::string& video, int64_t n, UnixMillis published) {
  const std::string id = "Ug" + video + "c" + std::to_string(n);
  return R"({"kind":"youtube#commentThread","id":")" + id + R"(","snippet":{"videoId":")" + video +
         R"(","topLevelComment":{"kind":"youtube#comment","id":")" + id +
         R"(","snippet":{"videoId":")" + video + R"(","textDisplay":"comment )" +
         std::to_string(n) + R"(","textOriginal":"comment )" + std::to_string(n) +
         R"(","authorDisplayName":"@viewer)" + std::to_string(n % 4) +
         R"(","authorChannelUrl":"http://www.youtube.com/@viewer)" + std::to_string(n % 4) +
         R"(","authorChannelId":{"value":"UCviewer)" + std::to_string(n % 4) +
         R"("},"likeCount":1,"publishedAt":")" + FormatRfc3339(published) + R"(","updatedAt":")" +
         FormatRfc3339(published) + R"("}},"totalReplyCount":0}})";
}

// commentThreads for each video, newest first, pageToken an offset; "off" has comments disabled.
class FakeYouTube {
 public:
  explicit FakeYouTube(LocalHttpServer& host) {
    host.server().Get("/youtube/v3/commentThreads", [this](const httplib::Request& req,
                                                           httplib::Response& res) {
      std::unique_lock lock(mu_);
      // A first page waits (at most a second) for the other videos' first pages, so the test
      // sees whether they were sent together.
      most_in_flight_ = std::max(most_in_flight_, ++in_flight_);
      arrived_.notify_all();
      if (!req.has_param("pageToken")) {
        arrived_.wait_for(lock, std::chrono::seconds(1), [&] { return in_flight_ >= gather_; });
      }
      struct Leave {
        int& n;
        ~Leave() { --n; }
      } leave{in_flight_};
      if (quota_spent_) {
        res.status = 403;
        res.set_content(ReadFile(DataPath("youtube/error_quota_exceeded.json")),
                        "application/json");
        return;
      }
      std::string video = req.get_param_value("videoId");
      if (video.empty()) video = "channel:" + req.get_param_value("allThreadsRelatedToChannelId");
      if (video == "off") {
        res.status = 403;
        res.set_content(ReadFile(DataPath("youtube/error_comments_disabled.json")),
                        "application/json");
        return;
      }
      const auto& list = comments_[video];  // oldest first
      const size_t per_page = std::stoul(req.get_param_value("maxResults"));
      const size_t offset =
          req.has_param("pageToken") ? std::stoul(req.get_param_value("pageToken").substr(1)) : 0;
      std::string items;
      for (size_t i = offset; i < list.size() && i < offset + per_page; ++i) {
        const auto& [n, t] = list[list.size() - 1 - i];
        items += (items.empty() ? "" : ",") + ThreadJson(video, n, t);
      }
      std::string body = R"({"kind":"youtube#commentThreadListResponse",)";
      if (offset + per_page < list.size())
        body += R"("nextPageToken":"p)" + std::to_string(offset + per_page) + "\",";
      body += R"("items":[)" + items + "]}";
      res.set_content(body, "application/json; charset=UTF-8");
    });
  }
  void Add(const std::string& video, int count) {
    std::lock_guard lock(mu_);
    for (int i = 0; i < count; ++i)
      comments_[video].emplace_back(++next_, clock_ += 1000);
  }
  // First pages wait for this many requests in flight at once.
  void Gather(int requests) {
    std::lock_guard lock(mu_);
    gather_ = requests;
  }
  int most_in_flight() {
    std::lock_guard lock(mu_);
    return most_in_flight_;
  }
  void SpendQuota() {
    std::lock_guard lock(mu_);
    quota_spent_ = true;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::vector<std::pair<int64_t, UnixMillis>>> comments_;
  int64_t next_ = 0;
  UnixMillis clock_ = NowMillis() - 3'600'000;
  bool quota_spent_ = false;
  std::condition_variable arrived_;
  int in_flight_ = 0, most_in_flight_ = 0, gather_ = 1;
};

std::unique_ptr<Connector> MakeYouTube(HttpClient& http, const LocalHttpServer& host,
                                       std::vector<std::string> videos,
                                       std::map<std::string, std::string> extra = {}) {
  SourceSpec spec;
  spec.name = "yt-voltwave";
  spec.kind = "youtube";
  spec.settings.Set("api_key", kKey);
  if (!videos.empty()) spec.settings.SetList("video_ids", videos);
  spec.settings.Set("api_url", host.Url("/youtube/v3"));
  spec.settings.Set("timeout", "5s");
  for (const auto& [k, v] : extra)
    spec.settings.Set(k, v);
  auto c = YouTubeConnectorDescriptor().create(spec, http);
  REQUIRE(c.ok());
  return std::move(c).value();
}

std::string Param(const RecordedRequest& r, const std::string& name) {
  auto it = r.params.find(name);
  return it == r.params.end() ? "" : it->second;
}

}  // namespace

TEST_CASE("youtube: a commentThreads page becomes mentions", "[youtube]") {
  auto page =
      ParseYouTubeCommentThreads(ReadFile(DataPath("youtube/commentthreads_video.json")), "yt");
  REQUIRE(page.ok());
  CHECK(page->warnings.empty());
  CHECK(page->items == 3);
  CHECK(page->next_page_token == "QURTSl9pMlhZc1ZqZ2R2N3lJX2Z4c1BpY2x2b3Z4d0N5Q3V4");
  REQUIRE(page->mentions.size() == 3);
  const Mention& m = page->mentions[0];
  CHECK(m.source == "yt");
  CHECK(m.platform == "youtube");
  CHECK(m.external_id == "UgzK3vB9d8Zq1xYp2Rt4AaABAg");
  CHECK(m.url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ&lc=UgzK3vB9d8Zq1xYp2Rt4AaABAg");
  CHECK(m.thread_id == "dQw4w9WgXcQ");
  CHECK(m.text == "The Voltwave Go range test at 3:12 is way off & mine gets 40 km tops.");
  CHECK(m.author.id == "UCa1b2c3d4e5f6g7h8i9j0kL");
  CHECK(m.author.name == "@commuter_kim");
  CHECK(m.author.handle == "commuter_kim");
  CHECK(m.author.profile_url == "http://www.youtube.com/@commuter_kim");
  CHECK(m.created_at == *ParseRfc3339("2026-11-20T10:02:00Z"));
  CHECK(m.engagement.likes == 27);
  CHECK(m.engagement.replies == 4);
  CHECK_THAT(m.raw, Catch::Contains("\"updatedAt\":\"2026-11-20T10:05:41Z\""));
  CHECK(m.edited_at == *ParseRfc3339("2026-11-20T10:05:41Z"));  // updatedAt after publishedAt
  CHECK(page->mentions[1].edited_at == 0);                      // never edited
  CHECK(page->mentions[1].text == "Enfin une vid\xc3\xa9o honn\xc3\xaate \xf0\x9f\x91\x8d");
  CHECK(page->mentions[1].author.handle == "Zo\xc3\xa9-v\xc3\xa9lo");
  // No textOriginal: the display text, as plain text.
  CHECK(page->mentions[2].text == "first\nsecond line");
  CHECK(page->mentions[2].author.handle.empty());
  CHECK(page->mentions[2].engagement.replies == 1);

  const ConnectorDescriptor* d = FindConnector("youtube");
  REQUIRE(d != nullptr);
  auto parsed = d->parse(ReadFile(DataPath("youtube/commentthreads_video.json")), "saved");
  REQUIRE(parsed.ok());
  CHECK(parsed->size() == 3);
}

TEST_CASE("youtube: error bodies, malformed JSON, invalid UTF-8", "[youtube]") {
  auto quota = ParseYouTubeError(ReadFile(DataPath("youtube/error_quota_exceeded.json")));
  REQUIRE(quota.has_value());
  CHECK(quota->code == 403);
  CHECK(quota->reason == "quotaExceeded");
  CHECK(quota->ToString() ==
        "quotaExceeded (403): The request cannot be completed because you have exceeded your "
        "quota.");
  auto disabled = ParseYouTubeError(ReadFile(DataPath("youtube/error_comments_disabled.json")));
  REQUIRE(disabled.has_value());
  CHECK(disabled->reason == "commentsDisabled");
  CHECK(disabled->message ==
        "The video identified by the videoId parameter has disabled comments.");
  CHECK_FALSE(ParseYouTubeError(R"({"items":[]})").has_value());

  auto fails = [](std::string_view body, const std::string& message) {
    INFO(body);
    auto page = ParseYouTubeCommentThreads(body, "yt");
    REQUIRE_FALSE(page.ok());
    CHECK(page.status().code() == Status::Code::kParseError);
    CHECK(page.status().message() == message);
  };
  fails(ReadFile(DataPath("youtube/error_forbidden.json")),
        "an error, not comments: forbidden (403): The comment thread could not be retrieved "
        "because the request is not properly authorized.");
  fails("", "invalid JSON at byte 0: The document is empty.");
  fails(R"({"items":[{"id":"Ug1","snippet":{)",
        "invalid JSON at byte 33: Missing a name for object member.");
  fails("[]", "expected a commentThreads response object, got an array");
  fails(R"({"items":"none"})", "\"items\" is a string, not an array");
  fails(R"({"kind":"x"})", "no \"items\" array: not a YouTube commentThreads response");

  auto page = ParseYouTubeCommentThreads(
      "{\"items\":[1,{\"id\":\"a/b\",\"snippet\":{\"topLevelComment\":{\"snippet\":{}}}},"
      "{\"id\":\"Ug9\",\"snippet\":{\"videoId\":\"v1\",\"topLevelComment\":{\"id\":\"Ug9\","
      "\"snippet\":{\"textOriginal\":\"bad \xc3\x28 \xff\",\"authorDisplayName\":\"\xfe\"}}}}]}",
      "yt");
  REQUIRE(page.ok());
  CHECK(page->warnings ==
        std::vector<std::string>{"thread 0 skipped: no snippet.topLevelComment.snippet",
                                 "thread 1 skipped: no usable id"});
  REQUIRE(page->mentions.size() == 1);
  CHECK(page->mentions[0].text == "bad \xef\xbf\xbd( \xef\xbf\xbd");
  CHECK(IsValidUtf8(page->mentions[0].author.name));
  CHECK(page->mentions[0].url == "https://www.youtube.com/watch?v=v1&lc=Ug9");
}

TEST_CASE("youtube: the quota resets at midnight Pacific time", "[youtube]") {
  // November: PST, UTC-8.
  CHECK(NextPacificMidnight(*ParseRfc3339("2026-11-20T10:00:00Z")) ==
        *ParseRfc3339("2026-11-21T08:00:00Z"));
  CHECK(NextPacificMidnight(*ParseRfc3339("2026-11-21T07:59:59Z")) ==
        *ParseRfc3339("2026-11-21T08:00:00Z"));
  CHECK(NextPacificMidnight(*ParseRfc3339("2026-11-21T08:00:00Z")) ==
        *ParseRfc3339("2026-11-22T08:00:00Z"));
  // July: PDT, UTC-7.
  CHECK(NextPacificMidnight(*ParseRfc3339("2026-07-01T12:00:00Z")) ==
        *ParseRfc3339("2026-07-02T07:00:00Z"));
  // Around the changes: 2026-03-08 and 2026-11-01.
  CHECK(NextPacificMidnight(*ParseRfc3339("2026-03-08T12:00:00Z")) ==
        *ParseRfc3339("2026-03-09T07:00:00Z"));
  CHECK(NextPacificMidnight(*ParseRfc3339("2026-03-07T12:00:00Z")) ==
        *ParseRfc3339("2026-03-08T08:00:00Z"));
  CHECK(NextPacificMidnight(*ParseRfc3339("2026-10-31T12:00:00Z")) ==
        *ParseRfc3339("2026-11-01T07:00:00Z"));
  CHECK(NextPacificMidnight(*ParseRfc3339("2026-11-01T12:00:00Z")) ==
        *ParseRfc3339("2026-11-02T08:00:00Z"));
}

TEST_CASE("youtube: several videos paged, then only what is new", "[youtube]") {
  LocalHttpServer host;
  FakeYouTube yt(host);
  yt.Add("vidA", 150);
  yt.Add("vidB", 20);
  host.Start();
  HttpClient http;
  auto source = MakeYouTube(http, host, {"vidA", "off", "vidB"});
  std::atomic<bool> stop{false};

  yt.Gather(3);
  auto first = source->Poll({}, stop);
  yt.Gather(1);
  REQUIRE(first.ok());
  CHECK(first->http_status == 200);
  CHECK(first->mentions.size() == 170);
  CHECK_FALSE(first->has_more);
  CHECK(first->warnings ==
        std::vector<std::string>{"off skipped: HTTP 403 from " + host.Url("/youtube/v3/") +
                                 "commentThreads?part=snippet&videoId=off&order=time&maxResults="
                                 "100&textFormat=plainText&key=REDACTED: commentsDisabled (403): "
                                 "The video identified by the videoId parameter has disabled "
                                 "comments."});
  CHECK(first->mentions.front().external_id == "UgvidAc150");
  CHECK(first->mentions.front().url == "https://www.youtube.com/watch?v=vidA&lc=UgvidAc150");
  const auto requests = host.requests();
  REQUIRE(requests.size() == 4);
  // The three first pages go out together, so they arrive in any order; vidA's second page
  // goes after its first came back.
  auto vid_a_first = std::find_if(requests.begin(), requests.begin() + 3,
                                  [](const auto& r) { return Param(r, "videoId") == "vidA"; });
  REQUIRE(vid_a_first != requests.begin() + 3);
  CHECK(Param(*vid_a_first, "part") == "snippet");
  CHECK(Param(*vid_a_first, "order") == "time");
  CHECK(Param(*vid_a_first, "maxResults") == "100");
  CHECK(Param(*vid_a_first, "textFormat") == "plainText");
  CHECK(Param(*vid_a_first, "key") == kKey);
  std::multiset<std::string> firsts;
  for (int i = 0; i < 3; ++i) {
    CHECK(Param(requests[i], "pageToken").empty());
    firsts.insert(Param(requests[i], "videoId"));
  }
  CHECK(firsts == std::multiset<std::string>{"off", "vidA", "vidB"});
  CHECK(Param(requests[3], "videoId") == "vidA");
  CHECK(Param(requests[3], "pageToken") == "p100");
  CHECK(yt.most_in_flight() == 3);

  auto quiet = source->Poll(first->next_cursor, stop);
  REQUIRE(quiet.ok());
  CHECK(quiet->mentions.empty());
  CHECK(quiet->next_cursor == first->next_cursor);
  // Each video's first page already reaches what was read.
  CHECK(host.request_count() == 4 + 3);

  yt.Add("vidB", 2);
  yt.Add("vidA", 1);
  auto second = source->Poll(quiet->next_cursor, stop);
  REQUIRE(second.ok());
  REQUIRE(second->mentions.size() == 3);
  CHECK(second->mentions[0].external_id == "UgvidAc173");
  CHECK(second->mentions[1].external_id == "UgvidBc172");
  CHECK(second->mentions[2].external_id == "UgvidBc171");
  CHECK(std::stoll(second->next_cursor.position) == second->mentions[0].created_at);
}

TEST_CASE("youtube: max_pages bounds a poll over all videos and the rest is caught up",
          "[youtube]") {
  LocalHttpServer host;
  FakeYouTube yt(host);
  yt.Add("vidA", 25);
  yt.Add("vidB", 25);
  host.Start();
  HttpClient http;
  auto source =
      MakeYouTube(http, host, {"vidA", "vidB"}, {{"max_results", "10"}, {"max_pages", "2"}});
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
  CHECK(sizes == std::vector<size_t>{20, 15, 15});
  CHECK(all.size() == 50);
  yt.Add("vidB", 1);
  auto next = source->Poll(cursor, stop);
  REQUIRE(next.ok());
  REQUIRE(next->mentions.size() == 1);
  CHECK(next->mentions[0].external_id == "UgvidBc51");
}

TEST_CASE("youtube: quota, rate limits, server errors and bad bodies", "[youtube]") {
  LocalHttpServer host;
  FakeYouTube yt(host);
  yt.Add("vidA", 3);
  host.server().Get("/limited/commentThreads", [](const httplib::Request&, httplib::Response& res) {
    res.status = 429;
    res.set_header("Retry-After", "30");
    res.set_content("{}", "application/json");
  });
  host.server().Get("/broken/commentThreads", [](const httplib::Request&, httplib::Response& res) {
    res.status = 500;
    res.set_content(
        R"({"error":{"code":500,"message":"Internal error encountered.","errors":[{"reason":"backendError"}]}})",
        "application/json");
  });
  host.server().Get("/cut/commentThreads", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"items":[{"id":"Ug1","sni)", "application/json");
  });
  host.server().Get(
      "/forbidden/commentThreads", [](const httplib::Request&, httplib::Response& res) {
        res.status = 403;
        res.set_content(ReadFile(DataPath("youtube/error_forbidden.json")), "application/json");
      });
  host.Start();
  HttpClient http;
  std::atomic<bool> stop{false};

  yt.SpendQuota();
  auto source = MakeYouTube(http, host, {"vidA"});
  auto spent = source->Poll({}, stop);
  REQUIRE_FALSE(spent.ok());
  CHECK(spent.status().code() == Status::Code::kUnavailable);
  CHECK_THAT(spent.status().message(),
             Catch::EndsWith(": quotaExceeded (403): The request cannot be completed because you "
                             "have exceeded your quota. (the quota resets at midnight Pacific "
                             "time)"));
  CHECK_THAT(spent.status().message(), !Catch::Contains(kKey));
  const size_t sent = host.request_count();
  auto held = source->Poll({}, stop);
  REQUIRE_FALSE(held.ok());
  CHECK_THAT(held.status().message(),
             Catch::StartsWith("youtube: daily quota used up, resets at midnight Pacific time: "
                               "next request in "));
  CHECK(host.request_count() == sent);

  auto with = [&](const std::string& path) {
    return MakeYouTube(http, host, {"vidA"}, {{"api_url", host.Url(path)}});
  };
  auto limited_source = with("/limited");
  auto limited = limited_source->Poll({}, stop);
  REQUIRE_FALSE(limited.ok());
  CHECK(limited.status().code() == Status::Code::kUnavailable);
  CHECK_THAT(limited.status().message(), Catch::Contains(", retry after 30 s"));
  CHECK_THAT(limited_source->Poll({}, stop).status().message(),
             Catch::Matches("youtube: rate limited: next request in (30|29) s"));

  auto broken = with("/broken")->Poll({}, stop);
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.status().code() == Status::Code::kHttpError);
  CHECK_THAT(broken.status().message(),
             Catch::EndsWith(": backendError (500): Internal error encountered."));

  auto forbidden = with("/forbidden")->Poll({}, stop);
  REQUIRE_FALSE(forbidden.ok());
  CHECK(forbidden.status().code() == Status::Code::kHttpError);
  CHECK_THAT(forbidden.status().message(), Catch::Contains("forbidden (403)"));

  auto cut = with("/cut")->Poll({}, stop);
  REQUIRE_FALSE(cut.ok());
  CHECK(cut.status().code() == Status::Code::kParseError);
  CHECK_THAT(cut.status().message(), Catch::Contains("key=REDACTED: invalid JSON at byte 26"));
  CHECK_THAT(cut.status().message(), !Catch::Contains(kKey));
}

TEST_CASE("youtube: settings", "[youtube]") {
  HttpClient http;
  auto make = [&](std::map<std::string, std::string> values, std::vector<std::string> videos) {
    SourceSpec spec;
    spec.name = "yt";
    for (const auto& [k, v] : values)
      spec.settings.Set(k, v);
    if (!videos.empty()) spec.settings.SetList("video_ids", videos);
    return YouTubeConnectorDescriptor().create(spec, http);
  };
  CHECK(make({{"api_key", "k"}}, {"dQw4w9WgXcQ"}).ok());
  CHECK(make({{"api_key", "k"}, {"channel_id", "UCvoltwave"}}, {}).ok());
  CHECK_FALSE(make({{"api_key", "k"}}, {}).ok());
  CHECK_FALSE(make({}, {"dQw4w9WgXcQ"}).ok());
  CHECK_FALSE(make({{"api_key", "k"}, {"max_results", "101"}}, {"v"}).ok());
  CHECK_FALSE(make({{"api_key", "k"}, {"max_pages", "0"}}, {"v"}).ok());
}

TEST_CASE("youtube: recorded YouTube API bodies parse", "[youtube][shared]") {
  const std::filesystem::path root = std::string(EARSHOT_SHARED_DIR) + "/fixtures/youtube";
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
    if (body.find("youtube#commentThread") == std::string::npos) continue;
    INFO(entry.path());
    auto page = ParseYouTubeCommentThreads(body, "recorded");
    REQUIRE(page.ok());
    for (const auto& m : page->mentions)
      CHECK(IsValidUtf8(m.text));
    ++files;
  }
  WARN("recorded YouTube commentThreads bodies: " << files << " files");
}
