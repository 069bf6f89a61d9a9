// Push ingest (kind webhook, POST /ingest/<source>) over real HTTP on loopback: an in-process
// WebServer in front of a real Scheduler and SQLite store, built from a configuration and a
// rules file the way `earshot run` builds them; then the real binary for `parse --kind webhook`
// and for a SIGHUP that adds and removes webhook sources.
#include <httplib.h>
#include <rapidjson/document.h>
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "connectors/webhook/webhook_connector.h"
#include "daemon/config/config.h"
#include "daemon/daemon_setup.h"
#include "daemon/notify/webhook_signature.h"
#include "daemon/reload.h"
#include "daemon/scheduler.h"
#include "daemon/web/web_server.h"
#include "store/sqlite_store.h"
#include "tests/support/exposition.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

constexpr const char* kSecret = "webhook-secret-for-tests";
constexpr const char* kAdminToken = "admin-token-0123456789abcdef";
constexpr const char* kViewerToken = "viewer-token-0123456789abcdef";

constexpr const char* kRules = R"(
- rule: churn
  condition: intents contains churn_threat
  priority: high
  actions:
    - flag
    - {tag: churn}
    - alert: {channel: team, group_wait: 1h}
    - case: {queue: retention, sla: 2h}
- rule: regular
  condition: author.mention_count(24h) >= 3
  actions: [{tag: regular}]
)";

constexpr const char* kChurn =
    R"({"id":"p1","author":{"handle":"@anna","followers":120},"text":"Voltwave, I'm cancelling and switching to another provider.","url":"https://social.example/p1","created_at":"2024-05-01T10:00:00Z"})";

// Sources beside the two webhook ones: a jsonl source, which is not a push source.
std::string Sources(bool with_unsigned = true) {
  std::string s = R"(sources:
  - name: hook
    kind: webhook
    secret: )" + std::string(kSecret) +
                  R"(
    max_body_bytes: 4096
    keywords: {include: [voltwave]}
  - name: file
    kind: jsonl
    path: nowhere.jsonl
    interval: 1h
)";
  if (with_unsigned) {
    s += R"(  - name: open
    kind: webhook
    allow_unsigned: true
)";
  }
  return s;
}

std::string ConfigYaml(const TempDir& dir, const std::string& sources, bool tokens) {
  std::string yaml = "store:\n  path: " + dir.File("earshot.db") + "\nserver:\n  enabled: true\n";
  if (tokens) {
    yaml += "  tokens:\n    - {name: ops, role: admin, token: " + std::string(kAdminToken) +
            "}\n    - {name: eve, role: viewer, token: " + std::string(kViewerToken) + "}\n";
  }
  yaml += "rules: [" + dir.File("rules.yaml") + R"(]
channels:
  team: {kind: webhook, url: "http://127.0.0.1:9/never"}
)";
  return yaml + sources;
}

std::string Now() {
  return std::to_string(NowMillis() / 1000);
}

httplib::Headers Signed(const std::string& body, const std::string& timestamp = Now(),
                        const std::string& secret = kSecret) {
  return {{"X-Earshot-Timestamp", timestamp},
          {"X-Earshot-Signature", "sha256=" + HmacSha256Hex(secret, timestamp + "." + body)}};
}

rapidjson::Document Json(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.c_str());
  return doc;
}

class IngestFixture {
 public:
  explicit IngestFixture(bool tokens = false, const std::string& sources = Sources())
      : tokens_(tokens) {
    dir_.Write("rules.yaml", kRules);
    auto loaded = LoadConfigString(ConfigYaml(dir_, sources, tokens), dir_.File("earshot.yaml"));
    INFO((loaded.errors.empty() ? "" : loaded.errors[0].ToString()));
    REQUIRE(loaded.config);
    config_ = std::move(*loaded.config);
    auto store = OpenSqliteStore(config_.store.path);
    REQUIRE(store.ok());
    store_ = std::move(store).value();
    LiveSetResult live = BuildLiveSet(config_, http_, nullptr);
    INFO((live.errors.empty() ? "" : live.errors[0]));
    REQUIRE(live.set);
    scheduler_ = std::make_unique<Scheduler>(std::move(live.set->runners), *store_,
                                             live.set->pipeline, SchedulerOptions{});
    WebOptions options = WebOptionsFromConfig(config_);
    options.push_source = [this](const std::string& name) {
      return scheduler_->FindPushSource(name);
    };
    options.on_push = [this](const std::string&, const PollOutcome& o) { pushed_ += o.inserted; };
    web_ = std::make_unique<WebServer>(*store_, std::move(options));
    REQUIRE(web_->Start("127.0.0.1:0").ok());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", web_->port());
  }

