// How soon a person should look: low, normal, high or critical, with every reason listed.
#pragma once

#include <array>
#include <cassert>
#include <span>
#include <string>
#include <string_view>

#include "core/mention.h"

namespace earshot {

struct UrgencyInput {
  double sentiment = 0;
  std::span<const std::string> intents;
  const Mention* mention = nullptr;  // reach (followers, engagement) and rating
};

// Every text gets one: its level and reasons are names from a fixed list, held without
// allocating.
class Urgency {
 public:
  std::string_view level() const { return kLevels[static_cast<size_t>(rank_)]; }
  std::span<const std::string_view> reasons() const { return {reasons_.data(), count_}; }

  // Raises the level to `rank` (0 low .. 3 critical) if that is higher, and records why.
  void Raise(int rank, std::string_view reason);
  void Note(std::string_view reason) {
    assert(count_ < reasons_.size() && "a new rule needs room for its reason");
    reasons_[count_++] = reason;
  }
  int rank() const { return rank_; }

 private:
  static constexpr std::array<std::string_view, 4> kLevels = {"low", "normal", "high", "critical"};
  int rank_ = 0;
  std::array<std::string_view, 12> reasons_;  // more than there are rules
  size_t count_ = 0;
};

Urgency AssessUrgency(const UrgencyInput& input);

}  // namespace earshot
