// Boost.Program_options glue shared by the subcommands: parse, print --help, report errors
// the same way everywhere.
#pragma once

#include <boost/program_options.hpp>
#include <optional>
#include <string>

#include "daemon/cli/commands.h"

namespace earshot::cli {

namespace po = boost::program_options;

// Parses `args` for `command`. Returns an exit code when the command should stop now (after
// --help: kExitOk; after a bad option: kExitUsage, with the error and usage on stderr).
std::optional<int> ParseOptions(const std::string& command, const std::string& synopsis,
                                const po::options_description& options,
                                const po::positional_options_description& positional,
                                const Args& args, po::variables_map* vm);

}  // namespace earshot::cli