  // Swaps in the sources of `sources`, as a SIGHUP would.
  ReloadSummary Reload(const std::string& sources) {
    auto loaded = LoadConfigString(ConfigYaml(dir_, sources, tokens_), dir_.File("earshot.yaml"));
    REQUIRE(loaded.config);
    LiveSetResult live = BuildLiveSet(*loaded.config, http_, nullptr);
    REQUIRE(live.set);
    return scheduler_->Reload(std::move(live.set->runners), live.set->pipeline, 5);
  }

  httplib::Result Push(const std::string& source, const std::string& body,
                       httplib::Headers headers) {
    return client_->Post(("/ingest/" + source).c_str(), headers, body, "application/json");
  }
  httplib::Result PushSigned(const std::string& body) { return Push("hook", body, Signed(body)); }

  Store& store() { return *store_; }
  Scheduler& scheduler() { return *scheduler_; }
  httplib::Client& client() { return *client_; }
  const TempDir& dir() const { return dir_; }
  int pushed() const { return pushed_; }

  int64_t Stored() { return *store_->CountMentions(false); }
  int64_t Outbox() { return *store_->OutboxDepth(); }
  size_t OpenCases() { return store_->ListCases(CaseQuery{})->size(); }
  bool SourceRecorded(const std::string& name) {
    auto sources = store_->ListSources();
    for (const auto& s : *sources)
      if (s.name == name) return true;
    return false;
  }
  std::optional<StoredMention> Find(const std::string& external_id) {
    auto mentions = store_->ListMentions(MentionQuery{});
    for (auto& m : *mentions)
      if (m.annotated.mention.external_id == external_id) return m;
    return std::nullopt;
  }

 private:
  bool tokens_;
  TempDir dir_;
  Config config_;
  HttpClient http_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Scheduler> scheduler_;
  std::atomic<int> pushed_{0};
  std::unique_ptr<WebServer> web_;
  std::unique_ptr<httplib::Client> client_;
};

bool HasLabel(const StoredMention& m, const std::string& kind, const std::string& name) {
  for (const auto& l : m.annotated.labels)
    if (l.kind == kind && l.name == name) return true;
  return false;
}

}  // namespace

