// Drives the real `earshot` binary on a temporary directory: a jsonl file and an RSS feed served
// over loopback, a real SQLite file, then the rows checked through the store.
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "store/sqlite_store.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

constexpr const char* kFeed = R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Voltwave forum</title><link>http://forum.example/</link>
<item><guid>f-1</guid><title>Voltwave billing</title><link>http://forum.example/1</link>
<description>Voltwave overcharged me, my lawyer will call you.</description>
<pubDate>Fri, 20 Nov 2026 10:00:00 GMT</pubDate></item>
<item><guid>f-2</guid><title>Voltwave coverage</title><link>http://forum.example/2</link>
<description>Voltwave coverage in the mountains is &lt;b&gt;great&lt;/b&gt;.</description></item>
<item><guid>f-3</guid><title>Unrelated</title><link>http://forum.example/3</link>
<description>Nothing about the brand here.</description></item>
</channel></rss>)";

constexpr const char* kSamples =
    R"({"id":"a","author":"@maria","text":"@voltwave I want a refund for the double charge"}
{"id":"b","author":"@kai","text":"Voltwave support was lovely today"}
{"id":"c","author":"@jobs","text":"Voltwave is hiring engineers"}
{"id":"d","author":"@olga","text":"Voltwave, верните деньги за месяц!"}
)";

// A feed server that answers 304 to a matching ETag, counting what it saw.
class FeedServer {
 public:
  FeedServer() {
    server_.Get("/feed.xml", [this](const httplib::Request& req, httplib::Response& res) {
      ++requests;
      if (req.get_header_value("If-None-Match") == "\"v1\"") {
        ++conditional_hits;
        res.status = 304;
        return;
      }
      res.set_header("ETag", "\"v1\"");
      res.set_content(kFeed, "application/rss+xml");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running())
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~FeedServer() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/feed.xml"; }
  std::atomic<int> requests{0};
  std::atomic<int> conditional_hits{0};

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

std::string Config(const TempDir& dir, const std::string& feed_url) {
  return "store:\n  path: " + dir.File("earshot.db") + R"(
server:
  enabled: false
labels:
  refund:
    patterns: ['\brefund', 'верните деньги']
  legal:
    patterns: ['\blawyer\b']
  praise:
    flag: false
    patterns: ['\blovely\b', '\bgreat\b']
sources:
  - name: samples
    kind: jsonl
    path: samples.jsonl
    interval: 1s
    keywords: { include: [voltwave], exclude: [hiring] }
  - name: forum
    kind: rss
    url: )" +
         feed_url + R"(
    interval: 1s
    keywords: { include: [voltwave] }
)";
}

std::vector<StoredMention> AllMentions(const std::string& db, bool flagged_only = false) {
  auto store = OpenSqliteStore(db);
  REQUIRE(store.ok());
  MentionQuery q;
  q.flagged_only = flagged_only;
  auto rows = (*store)->ListMentions(q);
  REQUIRE(rows.ok());
  return *rows;
}

const StoredMention* ById(const std::vector<StoredMention>& rows, const std::string& id) {
  for (const auto& r : rows) {
    if (r.annotated.mention.external_id == id) return &r;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("earshot run --once stores and labels and flags each mention once") {
  TempDir dir;
  FeedServer feed;
  dir.Write("samples.jsonl", kSamples);
  const std::string config = dir.Write("earshot.yaml", Config(dir, feed.url()));

  auto first = RunProcess({EARSHOT_BINARY, "run", "--once", "--config", config});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);

  auto rows = AllMentions(dir.File("earshot.db"));
  CHECK(rows.size() == 5);  // 3 of 4 samples (one is a job ad), 2 of 3 feed items name the brand
  CHECK(ById(rows, "c") == nullptr);
  CHECK(ById(rows, "f-3") == nullptr);

  const StoredMention* refund = ById(rows, "a");
  REQUIRE(refund);
  CHECK(refund->annotated.flagged);
  CHECK(refund->annotated.mention.author.handle == "@maria");
  const StoredMention* lawyer = ById(rows, "f-1");
  REQUIRE(lawyer);
  CHECK(lawyer->annotated.flagged);
  CHECK(lawyer->annotated.mention.url == "http://forum.example/1");
  const StoredMention* praise = ById(rows, "f-2");
  REQUIRE(praise);
  CHECK_FALSE(praise->annotated.flagged);
  CHECK(praise->annotated.mention.text.find("<b>") == std::string::npos);
  bool has_praise_label = false;
  for (const auto& l : praise->annotated.labels)
    has_praise_label |= l.name == "praise";
  CHECK(has_praise_label);
  CHECK(AllMentions(dir.File("earshot.db"), true).size() == 3);

  // A second run resumes from the cursors: the file is not re-read and the feed answers 304.
  dir.Write("samples.jsonl",
            std::string(kSamples) +
                R"({"id":"e","text":"Voltwave cancelled my order, refund please"})" + "\n");
  auto second = RunProcess({EARSHOT_BINARY, "run", "--once", "--config", config});
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  CHECK(feed.conditional_hits == 1);
  auto after = AllMentions(dir.File("earshot.db"));
  CHECK(after.size() == 6);
  CHECK(ById(after, "e"));
  CHECK(AllMentions(dir.File("earshot.db"), true).size() == 4);
}

TEST_CASE("earshot mentions lists what the daemon stored") {
  TempDir dir;
  FeedServer feed;
  dir.Write("samples.jsonl", kSamples);
  const std::string config = dir.Write("earshot.yaml", Config(dir, feed.url()));
  REQUIRE(RunProcess({EARSHOT_BINARY, "run", "--once", "--config", config}).exit_code == 0);

  auto json =
      RunProcess({EARSHOT_BINARY, "mentions", "--flagged", "--format", "json", "--config", config});
  REQUIRE(json.exit_code == 0);
  CHECK(std::count(json.out.begin(), json.out.end(), '\n') == 3);
  CHECK(json.out.find("\"flagged\":true") != std::string::npos);
  CHECK(json.out.find("Voltwave support was lovely") == std::string::npos);

  auto table = RunProcess({EARSHOT_BINARY, "mentions", "--db", dir.File("earshot.db")});
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("верните деньги") != std::string::npos);

  auto missing = RunProcess({EARSHOT_BINARY, "mentions", "--db", dir.File("nope.db")});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("no database") != std::string::npos);
}

