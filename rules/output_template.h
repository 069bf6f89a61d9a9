// A rule's output line, e.g. "{author.handle} threatens to leave on {source}: {excerpt}". The
// placeholders are checked when the rules load, so a typo is an error, not an empty alert.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rules/fields.h"

namespace earshot {

class OutputTemplate {
 public:
  struct Error {
    size_t pos = 0;
    std::string message;
  };

  // An empty template renders "<rule>: <excerpt>".
  static std::optional<Error> Parse(const std::string& text, OutputTemplate* out);

  std::string Render(const MentionFacts& facts, const std::string& rule,
                     const std::string& priority) const;

 private:
  enum class Special { kNone, kRule, kPriority, kExcerpt };
  struct Part {
    std::string literal;
    const FieldSpec* field = nullptr;
    Special special = Special::kNone;
  };
  std::vector<Part> parts_;
};

}  // namespace earshot
