#include <iostream>

#include "daemon/cli/options.h"
#include "daemon/config/config.h"

namespace earshot::cli {

int CheckConfig(const Args& args) {
  po::options_description options("options");
  options.add_options()("config", po::value<std::string>()->required(), "configuration file");
  po::positional_options_description positional;
  positional.add("config", 1);
  po::variables_map vm;
  if (auto exit = ParseOptions("check-config", "FILE", options, positional, args, &vm)) {
    return *exit;
  }
  const auto path = vm["config"].as<std::string>();
  ConfigLoadResult loaded = LoadConfigFile(path);
  for (const auto& error : loaded.errors)
    std::cerr << error.ToString() << "\n";
  if (!loaded.config) {
    std::cerr << path << ": " << loaded.errors.size() << " problem"
              << (loaded.errors.size() == 1 ? "" : "s") << "\n";
    return kExitConfig;
  }
  const Config& config = *loaded.config;
  std::cout << path << ": ok (" << config.sources.size() << " sources, " << config.labels.size()
            << " label sets, store " << config.store.path << ")\n";
  return kExitOk;
}

}  // namespace earshot::cli
