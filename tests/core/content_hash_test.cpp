#include "core/content_hash.h"

#include <catch2/catch.hpp>

using namespace earshot;

TEST_CASE("Cross-posts hash alike and different complaints do not") {
  const std::string original = "My Voltwave internet is down again!";
  CHECK(ContentHash(original) == ContentHash("my voltwave internet is DOWN again"));
  CHECK(ContentHash(original) ==
        ContentHash("RT @maria: My Voltwave internet is down again! https://t.co/x"));
  CHECK(ContentHash(original) != ContentHash("My Voltwave internet is up again!"));
  CHECK(ContentHash("Интернет не работает") == ContentHash("ИНТЕРНЕТ НЕ РАБОТАЕТ"));
  CHECK(ContentHash("x").size() == 32);
}