TEST_CASE("webhook: a signed push is labelled, flagged, opens its case and queues its alert",
          "[webhook]") {
  IngestFixture f;
  auto r = f.PushSigned(kChurn);
  REQUIRE(r);
  INFO(r->body);
  REQUIRE(r->status == 200);
  auto answer = Json(r->body);
  CHECK(answer["inserted"].GetInt() == 1);
  CHECK(answer["duplicates"].GetInt() == 0);
  CHECK(answer["flagged"].GetInt() == 1);
  CHECK(answer["cases_opened"].GetInt() == 1);
  CHECK(answer["alerts_queued"].GetInt() == 1);

  auto stored = f.Find("p1");
  REQUIRE(stored);
  const Mention& m = stored->annotated.mention;
  CHECK(m.source == "hook");
  CHECK(m.platform == "webhook");
  CHECK(m.author.handle == "@anna");
  CHECK(m.author.followers == 120);
  CHECK(m.url == "https://social.example/p1");
  CHECK(stored->annotated.flagged);
  CHECK(HasLabel(*stored, "intent", "churn_threat"));
  CHECK(HasLabel(*stored, "tag", "churn"));
  CHECK(HasLabel(*stored, "language", "en"));
  CHECK(f.OpenCases() == 1);
  CHECK(f.Outbox() == 1);
  CHECK(f.SourceRecorded("hook"));
  CHECK(f.pushed() == 1);

  SECTION("a replay is answered 200 as a duplicate and changes nothing") {
    auto again = f.PushSigned(kChurn);
    REQUIRE(again);
    REQUIRE(again->status == 200);
    auto replay = Json(again->body);
    CHECK(replay["inserted"].GetInt() == 0);
    CHECK(replay["duplicates"].GetInt() == 1);
    CHECK(replay["cases_opened"].GetInt() == 0);
    CHECK(replay["alerts_queued"].GetInt() == 0);
    CHECK(f.Stored() == 1);
    CHECK(f.OpenCases() == 1);
    CHECK(f.Outbox() == 1);
  }

  SECTION("GitHub-style X-Hub-Signature-256 is accepted too") {
    const std::string body = R"({"id":"gh1","text":"Voltwave works fine"})";
    auto gh =
        f.Push("hook", body, {{"X-Hub-Signature-256", "sha256=" + HmacSha256Hex(kSecret, body)}});
    REQUIRE(gh);
    CHECK(gh->status == 200);
    CHECK(f.Find("gh1"));
  }

  SECTION("the source's keyword filter applies to pushes") {
    auto off = f.PushSigned(R"({"id":"off","text":"nothing about the brand"})");
    REQUIRE(off);
    REQUIRE(off->status == 200);
    CHECK(Json(off->body)["inserted"].GetInt() == 0);
    CHECK(Json(off->body)["filtered"].GetInt() == 1);
    CHECK_FALSE(f.Find("off"));
  }
}

TEST_CASE("webhook: an array body commits every mention, with the author's history", "[webhook]") {
  IngestFixture f;
  const std::string body = R"([
  {"id":"a1","author":"@ben","text":"Voltwave the bill came early"},
  {"id":"a2","author":"@ben","text":"Voltwave and the bill is wrong"},
  {"id":"a3","author":"@ben","text":"Voltwave still no answer about the bill"},
  {"text":"Voltwave without an id is identified by its content"}
])";
  auto r = f.PushSigned(body);
  REQUIRE(r);
  INFO(r->body);
  REQUIRE(r->status == 200);
  CHECK(Json(r->body)["inserted"].GetInt() == 4);
  CHECK(f.Stored() == 4);
  // The third of @ben's mentions sees the two before it in the same push.
  CHECK_FALSE(HasLabel(*f.Find("a2"), "tag", "regular"));
  CHECK(HasLabel(*f.Find("a3"), "tag", "regular"));
  // And a later push sees the stored ones.
  auto next = f.PushSigned(R"({"id":"a4","author":"@ben","text":"Voltwave hello again"})");
  REQUIRE(next);
  REQUIRE(next->status == 200);
  CHECK(HasLabel(*f.Find("a4"), "tag", "regular"));
  // Replaying the whole array, the id-less one included, inserts nothing.
  auto replay = f.PushSigned(body);
  REQUIRE(replay);
  CHECK(Json(replay->body)["inserted"].GetInt() == 0);
  CHECK(Json(replay->body)["duplicates"].GetInt() == 4);
  CHECK(f.Stored() == 5);
}