TEST_CASE("A dead source is logged and recorded while the others still deliver") {
  TempDir dir;
  dir.Write("samples.jsonl", kSamples);
  // Port 9 on loopback: nothing listens, the connection is refused at once.
  const std::string config = dir.Write("earshot.yaml", Config(dir, "http://127.0.0.1:9/feed.xml"));
  auto run = RunProcess({EARSHOT_BINARY, "run", "--once", "--config", config});
  CHECK(run.exit_code == 1);
  CHECK(run.err.find("source=forum failed") != std::string::npos);
  CHECK(AllMentions(dir.File("earshot.db")).size() == 3);

  auto store = OpenSqliteStore(dir.File("earshot.db"));
  REQUIRE(store.ok());
  auto state = (*store)->LoadSourceState("forum");
  REQUIRE(state.ok());
  CHECK(state->consecutive_failures == 1);
  CHECK_FALSE(state->last_error.empty());
}

TEST_CASE("SIGTERM stops the daemon cleanly with exit code 0") {
  TempDir dir;
  FeedServer feed;
  dir.Write("samples.jsonl", kSamples);
  const std::string config = dir.Write("earshot.yaml", Config(dir, feed.url()));
  BackgroundProcess daemon({EARSHOT_BINARY, "run", "--config", config, "--log-format", "json"});
  REQUIRE(daemon.WaitForStderr("poll source=samples", 20'000));
  daemon.Signal(SIGTERM);
  CHECK(daemon.Wait(20'000) == 0);
  CHECK(daemon.Stderr().find("\"level\":\"info\"") != std::string::npos);
  CHECK(AllMentions(dir.File("earshot.db")).size() == 5);
}

TEST_CASE("check-config and parse report problems with where they are") {
  TempDir dir;
  const std::string bad = dir.Write(
      "bad.yaml", "sources:\n  - name: x\n    kind: rss\n    url: http://a/\n    intervall: 5m\n");
  auto check = RunProcess({EARSHOT_BINARY, "check-config", bad});
  CHECK(check.exit_code == 3);
  CHECK(check.err.find(bad + ":5:5:") != std::string::npos);

  const std::string good = dir.Write("good.xml", kFeed);
  const std::string broken = dir.Write("broken.xml", "<rss><channel><item><title>x</ti");
  auto parse = RunProcess({EARSHOT_BINARY, "parse", "--kind", "rss", good, broken, good});
  CHECK(parse.exit_code == 1);
  CHECK(std::count(parse.out.begin(), parse.out.end(), '\n') == 6);
  CHECK(parse.err.find("broken.xml") != std::string::npos);
  CHECK(parse.err.find("good.xml") == std::string::npos);

  auto usage = RunProcess({EARSHOT_BINARY, "parse", "--kind", "nonsense", good});
  CHECK(usage.exit_code == 2);
}
