// How failed HTTP statuses are worded, and Retry-After in both of its forms.
#include "connectors/http/http_errors.h"

#include <catch2/catch.hpp>

using namespace earshot;

namespace {

HttpResponse WithStatus(int status, const std::string& retry_after = "") {
  HttpResponse response;
  response.status = status;
  if (!retry_after.empty()) response.headers = {{"retry-after", retry_after}};
  return response;
}

}  // namespace

TEST_CASE("http errors: Retry-After as seconds or as an HTTP date") {
  const UnixMillis now = *ParseRfc822("Tue, 24 Nov 2026 10:00:00 GMT");
  CHECK(RetryAfterSeconds("120", now) == 120);
  CHECK(RetryAfterSeconds(" 0 ", now) == 0);
  CHECK(RetryAfterSeconds("Tue, 24 Nov 2026 10:01:30 GMT", now) == 90);
  CHECK(RetryAfterSeconds("Tue, 24 Nov 2026 09:00:00 GMT", now) == 0);  // already past
  CHECK_FALSE(RetryAfterSeconds("", now).has_value());
  CHECK_FALSE(RetryAfterSeconds("-5", now).has_value());
  CHECK_FALSE(RetryAfterSeconds("soon", now).has_value());
  CHECK_FALSE(RetryAfterSeconds("99999999999999999999999", now).has_value());
}

TEST_CASE("http errors: rate limits are Unavailable, other failures HttpError") {
  const UnixMillis now = *ParseRfc822("Tue, 24 Nov 2026 10:00:00 GMT");
  const std::string url = "https://api.example/search?q=x&api_key=SECRET";

  Status server = HttpStatusError(WithStatus(500), url, now);
  CHECK(server.code() == Status::Code::kHttpError);
  CHECK(server.message() == "HTTP 500 from https://api.example/search?q=x&api_key=REDACTED");

  Status forbidden = HttpStatusError(WithStatus(403, "60"), url, now);
  CHECK(forbidden.code() == Status::Code::kHttpError);

  Status limited = HttpStatusError(WithStatus(429, "120"), url, now);
  CHECK(limited.code() == Status::Code::kUnavailable);
  CHECK(limited.message() ==
        "HTTP 429 from https://api.example/search?q=x&api_key=REDACTED, retry after 120 s");

  Status down = HttpStatusError(WithStatus(503, "Tue, 24 Nov 2026 10:05:00 GMT"), url, now);
  CHECK(down.code() == Status::Code::kUnavailable);
  CHECK_THAT(down.message(), Catch::EndsWith(", retry after 300 s"));

  Status unexplained = HttpStatusError(WithStatus(429), url, now);
  CHECK(unexplained.code() == Status::Code::kUnavailable);
  CHECK_THAT(unexplained.message(), !Catch::Contains("retry after"));
}
