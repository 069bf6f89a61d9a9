// What a caller might say first, by the customer's language and what they complained about:
// acknowledge the problem in their words' topic, own it, and offer to fix it now.
#pragma once

#include <string>
#include <vector>

namespace earshot {

// `topics` as the classifiers name them (billing, delivery, ...); the first one with a line in
// the language wins. English when the language has no lines; `name` may be empty.
std::string SuggestedOpening(const std::string& lang, const std::vector<std::string>& topics,
                             const std::string& name);

}  // namespace earshot
