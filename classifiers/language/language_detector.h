// Which of earshot's languages a text is in: en, ru, pl, de, or "other". Short social posts
// defeat statistical detectors, so the script and the letters and words that only one of the
// four languages uses decide first; CLD2 (Google's compact detector) settles the rest.
#pragma once

#include <string>
#include <string_view>

namespace earshot {

struct LanguageGuess {
  std::string lang = "other";
  double confidence = 0;
  std::string reason;  // "script", "letters", "stopwords", "cld2", "default"
};

LanguageGuess DetectLanguage(std::string_view text);

}  // namespace earshot
