#pragma once

#include <string_view>

namespace earshot {

// The text of a data file from classifiers/lexicons ("en.tsv", "intents.tsv"...), compiled
// into the binary; empty when there is no such file.
std::string_view EmbeddedData(std::string_view name);

}  // namespace earshot
