#include <catch2/catch.hpp>

#include "core/time.h"

using namespace earshot;

TEST_CASE("RFC 3339 round trip") {
  auto t = ParseRfc3339("2026-11-24T07:44:00Z");
  REQUIRE(t);
  CHECK(*t == 1795506240000);
  CHECK(FormatRfc3339(*t) == "2026-11-24T07:44:00Z");
  CHECK(FormatRfc3339(*t + 5) == "2026-11-24T07:44:00.005Z");
  CHECK(*ParseRfc3339("2026-11-24T09:44:00+02:00") == *t);
  CHECK_FALSE(ParseRfc3339("yesterday"));
}

TEST_CASE("RFC 822 dates as feeds send them") {
  auto t = ParseRfc822("Tue, 24 Nov 2026 07:44:00 GMT");
  REQUIRE(t);
  CHECK(FormatRfc3339(*t) == "2026-11-24T07:44:00Z");
  CHECK(ParseRfc822("24 Nov 2026 02:44:00 EST") == t);
  CHECK(ParseRfc822("Tue, 24 Nov 26 08:44:00 +0100") == t);
  CHECK_FALSE(ParseRfc822("Tue, 99 Foo 2026"));
}

TEST_CASE("ParseAnyDate takes Unix seconds and milliseconds") {
  CHECK(ParseAnyDate("1795506240") == 1795506240000);
  CHECK(ParseAnyDate("1795506240000") == 1795506240000);
  CHECK_FALSE(ParseAnyDate(""));
}

TEST_CASE("Durations") {
  CHECK(ParseDurationMillis("30s") == 30'000);
  CHECK(ParseDurationMillis("1h30m") == 5'400'000);
  CHECK(ParseDurationMillis("500ms") == 500);
  CHECK(ParseDurationMillis("2d") == 172'800'000);
  CHECK_FALSE(ParseDurationMillis("10"));
  CHECK_FALSE(ParseDurationMillis("ten minutes"));
  CHECK_FALSE(ParseDurationMillis(""));
}
