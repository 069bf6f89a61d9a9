// The YouTube Data API's daily quota resets at midnight Pacific Time (America/Los_Angeles).
#pragma once

#include "core/time.h"

namespace earshot {

// The first midnight in Pacific Time after `now`, as UTC milliseconds: PST (UTC-8) or, from the
// second Sunday of March to the first Sunday of November, PDT (UTC-7).
UnixMillis NextPacificMidnight(UnixMillis now);

}  // namespace earshot
