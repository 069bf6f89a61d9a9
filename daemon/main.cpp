#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/cli/commands.h"

namespace {

constexpr const char* kUsage =
    R"(earshot: listens to what customers say about a brand and flags the unhappy ones

usage: earshot <command> [options]      (earshot <command> --help for a command's options)

commands:
  run            run the daemon: poll sources, label, store, serve the web page
  check-config   validate a configuration file; print every problem as file:line:col
  mentions       list stored mentions, newest first
  parse          parse saved feeds or API responses offline, one JSON mention per line
  classify       label a text or a JSONL file: language, sentiment, intents, urgency, topics
  rules          check rules files, or run rule tests: earshot rules check|test FILE...
  cases          work the outreach queue: list, show, assign, contact, resolve, note, export
  customers      import the CRM's customers, link a customer's accounts, show one
  silences       hush alerts for a while: add, list, expire

options:
  -h, --help     this help
  --version      print the version

exit codes:
  0  success
  1  the command ran and something failed (a source, a file, the store)
  2  bad command line
  3  the configuration (or a rules file) is invalid
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace earshot::cli;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  const std::string command = args.front();
  Args rest(args.begin() + 1, args.end());
  if (command == "-h" || command == "--help" || command == "help") {
    std::cout << kUsage;
    return kExitOk;
  }
  if (command == "--version" || command == "version") {
    std::cout << "earshot " << EARSHOT_VERSION << "\n";
    return kExitOk;
  }
  if (command == "run") return RunDaemon(rest);
  if (command == "check-config") return CheckConfig(rest);
  if (command == "mentions") return ListMentions(rest);
  if (command == "parse") return ParseFiles(rest);
  if (command == "classify") return Classify(rest);
  if (command == "rules") return Rules(rest);
  if (command == "cases") return Cases(rest);
  if (command == "customers") return Customers(rest);
  if (command == "silences") return Silences(rest);
  std::cerr << "earshot: unknown command '" << command << "'\n\n" << kUsage;
  return kExitUsage;
}