TEST_CASE("webhook: a pushed edit runs the rules again; a pushed deletion marks the mention",
          "[webhook]") {
  IngestFixture f;
  auto first = f.PushSigned(R"({"id":"e1","author":"@cleo","text":"Voltwave support was lovely"})");
  REQUIRE(first);
  REQUIRE(first->status == 200);
  CHECK(f.OpenCases() == 0);
  CHECK(f.Outbox() == 0);

  // Edited into a churn threat: flagged, its case opened and its alert queued, as if new.
  const std::string churn =
      R"({"id":"e1","author":"@cleo","edited_at":"2024-05-01T11:00:00Z",)"
      R"("text":"Voltwave, I'm cancelling and switching to another provider."})";
  auto edited = f.PushSigned(churn);
  REQUIRE(edited);
  INFO(edited->body);
  REQUIRE(edited->status == 200);
  CHECK(Json(edited->body)["inserted"].GetInt() == 0);
  CHECK(Json(edited->body)["edited"].GetInt() == 1);
  CHECK(Json(edited->body)["flagged"].GetInt() == 1);
  CHECK(Json(edited->body)["cases_opened"].GetInt() == 1);
  CHECK(Json(edited->body)["alerts_queued"].GetInt() == 1);
  CHECK(f.Find("e1")->annotated.flagged);
  CHECK(HasLabel(*f.Find("e1"), "tag", "churn"));

  // The same edit again changes nothing and queues nothing.
  auto again = f.PushSigned(churn);
  REQUIRE(again);
  CHECK(Json(again->body)["edited"].GetInt() == 0);
  CHECK(Json(again->body)["duplicates"].GetInt() == 1);
  CHECK(Json(again->body)["alerts_queued"].GetInt() == 0);
  CHECK(f.Outbox() == 1);
  CHECK(f.OpenCases() == 1);

  // A deletion has no text for the keyword filter: it only marks what is stored.
  auto gone = f.PushSigned(
      R"([{"id":"e1","text":"","deleted":true},{"id":"e2","text":"","deleted":true}])");
  REQUIRE(gone);
  INFO(gone->body);
  REQUIRE(gone->status == 200);
  CHECK(Json(gone->body)["deleted"].GetInt() == 1);
  CHECK(Json(gone->body)["inserted"].GetInt() == 0);
  CHECK(f.Stored() == 1);
  auto m = f.Find("e1");
  CHECK(m->deleted_at.has_value());
  CHECK(m->annotated.mention.text == "Voltwave, I'm cancelling and switching to another provider.");
  auto no_id = f.PushSigned(R"({"text":"","deleted":true})");
  REQUIRE(no_id);
  CHECK(no_id->status == 400);
}

