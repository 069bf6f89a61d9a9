#pragma once

#include <optional>
#include <string>

#include "daemon/cli/options.h"

namespace earshot::cli {

// Adds --db and --config to a command that reads the store.
void AddStoreOptions(po::options_description* options);
// The database path from --db, else from --config's store.path, else "earshot.db". Prints the
// problem and returns nullopt when --config is given but invalid.
std::optional<std::string> ResolveStorePath(const po::variables_map& vm);

}  // namespace earshot::cli
