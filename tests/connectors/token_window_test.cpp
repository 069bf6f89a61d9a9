// Token windows: the cursor of newest-first sources paged by tokens or page numbers.
#include "connectors/token_window.h"

#include <catch2/catch.hpp>

#include "connectors/http_source.h"

using namespace earshot;

TEST_CASE("token window: plain and resumed positions round-trip", "[token_window]") {
  CHECK(FormatTokenWindow({5, 5, false, 0, ""}) == "5");
  CHECK(ParseTokenWindow("1732431600000") ==
        TokenWindow{1732431600000, 1732431600000, false, 0, ""});
  const TokenWindow resumed{100, 250, true, 2, "QURT:x/y=="};
  CHECK(FormatTokenWindow(resumed) == "100:250:2:QURT:x/y==");
  CHECK(ParseTokenWindow("100:250:2:QURT:x/y==") == resumed);
  CHECK(ParseTokenWindow("100:250:0:") == TokenWindow{100, 250, true, 0, ""});
  for (const char* bad : {"", "x", "-1", "1:2", "1:2:3", "5:4:0:t", "a:2:0:t", "1:2:-1:t"}) {
    INFO(bad);
    CHECK_FALSE(ParseTokenWindow(bad).has_value());
  }
}

TEST_CASE("request hold: the longest hold wins and says why", "[token_window]") {
  RequestHold hold;
  CHECK(hold.Check("x").ok());
  hold.For(30, "rate limited", 1'000'000);
  hold.For(10, "shorter", 1'000'000);
  CHECK(hold.Remaining(1'000'000) == 30);
  CHECK(hold.Remaining(1'029'500) == 1);
  CHECK_FALSE(hold.Remaining(1'030'000).has_value());
  CHECK(hold.Check("x", 1'000'000).message() == "x: rate limited: next request in 30 s");
  CHECK(hold.Check("x", 1'000'000).code() == Status::Code::kUnavailable);
}
