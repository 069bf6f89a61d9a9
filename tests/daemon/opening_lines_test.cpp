#include "daemon/outreach/opening_lines.h"

#include <catch2/catch.hpp>

using namespace earshot;

TEST_CASE("openings follow the customer's language and first known topic") {
  CHECK(SuggestedOpening("en", {"billing"}, "Anna")
            .starts_with("Hello Anna, I'm calling about "
                         "the charge on your bill"));
  CHECK(SuggestedOpening("de", {"pricing", "delivery"}, "")
            .starts_with("Guten Tag, Ihre Lieferung ist noch nicht angekommen."));
  CHECK(SuggestedOpening("ru", {}, "Ольга").starts_with("Здравствуйте, Ольга! Звоню из службы"));
  CHECK(SuggestedOpening("pl", {"billing"}, "").starts_with("Dzień dobry, dzwonię w sprawie"));
  // A language without lines falls back to English; no placeholder is ever left behind.
  std::string fr = SuggestedOpening("fr", {"delivery"}, "Luc");
  CHECK(fr.starts_with("Hello Luc, I saw your order"));
  CHECK(fr.find("{name}") == std::string::npos);
}
