// A caller's working hours, e.g. "Mon-Fri 08:00-18:00" or "Sat,Sun 10:00-14:00" (UTC).
#pragma once

#include <optional>
#include <string>

#include "core/time.h"

namespace earshot {

class Shift {
 public:
  static Shift Always() { return Shift(); }
  // nullopt for text that is not "DAYS HH:MM-HH:MM"; an end before the start runs overnight.
  static std::optional<Shift> Parse(const std::string& text);
  bool Contains(UnixMillis t) const;

 private:
  unsigned days_ = 0x7f;  // bit 0 = Monday
  int start_minute_ = 0;
  int end_minute_ = 24 * 60;
};

}  // namespace earshot
