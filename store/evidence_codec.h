#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/label.h"

namespace earshot {

// Evidence is stored as a JSON array beside its label, so a reviewer sees exactly what fired.
std::string EvidenceToJson(const std::vector<Evidence>& evidence);
// Malformed JSON (a hand-edited database) yields no evidence rather than an error.
std::vector<Evidence> EvidenceFromJson(std::string_view json);

}  // namespace earshot
