// One function per `earshot` subcommand. Each parses its own options (Boost.Program_options)
// from the arguments after the subcommand's name and returns the process exit code.
#pragma once

#include <string>
#include <vector>

namespace earshot::cli {

// Exit codes, documented in `earshot --help` and the README.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the command ran and something failed
inline constexpr int kExitUsage = 2;    // bad command line
inline constexpr int kExitConfig = 3;   // the configuration is invalid

using Args = std::vector<std::string>;

int RunDaemon(const Args& args);     // earshot run
int CheckConfig(const Args& args);   // earshot check-config
int ListMentions(const Args& args);  // earshot mentions
int ParseFiles(const Args& args);    // earshot parse
int Classify(const Args& args);      // earshot classify
int Rules(const Args& args);         // earshot rules check|test
int Customers(const Args& args);     // earshot customers import|link|show
int Silences(const Args& args);      // earshot silences add|list|expire
int Cases(const Args& args);         // earshot cases list|show|assign|contact|resolve|note|export

}  // namespace earshot::cli
