#include "connectors/keyword_filter.h"

#include <catch2/catch.hpp>

using namespace earshot;

namespace {

bool Accepts(const KeywordFilter& f, const std::string& text, const std::string& title = "") {
  Mention m;
  m.text = text;
  m.title = title;
  return f.Accepts(m);
}

KeywordFilter Make(std::vector<std::string> include, std::vector<std::string> exclude = {}) {
  auto f = KeywordFilter::Create(std::move(include), std::move(exclude));
  REQUIRE(f.ok());
  return std::move(f).value();
}

}  // namespace

TEST_CASE("keywords: brand names match in any case and as handles and hashtags") {
  auto f = Make({"voltwave"});
  CHECK(Accepts(f, "I love VOLTWAVE"));
  CHECK(Accepts(f, "@voltwave help"));
  CHECK(Accepts(f, "#Voltwave rocks"));
  CHECK(Accepts(f, "", "Voltwave in the title"));
  CHECK_FALSE(Accepts(f, "volt wave is two words"));
  CHECK_FALSE(Accepts(f, "nothing here"));
}

TEST_CASE("keywords: inflected forms of longer names match and short names stay exact") {
  auto f = Make({"voltwave", "вольтвейв", "żabka"});
  CHECK(Accepts(f, "Voltwave's support"));
  CHECK(Accepts(f, "problem z Voltwave'u"));
  CHECK(Accepts(f, "жалоба на Вольтвейва"));
  CHECK(Accepts(f, "w ŻABCE? no, w Żabki"));
  CHECK_FALSE(Accepts(f, "voltwaveishness is a made-up word"));
  auto short_name = Make({"o2"});
  CHECK(Accepts(short_name, "O2 is down"));
  CHECK_FALSE(Accepts(short_name, "o2s"));
}

TEST_CASE("keywords: handles demand the handle and wildcards take any ending") {
  auto handle = Make({"@voltwave"});
  CHECK(Accepts(handle, "hey @VoltWave"));
  CHECK_FALSE(Accepts(handle, "voltwave without the at"));
  auto wildcard = Make({"refund*"});
  CHECK(Accepts(wildcard, "still not refunded"));
  CHECK_FALSE(Accepts(wildcard, "a re-fund"));
}

TEST_CASE("keywords: phrases match words in a row and exclusions win") {
  auto f = Make({"voltwave"}, {"promo code*", "hiring"});
  CHECK(Accepts(f, "Voltwave billing is broken"));
  CHECK_FALSE(Accepts(f, "Voltwave promo codes here"));
  CHECK_FALSE(Accepts(f, "Voltwave is HIRING"));
  CHECK(Accepts(f, "Voltwave promo for the code word"));  // not in a row
  auto everything = Make({}, {"spam"});
  CHECK(Accepts(everything, "anything at all"));
  CHECK_FALSE(Accepts(everything, "SPAM"));
}

TEST_CASE("keywords: a term without letters is refused") {
  CHECK_FALSE(KeywordFilter::Create({"***"}, {}).ok());
}
