#include "daemon/scheduler.h"

#include <catch2/catch.hpp>

using namespace earshot;

TEST_CASE("After a success the next poll is the interval within the jitter") {
  CHECK(NextPollDelayMillis(60'000, 0.1, 0, 3'600'000, 0.0) == 54'000);
  CHECK(NextPollDelayMillis(60'000, 0.1, 0, 3'600'000, 0.5) == 60'000);
  CHECK(NextPollDelayMillis(60'000, 0.1, 0, 3'600'000, 0.999999) == 65'999);
  CHECK(NextPollDelayMillis(60'000, 0.0, 0, 3'600'000, 0.7) == 60'000);
}

TEST_CASE("Failures back off exponentially with full jitter up to the cap") {
  // 30 s base for a 5 minute source: bounds of 30, 60, 120 ... seconds, each anywhere from 1 s
  // to its bound (full jitter).
  const int64_t interval = 300'000, cap = 3'600'000;
  int64_t previous_max = 0;
  for (int failures = 1; failures <= 12; ++failures) {
    int64_t low = NextPollDelayMillis(interval, 0.1, failures, cap, 0.0);
    int64_t high = NextPollDelayMillis(interval, 0.1, failures, cap, 0.999999);
    CHECK(low <= high);
    CHECK(high <= cap);
    CHECK(high >= previous_max);
    previous_max = high;
  }
  CHECK(NextPollDelayMillis(interval, 0.1, 1, cap, 0.0) == 1'000);
  CHECK(NextPollDelayMillis(interval, 0.1, 1, cap, 0.5) == 15'500);
  CHECK(NextPollDelayMillis(interval, 0.1, 3, cap, 0.999999) == 119'999);
  CHECK(NextPollDelayMillis(interval, 0.1, 12, cap, 0.0) == 1'000);
  CHECK(NextPollDelayMillis(interval, 0.1, 12, cap, 0.999999) == cap - 4);
  // A 1 s source backs off from well under a second, never below it.
  CHECK(NextPollDelayMillis(1'000, 0.1, 1, cap, 0.0) == 1'000);
  // A source slower than the cap is never retried later than its own interval.
  CHECK(NextPollDelayMillis(7'200'000, 0.1, 30, cap, 0.999999) <= 7'200'000);
}