TEST_CASE("webhook: rejected requests are answered with their reason and store nothing",
          "[webhook]") {
  IngestFixture f;
  auto status = [](const httplib::Result& r) { return r ? r->status : -1; };
  auto error = [](const httplib::Result& r) -> std::string {
    if (!r) return "";
    auto doc = Json(r->body);
    return doc.IsObject() && doc.HasMember("error") ? doc["error"].GetString() : "";
  };

  SECTION("a wrong signature is 401") {
    auto r = f.Push("hook", kChurn, Signed(kChurn, Now(), "another-secret"));
    CHECK(status(r) == 401);
    CHECK(error(r).find("does not match") != std::string::npos);
    // Signed for a different body.
    CHECK(status(f.Push("hook", kChurn, Signed(std::string(kChurn) + " "))) == 401);
    // A wrong GitHub-style signature.
    CHECK(status(f.Push("hook", kChurn, {{"X-Hub-Signature-256", "sha256=00"}})) == 401);
  }
  SECTION("a stale or future timestamp is 401 even when correctly signed") {
    const std::string stale = std::to_string(NowMillis() / 1000 - 6 * 60);
    auto r = f.Push("hook", kChurn, Signed(kChurn, stale));
    CHECK(status(r) == 401);
    CHECK(error(r).find("5 minutes") != std::string::npos);
    const std::string future = std::to_string(NowMillis() / 1000 + 6 * 60);
    CHECK(status(f.Push("hook", kChurn, Signed(kChurn, future))) == 401);
    // Without a timestamp, or a malformed one.
    httplib::Headers no_time = Signed(kChurn);
    no_time.erase("X-Earshot-Timestamp");
    CHECK(status(f.Push("hook", kChurn, no_time)) == 401);
    CHECK(status(f.Push("hook", kChurn, Signed(kChurn, "yesterday"))) == 401);
  }
  SECTION("no signature at all is 401") {
    auto r = f.Push("hook", kChurn, {});
    CHECK(status(r) == 401);
    CHECK(error(r).find("missing signature") != std::string::npos);
  }
  SECTION("a body over max_body_bytes is 413, by Content-Length or as it streams") {
    const std::string big = R"({"id":"big","text":"Voltwave )" + std::string(5000, 'x') + "\"}";
    auto r = f.PushSigned(big);
    CHECK(status(r) == 413);
    CHECK(error(r).find("max_body_bytes (4096)") != std::string::npos);
    // Chunked, so no Content-Length tells the size up front.
    auto chunked = f.client().Post(
        "/ingest/hook", Signed(big),
        [&big](size_t offset, httplib::DataSink& sink) {
          if (offset < big.size()) {
            sink.write(big.data() + offset, std::min<size_t>(1024, big.size() - offset));
          } else {
            sink.done();
          }
          return true;
        },
        "application/json");
    CHECK(status(chunked) == 413);
    // The server goes on answering.
    CHECK(status(f.client().Get("/healthz")) == 200);
  }
  SECTION("malformed JSON is 400 with its line and column") {
    const std::string body = "{\n  \"text\": \"Voltwave\",\n  oops\n}";
    auto r = f.PushSigned(body);
    REQUIRE(status(r) == 400);
    auto doc = Json(r->body);
    CHECK(std::string(doc["error"].GetString()).find("invalid JSON at line 3, column 3") !=
          std::string::npos);
    CHECK(doc["line"].GetInt() == 3);
    CHECK(doc["column"].GetInt() == 3);
    CHECK(status(f.PushSigned("")) == 400);
    CHECK(status(f.PushSigned("\"just a string\"")) == 400);
    CHECK(status(f.PushSigned(R"({"text":"Voltwave"} trailing)")) == 400);
  }
  SECTION("invalid UTF-8 is 400 with its place") {
    const std::string body = "{\"text\":\"Voltwave caf\xC3\x28\"}";
    auto r = f.PushSigned(body);
    REQUIRE(status(r) == 400);
    CHECK(error(r) == "invalid UTF-8 at line 1, column 22 (byte 21)");
    // An encoded surrogate is not UTF-8 either.
    CHECK(status(f.PushSigned("{\"text\":\"Voltwave \xED\xA0\x80\"}")) == 400);
  }
  SECTION("a mention without text is 400 naming the item and the field, and none is stored") {
    const std::string body = "[\n {\"id\":\"ok\",\"text\":\"Voltwave fine\"},\n {\"id\":\"2\"}\n]";
    auto r = f.PushSigned(body);
    REQUIRE(status(r) == 400);
    auto doc = Json(r->body);
    CHECK(std::string(doc["error"].GetString()) ==
          "item 1 at line 3, column 2: missing string field \"text\"");
    CHECK(doc["item"].GetInt() == 1);
    CHECK(doc["field"].GetString() == std::string("text"));
    auto single = f.PushSigned(R"({"id":"x","text":42})");
    REQUIRE(status(single) == 400);
    CHECK(error(single) == "line 1, column 1: field \"text\" must be a string");
    CHECK(status(f.PushSigned(R"({"id":"x","text":"   "})")) == 400);
    CHECK(status(f.PushSigned(R"({"id":{"no":1},"text":"Voltwave"})")) == 400);
  }
  SECTION("more than 1000 mentions is 413") {
    // Within the byte limit of a source that allows more bytes.
    IngestFixture wide(false, R"(sources:
  - {name: hook, kind: webhook, secret: )" +
                                  std::string(kSecret) +
                                  R"(, max_body_bytes: 1048576}
)");
    std::string body = "[";
    for (int i = 0; i < 1001; ++i)
      body += std::string(i ? "," : "") + R"({"text":"Voltwave )" + std::to_string(i) + "\"}";
    body += "]";
    auto r = wide.PushSigned(body);
    CHECK(status(r) == 413);
    CHECK(error(r).find("at most 1000") != std::string::npos);
    CHECK(wide.Stored() == 0);
  }
  SECTION("an unknown source, or one that is not a webhook, is 404") {
    auto r = f.Push("nosuch", kChurn, Signed(kChurn));
    CHECK(status(r) == 404);
    CHECK(error(r) == "no webhook source named 'nosuch'");
    CHECK(status(f.Push("file", kChurn, Signed(kChurn))) == 404);
    CHECK(status(f.client().Get("/ingest/hook")) != 200);
  }

  CHECK(f.Stored() == 0);
  CHECK(f.Outbox() == 0);
  CHECK(f.OpenCases() == 0);
  CHECK_FALSE(f.SourceRecorded("hook"));
  CHECK(f.pushed() == 0);
}

