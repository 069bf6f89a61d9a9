#include "rules/rule_set.h"

namespace earshot {

const char* PriorityName(Priority p) {
  switch (p) {
    case Priority::kCritical:
      return "critical";
    case Priority::kHigh:
      return "high";
    case Priority::kMedium:
      return "medium";
    case Priority::kLow:
      return "low";
  }
  return "medium";
}

const char* PriorityName(int level) {
  return level >= 1 && level <= 4 ? PriorityName(static_cast<Priority>(level)) : "medium";
}

std::optional<Priority> ParsePriority(std::string_view name) {
  if (name == "critical") return Priority::kCritical;
  if (name == "high") return Priority::kHigh;
  if (name == "medium") return Priority::kMedium;
  if (name == "low") return Priority::kLow;
  return std::nullopt;
}

int64_t DefaultSlaMillis(Priority p) {
  switch (p) {
    case Priority::kCritical:
      return 30 * 60'000;
    case Priority::kHigh:
      return 2 * 3600'000;
    case Priority::kMedium:
      return 8 * 3600'000;
    case Priority::kLow:
      return 24 * 3600'000;
  }
  return 8 * 3600'000;
}

std::pair<int, int> SourceText::At(size_t offset) const {
  if (positions.empty()) return {0, 0};
  return positions[std::min(offset, positions.size() - 1)];
}

}  // namespace earshot
