#include "core/status.h"

#include <catch2/catch.hpp>

#include "core/settings.h"

using namespace earshot;

TEST_CASE("Status and Result carry errors with context") {
  Status s = Status::IoError("disk full").WithContext("store");
  CHECK_FALSE(s.ok());
  CHECK(s.ToString() == "I/O error: store: disk full");
  Result<int> r = Status::NotFound("x");
  CHECK_FALSE(r.ok());
  Result<int> v = 3;
  REQUIRE(v.ok());
  CHECK(*v == 3);
  Result<int> from_ok = Status::Ok();
  CHECK_FALSE(from_ok.ok());
}

TEST_CASE("Settings read typed values with fallbacks") {
  Settings s;
  s.Set("n", "12");
  s.Set("bad", "12x");
  s.Set("flag", "yes");
  s.Set("every", "1m");
  s.SetList("tags", {"a", "b"});
  CHECK(s.GetInt("n", 0) == 12);
  CHECK(s.GetInt("bad", 5) == 5);
  CHECK(s.GetBool("flag", false));
  CHECK(s.GetDurationMillis("every", 0) == 60'000);
  CHECK(s.GetList("tags").size() == 2);
  CHECK(s.Get("missing", "d") == "d");
  CHECK_FALSE(s.Has("missing"));
}
