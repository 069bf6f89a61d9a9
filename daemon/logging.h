#pragma once

#include <string>

#include "core/status.h"

namespace earshot {

// Sets up the process-wide spdlog logger on stderr: `format` "text" for people, "json" for log
// shippers (one object per line). Level: trace, debug, info, warn, error.
Status SetupLogging(const std::string& level, const std::string& format);

}  // namespace earshot
