#include <catch2/catch.hpp>

#include "daemon/web/html.h"

using namespace earshot;

TEST_CASE("HtmlEscape neutralises markup from mentions") {
  CHECK(HtmlEscape(R"(<script>alert("x")</script> & 'y')") ==
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
}

TEST_CASE("HighlightEvidence marks spans and merges overlaps and escapes everything") {
  std::string text = "<b>refund</b> верните деньги";
  size_t ru = text.find("верните");
  std::vector<Label> labels = {
      {"pattern", "refund", 1, {{"p", {3, 9}, "", 0}, {"p", {5, 12}, "", 0}}},
      {"pattern", "ru", 1, {{"p", {ru, ru + 14}, "", 0}, {"p", {0, 3}, "title", 0}}},
  };
  CHECK(HighlightEvidence(text, labels, "") ==
        "&lt;b&gt;<mark>refund&lt;/b</mark>&gt; <mark>верните</mark> деньги");
}

TEST_CASE("HighlightEvidence ignores spans off character boundaries or out of range") {
  std::string text = "żółć";
  std::vector<Label> labels = {{"pattern", "x", 1, {{"p", {1, 3}, "", 0}, {"p", {2, 99}, "", 0}}}};
  CHECK(HighlightEvidence(text, labels, "") == "żółć");
}
