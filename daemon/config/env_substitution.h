#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "daemon/config/config.h"

namespace earshot {

// Replaces ${NAME} and ${NAME:-default} from `env`; "$$" is a literal '$'. An unset variable
// without a default is an error naming it (never its value: it may be a secret).
Result<std::string> SubstituteEnv(std::string_view text, const EnvLookup& env);

}  // namespace earshot
