// Text-table helpers for the commands that print lists to a terminal.
#pragma once

#include <string>
#include <string_view>

#include "core/time.h"

namespace earshot::cli {

// Pads or cuts to `width` characters (not bytes), for aligned columns in any script.
std::string Cell(std::string_view text, size_t width);
// "2026-11-24 09:49" in UTC: enough to scan a list by eye.
std::string ShortTime(UnixMillis t);
// "in 25m", "3h 10m ago": how long until (or since) a deadline.
std::string Countdown(UnixMillis deadline, UnixMillis now);

}  // namespace earshot::cli
