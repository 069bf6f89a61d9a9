#pragma once

#include <string>

#include "core/mention.h"

namespace earshot {

// The author's identity within a platform: the id when the platform gives one, else the handle.
std::string AuthorKey(const Author& a);

}  // namespace earshot
