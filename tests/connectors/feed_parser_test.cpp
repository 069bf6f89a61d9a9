// Feed parsing over fixtures written in the real formats (tests/data/feeds).
#include "connectors/feed/feed_parser.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "core/time.h"
#include "core/utf8.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

ParsedFeed Parse(const std::string& fixture, const std::string& content_type = "") {
  auto feed = ParseFeed(ReadFile(DataPath("feeds/" + fixture)), "src", content_type);
  INFO(fixture << ": " << feed.status().ToString());
  REQUIRE(feed.ok());
  return std::move(feed).value();
}

Status ParseError(const std::string& fixture) {
  auto feed = ParseFeed(ReadFile(DataPath("feeds/" + fixture)), "src");
  REQUIRE_FALSE(feed.ok());
  return feed.status();
}

}  // namespace

TEST_CASE("RSS 2.0 with content:encoded and dc:creator") {
  ParsedFeed feed = Parse("rss2.xml");
  CHECK(feed.format == "rss2.0");
  CHECK(feed.title == "Voltwave Community");
  REQUIRE(feed.items.size() == 2);
  const Mention& first = feed.items[0];
  CHECK(first.external_id == "vw-101");
  CHECK(first.platform == "rss");
  CHECK(first.source == "src");
  CHECK(first.title == "Billing & refunds");
  CHECK(first.text == "My bill doubled.\n\nI want a refund.");
  CHECK(first.author.name == "maria_k");
  CHECK(first.url == "https://community.voltwave.example/t/101");
  CHECK(FormatRfc3339(first.created_at) == "2026-11-20T08:12:00Z");
  CHECK(first.engagement.replies == 7);
  CHECK(first.lang == "en");
  CHECK(feed.items[1].text == "Does roaming work in Canada?");
  CHECK(feed.items[1].external_id == "https://community.voltwave.example/t/102");
}

TEST_CASE("RSS 0.91 in ISO-8859-1 with a DTD and RSS 1.0 RDF") {
  ParsedFeed old = Parse("rss091.xml");
  CHECK(old.format == "rss0.91");
  REQUIRE(old.items.size() == 1);
  CHECK(old.items[0].title == "Lieferung verspätet");
  CHECK(old.items[0].external_id == "http://old.example/news/1");
  CHECK(old.items[0].lang == "de");

  ParsedFeed rdf = Parse("rss10.rdf");
  CHECK(rdf.format == "rss1.0");
  REQUIRE(rdf.items.size() == 1);
  CHECK(rdf.items[0].title == "Outage in Berlin");
  CHECK(rdf.items[0].author.name == "ops");
  CHECK(FormatRfc3339(rdf.items[0].created_at) == "2026-11-20T11:00:00Z");
}

TEST_CASE("Atom 1.0 with xhtml content and relative links and Atom 0.3") {
  ParsedFeed atom = Parse("atom10.xml");
  CHECK(atom.format == "atom1.0");
  REQUIRE(atom.items.size() == 2);
  const Mention& post = atom.items[0];
  CHECK(post.title == "Broken again");
  CHECK(post.text == "The app crashes on login.\n\nSecond paragraph.");
  CHECK(post.url == "https://blog.example/posts/7");
  CHECK(post.external_id == "tag:blog.example,2026:7");
  CHECK(post.author.name == "Jonas");
  CHECK(FormatRfc3339(post.created_at) == "2026-11-20T07:00:00Z");
  CHECK(post.lang == "en");
  CHECK(atom.items[1].text == "Nur eine Zusammenfassung");
  CHECK(atom.items[1].lang == "de");

  ParsedFeed legacy = Parse("atom03.xml");
  CHECK(legacy.format == "atom0.3");
  REQUIRE(legacy.items.size() == 1);
  CHECK(legacy.items[0].text == "Service was great");
  CHECK(FormatRfc3339(legacy.items[0].created_at) == "2026-11-19T10:00:00Z");
}

TEST_CASE("JSON Feed 1.1") {
  ParsedFeed feed = Parse("feed.json");
  CHECK(feed.format == "jsonfeed1.1");
  REQUIRE(feed.items.size() == 2);
  CHECK(feed.items[0].text == "Internet nie działa w Krakowie.");
  CHECK(feed.items[0].author.name == "status bot");
  CHECK(feed.items[0].lang == "pl");
  CHECK(feed.items[1].external_id == "2");
  CHECK(feed.items[1].text == "Naprawione.");
}

