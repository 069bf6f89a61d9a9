#include "core/utf8.h"

#include <catch2/catch.hpp>

using namespace earshot;

TEST_CASE("IsValidUtf8 accepts the four languages and rejects broken sequences") {
  CHECK(IsValidUtf8("plain ascii"));
  CHECK(IsValidUtf8("Привет, żółć, Straße, 🙂"));
  CHECK_FALSE(IsValidUtf8("\xC3"));              // truncated
  CHECK_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  CHECK_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // beyond U+10FFFF
  CHECK_FALSE(IsValidUtf8("ok\xFFok"));
}

TEST_CASE("SanitizeUtf8 replaces each bad byte and keeps good text intact") {
  CHECK(SanitizeUtf8("Grüße") == "Grüße");
  CHECK(SanitizeUtf8("a\xFF"
                     "b") ==
        "a\xEF\xBF\xBD"
        "b");
  CHECK(SanitizeUtf8("\xC3") == "\xEF\xBF\xBD");
  CHECK(IsValidUtf8(SanitizeUtf8("\x80\x81\xC3\x28\xE2\x82")));
}

TEST_CASE("TruncateUtf8 never splits a character") {
  std::string s = "żółć";  // 2 bytes each
  CHECK(TruncateUtf8(s, 3) == "ż");
  CHECK(TruncateUtf8(s, 4) == "żó");
  CHECK(TruncateUtf8(s, 100) == s);
  CHECK(TruncateUtf8("🙂x", 3).empty());
}

TEST_CASE("FoldCase folds Latin and Cyrillic and Polish and German") {
  CHECK(FoldCase("HeLLo") == "hello");
  CHECK(FoldCase("ПРИВЕТ") == "привет");
  CHECK(FoldCase("ŻÓŁĆ") == "żółć");
  CHECK(FoldCase("STRASSE") == FoldCase("Straße"));
  CHECK(IsValidUtf8(FoldCase("bad\xFFinput")));
}

TEST_CASE("CollapseWhitespace trims and joins runs") {
  CHECK(CollapseWhitespace("  a \t\n b  ") == "a b");
  CHECK(CollapseWhitespace("").empty());
}
