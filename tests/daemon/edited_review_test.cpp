// A review edited on the platform, through the real `earshot` binary polling a local server that
// plays the Trustpilot API: the edit replaces the stored review, keeps the old version, and the
// rules flag and alert it once, not again on the next poll.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <mutex>

#include "core/time.h"
#include "store/sqlite_store.h"
#include "tests/support/local_http_server.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

// One business unit with one review, as its reviews endpoint answers.
class FakeTrustpilot {
 public:
  FakeTrustpilot() {
    host_.server().Get(R"(/v1/business-units/([^/]+)/reviews)", [this](const httplib::Request&,
                                                                       httplib::Response& res) {
      std::lock_guard lock(mu_);
      res.set_content(R"({"links":[],"reviews":[)" + review_ + "]}", "application/json");
    });
    host_.server().Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      alerts_.push_back(req.body);
      res.set_content("ok", "text/plain");
    });
    host_.Start();
  }
  void SetReview(int stars, const std::string& text, UnixMillis created, UnixMillis updated) {
    std::lock_guard lock(mu_);
    review_ = R"({"id":"6740a1b2c3d4e5f6a7b8c9d0","stars":)" + std::to_string(stars) +
              R"(,"title":"My scooter","text":")" + text +
              R"(","language":"en","consumer":{"id":"5a1b2c3d","displayName":"Marta K."},)" +
              R"("createdAt":")" + FormatRfc3339(created) + R"(","updatedAt":)" +
              (updated ? "\"" + FormatRfc3339(updated) + "\"" : std::string("null")) + "}";
  }
  std::vector<std::string> alerts() {
    std::lock_guard lock(mu_);
    return alerts_;
  }
  std::string Url(const std::string& path) const { return host_.Url(path); }

 private:
  LocalHttpServer host_;
  std::mutex mu_;
  std::string review_;
  std::vector<std::string> alerts_;
};

}  // namespace

TEST_CASE("a review edited to one star is flagged and alerted once", "[edits-e2e]") {
  TempDir dir;
  FakeTrustpilot tp;
  dir.Write("rules.yaml", R"(
- rule: low_rating
  condition: rating <= 2
  priority: high
  output: "low rating: {excerpt}"
  actions:
    - flag
    - alert: {channel: team}
)");
  const std::string config =
      dir.Write("earshot.yaml", "store:\n  path: " + dir.File("earshot.db") + R"(
server:
  enabled: false
rules: [rules.yaml]
channels:
  team:
    kind: webhook
    url: )" + tp.Url("/hook") + R"(
sources:
  - name: reviews
    kind: trustpilot
    business_unit_id: 5f0c1a2b3c4d5e6f7a8b9c0d
    api_key: tpKey0123456789
    api_url: )" + tp.Url("/v1") + R"(
    recheck: 7d
    interval: 1h
)");
  const UnixMillis created = NowMillis() - 3 * 3'600'000;
  tp.SetReview(5, "Voltwave delivered fast, lovely scooter", created, 0);
  auto first = RunProcess({EARSHOT_BINARY, "run", "--once", "--config", config});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(tp.alerts().empty());

  tp.SetReview(1, "Voltwave never answered, the battery died in a week", created,
               NowMillis() - 3'600'000);
  auto second = RunProcess({EARSHOT_BINARY, "run", "--once", "--config", config});
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  CHECK(second.err.find("edited=1") != std::string::npos);
  REQUIRE(tp.alerts().size() == 1);
  CHECK(tp.alerts()[0].find("Edited post: low rating: Voltwave never answered") !=
        std::string::npos);

  auto third = RunProcess({EARSHOT_BINARY, "run", "--once", "--config", config});
  INFO(third.err);
  REQUIRE(third.exit_code == 0);
  CHECK(third.err.find("edited=0") != std::string::npos);
  CHECK(tp.alerts().size() == 1);

  auto table = RunProcess({EARSHOT_BINARY, "mentions", "--db", dir.File("earshot.db")});
  CHECK(table.out.find("[edited] My scooter") != std::string::npos);

  auto store = std::move(OpenSqliteStore(dir.File("earshot.db"))).value();
  auto rows = store->ListMentions({});
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  auto stored = store->GetMention(rows->front().id);
  REQUIRE(stored.ok());
  REQUIRE(*stored);
  const StoredMention& m = **stored;
  CHECK(m.annotated.flagged);
  CHECK(m.annotated.mention.rating == 1);
  CHECK(m.annotated.mention.edited_at > created);
  REQUIRE(m.revisions.size() == 1);
  CHECK(m.revisions[0].rating == 5);
  CHECK(m.revisions[0].text == "Voltwave delivered fast, lovely scooter");
  CHECK_FALSE(m.revisions[0].flagged);
  CHECK(*store->CountMentions(true) == 1);
}
