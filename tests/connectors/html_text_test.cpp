#include "connectors/html_text.h"

#include <catch2/catch.hpp>

using namespace earshot;

TEST_CASE("HtmlToText keeps the words and the paragraph breaks") {
  CHECK(HtmlToText("<p>Hello <b>world</b></p><p>Second</p>") == "Hello world\n\nSecond");
  CHECK(HtmlToText("line one<br/>line two") == "line one\nline two");
  CHECK(HtmlToText("<ul><li>a</li><li>b</li></ul>") == "a\nb");
}

TEST_CASE("HtmlToText drops scripts styles and comments") {
  CHECK(HtmlToText("a<script>alert('x')</script>b") == "ab");
  CHECK(HtmlToText("a<STYLE>p{}</STYLE>b<!-- hidden -->c") == "abc");
}

TEST_CASE("HtmlToText decodes entities and leaves plain text alone") {
  CHECK(HtmlToText("Fish &amp; chips &eacute;t&eacute; &#8364;5 &#x1F642;") ==
        "Fish & chips été €5 🙂");
  CHECK(HtmlToText("5 < 6 and &unknown; stays") == "5 < 6 and &unknown; stays");
  CHECK(HtmlToText("Верните   деньги") == "Верните деньги");
  CHECK(HtmlToText("").empty());
}