TEST_CASE("webhook: allow_unsigned takes an admin's bearer token, as JSON", "[webhook]") {
  IngestFixture f(/*tokens=*/true);
  const std::string body = R"({"id":"u1","text":"Voltwave unsigned"})";
  auto push = [&](httplib::Headers headers, const char* type = "application/json") {
    auto r = f.client().Post("/ingest/open", headers, body, type);
    return r ? r->status : -1;
  };
  CHECK(push({}) == 401);
  CHECK(push({{"Authorization", "Bearer not-a-token-at-all-really"}}) == 401);
  CHECK(push({{"Authorization", std::string("Bearer ") + kViewerToken}}) == 403);
  CHECK(push({{"Authorization", std::string("Bearer ") + kAdminToken}}, "text/plain") == 415);
  CHECK(f.Stored() == 0);
  CHECK(push({{"Authorization", std::string("Bearer ") + kAdminToken}}) == 200);
  CHECK(f.Find("u1"));
  // The signed source needs no token: the signature is its authentication.
  auto r = f.PushSigned(kChurn);
  REQUIRE(r);
  CHECK(r->status == 200);
}

TEST_CASE("webhook: sources are never polled, and reloads add and remove them", "[webhook]") {
  IngestFixture f(false, Sources(/*with_unsigned=*/false));
  // Only the jsonl source is polled (and fails: its file does not exist).
  CHECK(f.scheduler().RunOnce() == 1);
  CHECK_FALSE(f.SourceRecorded("hook"));
  f.scheduler().Start();
  CHECK(f.scheduler().FindPushSource("hook"));
  CHECK_FALSE(f.scheduler().FindPushSource("file"));

  const std::string body = R"({"id":"r1","text":"Voltwave one"})";
  auto added = f.Reload(Sources(false) + R"(  - {name: extra, kind: webhook, secret: other-secret}
)");
  CHECK(added.added == 1);
  CHECK(added.kept == 2);
  auto r = f.Push("extra", body, Signed(body, Now(), "other-secret"));
  REQUIRE(r);
  CHECK(r->status == 200);

  // A changed secret applies to the next request.
  f.Reload(Sources(false) + R"(  - {name: extra, kind: webhook, secret: newer-secret}
)");
  CHECK(f.Push("extra", body, Signed(body, Now(), "other-secret"))->status == 401);
  CHECK(f.Push("extra", body, Signed(body, Now(), "newer-secret"))->status == 200);

  auto removed = f.Reload(Sources(false));
  CHECK(removed.removed == 1);
  CHECK(f.Push("extra", body, Signed(body, Now(), "newer-secret"))->status == 404);
  CHECK(f.PushSigned(body)->status == 200);
  f.scheduler().Stop();
  f.scheduler().Wait();
  // Stopping: nothing more is taken.
  CHECK(f.PushSigned(R"({"id":"late","text":"Voltwave late"})")->status == 404);
  CHECK_FALSE(f.Find("late"));
}

TEST_CASE("webhook: a source needs a secret unless it allows unsigned pushes", "[webhook]") {
  TempDir dir;
  dir.Write("rules.yaml", kRules);
  auto loaded = LoadConfigString(
      ConfigYaml(dir, "sources:\n  - {name: hook, kind: webhook}\n", false), dir.File("e.yaml"));
  REQUIRE_FALSE(loaded.config);
  REQUIRE(loaded.errors.size() == 1);
  const std::string error = loaded.errors[0].ToString();
  CHECK(error.find("e.yaml:9:") != std::string::npos);
  CHECK(error.find("needs a secret (or secret_file), or allow_unsigned: true") !=
        std::string::npos);

  dir.Write("secret.txt", "from-a-file\n");
  loaded = LoadConfigString(ConfigYaml(dir,
                                       "sources:\n  - {name: hook, kind: webhook, secret_file: " +
                                           dir.File("secret.txt") + "}\n",
                                       false),
                            dir.File("e.yaml"));
  REQUIRE(loaded.config);
  CHECK(loaded.config->sources[0].spec.settings.Get("secret") == "from-a-file");
  CHECK(loaded.config->sources[0].spec.settings.Get("max_body_bytes") == "1048576");
  HttpClient http;
  CHECK(BuildLiveSet(*loaded.config, http, nullptr).set);

  loaded =
      LoadConfigString(ConfigYaml(dir,
                                  "sources:\n  - {name: hook, kind: webhook, allow_unsigned: true, "
                                  "max_body_bytes: 100000000}\n",
                                  false),
                       dir.File("e.yaml"));
  REQUIRE_FALSE(loaded.config);
  CHECK(loaded.errors[0].ToString().find("max_body_bytes must be from 1 to") != std::string::npos);
}

