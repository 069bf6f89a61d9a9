#include "daemon/cli/store_location.h"

#include <iostream>

#include "daemon/config/config.h"

namespace earshot::cli {

void AddStoreOptions(po::options_description* options) {
  options->add_options()("db", po::value<std::string>(), "SQLite database file")(
      "config,c", po::value<std::string>(), "read the database path from this configuration");
}

std::optional<std::string> ResolveStorePath(const po::variables_map& vm) {
  if (vm.count("db")) return vm["db"].as<std::string>();
  if (!vm.count("config")) return std::string("earshot.db");
  ConfigLoadResult loaded = LoadConfigFile(vm["config"].as<std::string>());
  if (!loaded.config) {
    for (const auto& error : loaded.errors)
      std::cerr << error.ToString() << "\n";
    return std::nullopt;
  }
  return loaded.config->store.path;
}

}  // namespace earshot::cli
