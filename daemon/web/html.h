#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/label.h"

namespace earshot {

std::string HtmlEscape(std::string_view text);
// The text with every evidence span of `field` ("" for the mention text) wrapped in <mark>,
// everything escaped. Overlapping spans merge; spans off character boundaries are ignored.
std::string HighlightEvidence(std::string_view text, const std::vector<Label>& labels,
                              std::string_view field);

}  // namespace earshot
