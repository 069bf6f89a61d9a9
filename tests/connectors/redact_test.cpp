// Secret-looking URL parts are hidden; everything else is left readable.
#include "connectors/http/redact.h"

#include <catch2/catch.hpp>

using earshot::RedactUrl;
using earshot::RedactUrlsIn;

TEST_CASE("redact: values of secret-looking query parameters") {
  CHECK(RedactUrl("https://api.example/v1/search?q=voltwave&api_key=abc123") ==
        "https://api.example/v1/search?q=voltwave&api_key=REDACTED");
  CHECK(RedactUrl("https://x.example/?token=t&access_token=a&key=k&secret=s&password=p&sig=g") ==
        "https://x.example/?token=REDACTED&access_token=REDACTED&key=REDACTED&secret=REDACTED"
        "&password=REDACTED&sig=REDACTED");
  CHECK(RedactUrl("https://s3.example/f?X-Amz-Credential=c&X-Amz-Signature=s&X-Amz-Date=d") ==
        "https://s3.example/f?X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED&X-Amz-Date=d");
  CHECK(RedactUrl("https://x.example/?apiKey=1&clientSecret=2&authtoken=3&api%5Fkey=4") ==
        "https://x.example/?apiKey=REDACTED&clientSecret=REDACTED&authtoken=REDACTED"
        "&api%5Fkey=REDACTED");
}

TEST_CASE("redact: ordinary parameters that merely contain a secret word stay") {
  const std::string url =
      "https://x.example/search?keywords=voltwave&author=bob&signal=1&monkey=2&q=token";
  CHECK(RedactUrl(url) == url);
  CHECK(RedactUrl("https://x.example/feed.xml") == "https://x.example/feed.xml");
  CHECK(RedactUrl("https://x.example/?flag&token") == "https://x.example/?flag&token");
  CHECK(RedactUrl("") == "");
}

TEST_CASE("redact: user information and fragments") {
  CHECK(RedactUrl("https://user:pa55@feeds.example:8443/private.xml?x=1") ==
        "https://REDACTED@feeds.example:8443/private.xml?x=1");
  CHECK(RedactUrl("https://app.example/cb#access_token=abc&state=s") ==
        "https://app.example/cb#access_token=REDACTED&state=s");
  CHECK(RedactUrl("https://x.example/a?token=1#frag") == "https://x.example/a?token=REDACTED#frag");
  // An '@' after the authority is not user information.
  CHECK(RedactUrl("https://x.example/users/@bob?q=1") == "https://x.example/users/@bob?q=1");
}

TEST_CASE("redact: every URL inside a message") {
  CHECK(RedactUrlsIn("Issue another request to this URL: 'https://b.example/x?token=2' now") ==
        "Issue another request to this URL: 'https://b.example/x?token=REDACTED' now");
  CHECK(RedactUrlsIn("from http://a.example/?key=1 to https://u:p@b.example/") ==
        "from http://a.example/?key=REDACTED to https://REDACTED@b.example/");
  CHECK(RedactUrlsIn("Could not resolve host: feeds.example") ==
        "Could not resolve host: feeds.example");
}
