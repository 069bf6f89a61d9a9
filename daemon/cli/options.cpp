#include "daemon/cli/options.h"

#include <iostream>

namespace earshot::cli {

std::optional<int> ParseOptions(const std::string& command, const std::string& synopsis,
                                const po::options_description& options,
                                const po::positional_options_description& positional,
                                const Args& args, po::variables_map* vm) {
  po::options_description all(options);
  all.add_options()("help,h", "show this help");
  auto usage = [&](std::ostream& out) {
    out << "usage: earshot " << command << " " << synopsis << "\n\n" << all << "\n";
  };
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), *vm);
    if (vm->count("help")) {
      usage(std::cout);
      return kExitOk;
    }
    po::notify(*vm);
  } catch (const po::error& e) {
    std::cerr << "earshot " << command << ": " << e.what() << "\n\n";
    usage(std::cerr);
    return kExitUsage;
  }
  return std::nullopt;
}

}  // namespace earshot::cli