TEST_CASE("Legacy code pages and UTF-16 come out as UTF-8") {
  ParsedFeed ru = Parse("cp1251.xml");
  REQUIRE(ru.items.size() == 1);
  CHECK(ru.items[0].title == "Не работает интернет");
  CHECK(ru.items[0].text == "Верните деньги за месяц!");

  ParsedFeed pl = Parse("iso8859-2.xml");
  REQUIRE(pl.items.size() == 1);
  CHECK(pl.items[0].title == "Żądam zwrotu");
  CHECK(pl.items[0].text == "Przesyłka dotarła uszkodzona, źle zapakowana.");

  ParsedFeed de = Parse("utf16.xml");
  REQUIRE(de.items.size() == 1);
  CHECK(de.items[0].title == "Größte Enttäuschung");
}

TEST_CASE("HTML entities and bare ampersands that real feeds send are read") {
  ParsedFeed feed = Parse("html-entities.xml");
  REQUIRE(feed.items.size() == 1);
  CHECK(feed.title == "Café reviews");
  CHECK(feed.items[0].title == "Crème brûlée — awful");
  CHECK(feed.items[0].url == "http://cafe.example/review?id=1&lang=en");
  CHECK(feed.items[0].text == "Cold… © 2026");
}

TEST_CASE("Items without guid use the link and items without either a stable hash") {
  ParsedFeed a = Parse("identity.xml");
  ParsedFeed b = Parse("identity.xml");
  REQUIRE(a.items.size() == 2);
  CHECK(a.items[0].external_id == "http://noid.example/post/1");
  CHECK(a.items[1].external_id.rfind("hash:", 0) == 0);
  CHECK(a.items[1].external_id == b.items[1].external_id);
}

TEST_CASE("Invalid UTF-8 bytes in a UTF-8 feed are replaced") {
  ParsedFeed feed = Parse("invalid-utf8.xml");
  REQUIRE(feed.items.size() == 1);
  CHECK(IsValidUtf8(feed.items[0].title));
  CHECK(feed.items[0].title.find("broken") != std::string::npos);
}

TEST_CASE("Broken documents are clear errors") {
  CHECK_THAT(ParseError("truncated.xml").message(), Catch::Contains("malformed feed at line"));
  CHECK_THAT(ParseError("page.html").message(), Catch::Contains("not a feed"));
  CHECK_THAT(ParseError("empty.xml").message(), Catch::Contains("empty"));
  CHECK_FALSE(ParseFeed("{\"not\": \"a feed\"}", "src").ok());
  CHECK_FALSE(ParseFeed("{broken json", "src").ok());
  CHECK_FALSE(ParseFeed("just some text", "src").ok());
}

TEST_CASE("Entity expansion and external entities are refused") {
  CHECK_THAT(ParseError("billion-laughs.xml").message(), Catch::Contains("entit"));
  Status xxe = ParseError("xxe.xml");
  CHECK_THAT(xxe.message(), !Catch::Contains("root:"));
}

TEST_CASE("A large feed parses") {
  std::string body = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>big</title>";
  for (int i = 0; i < 20000; ++i) {
    body += "<item><guid>g" + std::to_string(i) + "</guid><title>Item " + std::to_string(i) +
            "</title><description>&lt;p&gt;Voltwave is down again, item " + std::to_string(i) +
            "&lt;/p&gt;</description></item>";
  }
  body += "</channel></rss>";
  auto feed = ParseFeed(body, "src");
  REQUIRE(feed.ok());
  CHECK(feed->items.size() == 20000);
  CHECK(feed->items.back().text == "Voltwave is down again, item 19999");
}

TEST_CASE("The shared feedparser corpus parses without crashing", "[shared]") {
  const std::filesystem::path corpus = std::string(EARSHOT_SHARED_DIR) + "/fixtures/rss/feedparser";
  if (!std::filesystem::exists(corpus)) {
    WARN("skipped: " << corpus << " is absent");
    return;
  }
  int parsed = 0, failed = 0, items = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(corpus)) {
    if (!entry.is_regular_file() || entry.path().extension() == ".md" ||
        entry.path().extension() == ".json") {
      continue;
    }
    auto feed = ParseFeed(ReadFile(entry.path().string()), "corpus");
    if (feed.ok()) {
      ++parsed;
      items += static_cast<int>(feed->items.size());
      for (const auto& m : feed->items)
        CHECK(IsValidUtf8(m.text));
    } else {
      ++failed;
    }
  }
  WARN("feedparser corpus: " << parsed << " parsed (" << items << " items), " << failed
                             << " refused");
  CHECK(parsed > 0);
}
