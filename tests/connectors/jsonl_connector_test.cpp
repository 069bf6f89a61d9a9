// The jsonl source on real files: resume, rotation and bad lines.
#include "connectors/jsonl/jsonl_connector.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "connectors/http/http_client.h"
#include "core/utf8.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

class Follower {
 public:
  explicit Follower(const std::string& path, const std::string& max_line = "1048576") {
    SourceSpec spec;
    spec.name = "file";
    spec.kind = "jsonl";
    spec.settings.Set("path", path);
    spec.settings.Set("max_line_bytes", max_line);
    auto c = JsonlConnectorDescriptor().create(spec, http_);
    REQUIRE(c.ok());
    connector_ = std::move(c).value();
  }
  // Polls from the committed cursor and commits, as the daemon does.
  PollResult Poll() {
    auto r = connector_->Poll(cursor_, stop_);
    REQUIRE(r.ok());
    cursor_ = r->next_cursor;
    return std::move(r).value();
  }
  Result<PollResult> PollWithoutCommit() { return connector_->Poll(cursor_, stop_); }
  std::vector<std::string> Ids() {
    std::vector<std::string> ids;
    for (const auto& m : Poll().mentions)
      ids.push_back(m.external_id);
    return ids;
  }

 private:
  HttpClient http_;
  std::unique_ptr<Connector> connector_;
  SourceCursor cursor_;
  std::atomic<bool> stop_{false};
};

void Append(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::app | std::ios::binary);
  out << text;
}

std::string Line(const std::string& id) {
  return R"({"id":")" + id + R"(","text":"Voltwave message )" + id + "\"}\n";
}

using Ids = std::vector<std::string>;

}  // namespace

TEST_CASE("jsonl: reads new lines once and resumes from the cursor") {
  TempDir dir;
  const std::string path = dir.Write("m.jsonl", Line("1") + Line("2"));
  Follower f(path);
  CHECK(f.Ids() == Ids{"1", "2"});
  CHECK(f.Ids().empty());
  Append(path, Line("3"));
  CHECK(f.Ids() == Ids{"3"});
}

TEST_CASE("jsonl: polling again from an uncommitted cursor returns the same mentions") {
  TempDir dir;
  const std::string path = dir.Write("m.jsonl", Line("1"));
  Follower f(path);
  auto a = f.PollWithoutCommit();
  auto b = f.PollWithoutCommit();
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->mentions.size() == 1);
  CHECK(b->mentions.size() == 1);
  CHECK(a->next_cursor == b->next_cursor);
}

TEST_CASE("jsonl: a partial last line waits for its newline") {
  TempDir dir;
  const std::string path = dir.Write("m.jsonl", Line("1") + R"({"id":"2","text":"half)");
  Follower f(path);
  CHECK(f.Ids() == Ids{"1"});
  Append(path, " done\"}\n");
  auto more = f.Poll();
  REQUIRE(more.mentions.size() == 1);
  CHECK(more.mentions[0].text == "half done");
}

TEST_CASE("jsonl: bad lines are skipped with their position and never stop the file") {
  TempDir dir;
  const std::string path =
      dir.Write("m.jsonl", Line("1") + "{broken\n" + R"({"id":"x"})" + "\n\n" +
                               "{\"id\":\"u\",\"text\":\"caf\xE9\"}\n" + Line("2"));
  Follower f(path);
  auto r = f.Poll();
  REQUIRE(r.mentions.size() == 3);
  CHECK(r.mentions[1].external_id == "u");
  CHECK(IsValidUtf8(r.mentions[1].text));
  REQUIRE(r.warnings.size() == 2);
  CHECK_THAT(r.warnings[0], Catch::Contains("m.jsonl at byte"));
  CHECK_THAT(r.warnings[0], Catch::Contains("invalid JSON"));
  CHECK_THAT(r.warnings[1], Catch::Contains("text"));
}

TEST_CASE("jsonl: lines over the limit are skipped and the next line still read") {
  TempDir dir;
  const std::string path =
      dir.Write("m.jsonl", Line("1") + R"({"id":"big","text":")" + std::string(300'000, 'a') +
                               "\"}\n" + Line("2"));
  Follower f(path, "1000");
  auto r = f.Poll();
  CHECK(r.mentions.size() == 2);
  REQUIRE(r.warnings.size() == 1);
  CHECK_THAT(r.warnings[0], Catch::Contains("longer than 1000 bytes"));
}

TEST_CASE("jsonl: lines without an id get a stable one") {
  TempDir dir;
  const std::string path = dir.Write("m.jsonl", "{\"text\":\"no id here\"}\n");
  Follower a(path), b(path);
  auto first = a.Poll(), second = b.Poll();
  REQUIRE(first.mentions.size() == 1);
  CHECK(first.mentions[0].external_id == second.mentions[0].external_id);
}

TEST_CASE("jsonl: rotation by rename reads the old file to its end then the new one") {
  TempDir dir;
  const std::string path = dir.File("m.jsonl");
  Append(path, Line("1"));
  Follower f(path);
  CHECK(f.Ids() == Ids{"1"});
  Append(path, Line("2"));  // written just before the rotation, not yet read
  std::filesystem::rename(path, path + ".1");
  Append(path, Line("3"));
  Ids seen;
  for (int i = 0; i < 3; ++i) {
    for (auto& id : f.Ids())
      seen.push_back(id);
  }
  CHECK(seen == Ids{"2", "3"});
  Append(path, Line("4"));
  CHECK(f.Ids() == Ids{"4"});
}

TEST_CASE("jsonl: copytruncate rotation starts the file again from the top") {
  TempDir dir;
  const std::string path = dir.Write("m.jsonl", Line("1") + Line("2"));
  Follower f(path);
  CHECK(f.Ids().size() == 2);
  std::filesystem::resize_file(path, 0);
  Append(path, Line("3"));
  CHECK(f.Ids() == Ids{"3"});
}

TEST_CASE("jsonl: a missing file is an error that names it and a huge file comes in batches") {
  TempDir dir;
  const std::string path = dir.File("later.jsonl");
  Follower f(path);
  auto missing = f.PollWithoutCommit();
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.status().message(), Catch::Contains("later.jsonl"));

  std::string many;
  for (int i = 0; i < 25'000; ++i)
    many += Line(std::to_string(i));
  dir.Write("later.jsonl", many);
  size_t total = 0;
  int polls = 0;
  for (;; ++polls) {
    auto r = f.Poll();
    total += r.mentions.size();
    if (!r.has_more) break;
  }
  CHECK(total == 25'000);
  CHECK(polls == 2);
}
