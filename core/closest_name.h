// "Did you mean" hints for misspelt keys, fields and names, in config and rules alike.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace earshot {

// The candidate closest to `name` by edit distance, if it is close enough to be a likely typo
// (within a third of the name's length, at least 2); empty otherwise.
std::string ClosestName(std::string_view name, const std::vector<std::string_view>& candidates);

}  // namespace earshot