TEST_CASE("webhook: earshot parse reads a saved push body", "[webhook]") {
  TempDir dir;
  const std::string good =
      dir.Write("push.json", R"([{"id":"1","text":"first"},{"id":"2","text":"second"}])");
  const std::string bad = dir.Write("bad.json", "{\"id\":\"1\"}");
  auto run = RunProcess({EARSHOT_BINARY, "parse", "--kind", "webhook", good, bad});
  INFO(run.out << run.err);
  CHECK(run.exit_code == 1);
  CHECK(run.out.find(R"("id":"1")") != std::string::npos);
  CHECK(run.out.find(R"("text":"second")") != std::string::npos);
  CHECK((run.out + run.err).find("missing string field \"text\"") != std::string::npos);
}

TEST_CASE("webhook: earshot run takes pushes and picks up webhook sources on SIGHUP",
          "[webhook][webhook-e2e]") {
  TempDir dir;
  dir.Write("rules.yaml", kRules);
  auto config_with = [&](bool extra) {
    std::string sources =
        "sources:\n  - {name: hook, kind: webhook, secret: " + std::string(kSecret) + "}\n";
    if (extra) sources += "  - {name: extra, kind: webhook, secret: extra-secret}\n";
    std::string yaml = ConfigYaml(dir, sources, false);
    yaml.replace(yaml.find("  enabled: true"), 15, "  enabled: true\n  listen: 127.0.0.1:0");
    return dir.Write("earshot.yaml", yaml);
  };
  const std::string config = config_with(false);
  BackgroundProcess daemon({EARSHOT_BINARY, "run", "--config", config});
  const std::string needle = "web page at http://127.0.0.1:";
  REQUIRE(daemon.WaitForStderr(needle, 30'000));
  const std::string err = daemon.Stderr();
  const int port = std::atoi(err.c_str() + err.find(needle) + needle.size());
  REQUIRE(port > 0);
  httplib::Client client("127.0.0.1", port);
  auto r = client.Post("/ingest/hook", Signed(kChurn), kChurn, "application/json");
  REQUIRE(r);
  INFO(r->body);
  CHECK(r->status == 200);
  CHECK(Json(r->body)["cases_opened"].GetInt() == 1);
  const std::string body = R"({"id":"e1","text":"Voltwave extra"})";
  CHECK(client.Post("/ingest/extra", Signed(body, Now(), "extra-secret"), body, "application/json")
            ->status == 404);

  config_with(true);
  daemon.Signal(SIGHUP);
  REQUIRE(daemon.WaitForStderr("reload done", 30'000));
  CHECK(client.Post("/ingest/extra", Signed(body, Now(), "extra-secret"), body, "application/json")
            ->status == 200);
  auto metrics = client.Get("/metrics");
  REQUIRE(metrics);
  Exposition e = ParseExposition(metrics->body);
  CHECK(e.Value("earshot_source_mentions_total", {{"source", "extra"}}) == 1);
  CHECK(e.Value("earshot_source_mentions_total", {{"source", "hook"}}) == 1);
  daemon.Signal(SIGTERM);
  CHECK(daemon.Wait(30'000) == 0);
  auto store = OpenSqliteStore(dir.File("earshot.db"));
  REQUIRE(store.ok());
  CHECK(*(*store)->CountMentions(false) == 2);
}
