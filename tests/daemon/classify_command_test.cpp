// `earshot classify --in FILE --out PRED`, the evaluation interface, through the real binary:
// one prediction line per input line, in order, ids as given, the [peers] timing line on stderr,
// the same output on several threads, and a bad line named by file and line number.
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>
#include <sstream>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

using namespace earshot::testing;

namespace {

std::vector<rapidjson::Document> ReadPredictions(const std::string& path) {
  std::vector<rapidjson::Document> rows;
  std::istringstream lines(ReadFile(path));
  std::string line;
  while (std::getline(lines, line)) {
    rapidjson::Document doc;
    doc.Parse(line.c_str());
    REQUIRE_FALSE(doc.HasParseError());
    rows.push_back(std::move(doc));
  }
  return rows;
}

bool HasString(const rapidjson::Value& array, const char* value) {
  for (const auto& v : array.GetArray()) {
    if (v.IsString() && std::string(v.GetString()) == value) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("classify: a JSONL file gives one prediction per text, in order", "[classify]") {
  TempDir dir;
  const std::string in = dir.Write(
      "in.jsonl",
      R"({"id": 1, "text": "The app is down again and nobody answers. I'm cancelling my subscription.", "lang": "en"})"
      "\n\n"
      R"({"id": "b", "text": "Świetna obsługa w salonie, wszystko sprawnie, polecam!"})"
      "\n"
      R"x({"id": 3, "text": "Спасибо за быструю доставку, всё отлично)))", "lang": "ru", "rating": 5})x"
      "\n");
  auto result = RunProcess({EARSHOT_BINARY, "classify", "--in", in, "--out", dir.File("pred")});
  REQUIRE(result.exit_code == 0);
  // Exactly the one line the peers' harness reads.
  CHECK(std::regex_match(result.err, std::regex(R"(\[peers\] peer=earshot count=3 seconds=[0-9.]+ )"
                                                R"(texts_per_sec=[0-9.]+\n)")));

  auto rows = ReadPredictions(dir.File("pred"));
  REQUIRE(rows.size() == 3);
  CHECK(rows[0]["id"].GetInt() == 1);
  CHECK(std::string(rows[1]["id"].GetString()) == "b");
  CHECK(rows[2]["id"].GetInt() == 3);

  CHECK(std::string(rows[0]["label"].GetString()) == "negative");
  CHECK(rows[0]["score"].GetDouble() < 0);
  CHECK(rows[0]["complaint"].GetBool());
  CHECK(HasString(rows[0]["intents"], "churn_threat"));
  CHECK(std::string(rows[0]["urgency"].GetString()) == "high");
  CHECK(HasString(rows[0]["topics"], "app_website"));

  CHECK(std::string(rows[1]["lang"].GetString()) == "pl");  // detected: no "lang" given
  CHECK(std::string(rows[1]["label"].GetString()) == "positive");
  CHECK_FALSE(rows[1]["complaint"].GetBool());

  CHECK(std::string(rows[2]["lang"].GetString()) == "ru");
  CHECK(std::string(rows[2]["label"].GetString()) == "positive");
}

TEST_CASE("classify: files longer than a batch, on one thread or several, give the same lines",
          "[classify]") {
  TempDir dir;
  const char* texts[] = {
      "Thanks for the quick fix, the new app is really great!",
      "Third time this week the internet is down. If it's not fixed I'm cancelling.",
      "Przesyłka dotarła uszkodzona, obsługa nie odpowiada na reklamację.",
      "Seit Montag funktioniert das Internet nicht. Ich will mein Geld zurück!",
      "The meeting is on Tuesday at noon.",
  };
  std::string input;
  const int n = 9000;  // more than two batches
  for (int i = 0; i < n; ++i)
    input += R"({"id": )" + std::to_string(i) + R"(, "text": ")" + texts[i % 5] + "\"}\n";
  const std::string in = dir.Write("in.jsonl", input);

  auto one = RunProcess({EARSHOT_BINARY, "classify", "--in", in, "--out", dir.File("one")});
  auto two = RunProcess(
      {EARSHOT_BINARY, "classify", "--in", in, "--out", dir.File("two"), "--threads", "2"});
  REQUIRE(one.exit_code == 0);
  REQUIRE(two.exit_code == 0);
  CHECK(one.err.find("count=9000 ") != std::string::npos);
  CHECK(ReadFile(dir.File("one")) == ReadFile(dir.File("two")));

  auto rows = ReadPredictions(dir.File("one"));
  REQUIRE(rows.size() == static_cast<size_t>(n));
  for (int i = 0; i < n; i += 997) {
    CHECK(rows[static_cast<size_t>(i)]["id"].GetInt() == i);
    // Every copy of a text gets the label its first copy got.
    CHECK(std::string(rows[static_cast<size_t>(i)]["label"].GetString()) ==
          rows[static_cast<size_t>(i % 5)]["label"].GetString());
  }
  CHECK(std::string(rows[1]["label"].GetString()) == "negative");
  CHECK(std::string(rows[4]["label"].GetString()) == "neutral");
}

TEST_CASE("classify: a malformed line is named by file and line, and leaves no predictions",
          "[classify]") {
  TempDir dir;
  std::string input;
  for (int i = 0; i < 5000; ++i)  // the bad line comes after a whole batch was written
    input += R"({"id": )" + std::to_string(i) +
             R"(, "text": "fine"})"
             "\n";
  input += R"({"id": 5000, "text": 42})"
           "\n";
  const std::string in = dir.Write("in.jsonl", input);
  auto result = RunProcess({EARSHOT_BINARY, "classify", "--in", in, "--out", dir.File("pred")});
  CHECK(result.exit_code != 0);
  CHECK(result.err.find("in.jsonl:5001: expected") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.File("pred")));

  // Predictions sent to a device are not removed: through a link, so that were the device
  // removed it would be the link, not the machine's /dev/null.
  std::filesystem::create_symlink("/dev/null", dir.File("null"));
  result = RunProcess({EARSHOT_BINARY, "classify", "--in", in, "--out", dir.File("null")});
  CHECK(result.exit_code != 0);
  CHECK(std::filesystem::is_symlink(dir.File("null")));
}
