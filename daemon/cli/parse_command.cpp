#include <fstream>
#include <iostream>
#include <sstream>

#include "connectors/connector.h"
#include "core/mention_json.h"
#include "daemon/cli/options.h"

namespace earshot::cli {
namespace {

constexpr std::streamsize kMaxFileBytes = 256 << 20;

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return Status::IoError("cannot open the file");
  if (in.tellg() > kMaxFileBytes) return Status::InvalidArgument("file larger than 256 MiB");
  in.seekg(0);
  std::ostringstream body;
  body << in.rdbuf();
  return body.str();
}

std::string KnownKinds() {
  std::string kinds;
  for (const auto& d : ConnectorRegistry()) {
    if (!d.parse) continue;
    kinds += kinds.empty() ? "" : ", ";
    kinds += d.kind;
  }
  return kinds;
}

}  // namespace

int ParseFiles(const Args& args) {
  po::options_description options("options");
  options.add_options()("kind,k", po::value<std::string>()->required(),
                        ("connector kind: " + KnownKinds()).c_str())(
      "source", po::value<std::string>()->default_value("parse"), "source name for the mentions")(
      "file", po::value<std::vector<std::string>>()->required(), "saved bodies to parse");
  po::positional_options_description positional;
  positional.add("file", -1);
  po::variables_map vm;
  if (auto exit = ParseOptions("parse", "--kind KIND FILE...", options, positional, args, &vm)) {
    return *exit;
  }
  const std::string kind = vm["kind"].as<std::string>();
  const ConnectorDescriptor* descriptor = FindConnector(kind);
  if (!descriptor || !descriptor->parse) {
    std::cerr << "earshot parse: unknown kind '" << kind << "' (known: " << KnownKinds() << ")\n";
    return kExitUsage;
  }
  const std::string source = vm["source"].as<std::string>();
  int failed = 0;
  for (const auto& path : vm["file"].as<std::vector<std::string>>()) {
    auto body = ReadWholeFile(path);
    Result<std::vector<Mention>> mentions =
        body.ok() ? descriptor->parse(*body, source) : Result<std::vector<Mention>>(body.status());
    if (!mentions.ok()) {
      std::cerr << "earshot parse: " << path << ": " << mentions.status().message() << "\n";
      ++failed;
      continue;
    }
    for (const auto& m : *mentions)
      std::cout << MentionToJson(m) << "\n";
  }
  std::cout.flush();
  return failed ? kExitFailure : kExitOk;
}

}  // namespace earshot::cli
