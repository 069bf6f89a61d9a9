// earshot silences: hush alerts for a while (a known outage, a campaign), without losing them:
// silenced alerts stay in the store, marked.
//   add --match FIELD=VALUE... --for DURATION [--comment TEXT]    list    expire ID
#include <cstdlib>
#include <iostream>

#include "daemon/cli/options.h"
#include "daemon/cli/store_location.h"
#include "daemon/cli/table_format.h"
#include "store/sqlite_store.h"

namespace earshot::cli {
namespace {

constexpr const char* kSilencesUsage =
    "usage: earshot silences add --match FIELD=VALUE [--match ...] --for DURATION "
    "[--comment TEXT]\n"
    "         FIELD: rule, channel, source, platform, author or priority; all must match\n"
    "       earshot silences list\n"
    "       earshot silences expire ID\n"
    "  each also takes --db PATH or --config FILE, and --as NAME (default $USER)\n";

}  // namespace

int Silences(const Args& args) {
  if (args.empty() || args[0] == "-h" || args[0] == "--help") {
    (args.empty() ? std::cerr : std::cout) << kSilencesUsage;
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::string sub = args[0];
  if (sub != "add" && sub != "list" && sub != "expire") {
    std::cerr << "earshot silences: unknown action '" << sub << "'\n" << kSilencesUsage;
    return kExitUsage;
  }
  const char* user = std::getenv("USER");
  po::options_description options("options");
  options.add_options()("id", po::value<int64_t>(), "silence id (expire)")(
      "match", po::value<std::vector<std::string>>(), "FIELD=VALUE")(
      "for", po::value<std::string>(), "how long, e.g. 2h")(
      "comment", po::value<std::string>()->default_value(""), "why")(
      "as", po::value<std::string>()->default_value(user && *user ? user : "cli"), "who");
  AddStoreOptions(&options);
  po::positional_options_description positional;
  positional.add("id", 1);
  po::variables_map vm;
  Args rest(args.begin() + 1, args.end());
  if (auto exit = ParseOptions("silences " + sub, "[options]", options, positional, rest, &vm))
    return *exit;
  auto path = ResolveStorePath(vm);
  if (!path) return kExitConfig;
  auto store = OpenSqliteStore(*path);
  if (!store.ok()) {
    std::cerr << "earshot silences: " << store.status().message() << "\n";
    return kExitFailure;
  }
  const UnixMillis now = NowMillis();
  if (sub == "list") {
    auto active = (*store)->ActiveSilences(now);
    if (!active.ok()) {
      std::cerr << "earshot silences: " << active.status().message() << "\n";
      return kExitFailure;
    }
    for (const auto& s : *active) {
      std::string matchers;
      for (const auto& m : s.matchers)
        matchers += (matchers.empty() ? "" : " ") + m.field + "=" + m.value;
      std::cout << "#" << s.id << " " << matchers << " until " << ShortTime(s.ends_at) << " UTC by "
                << s.created_by << (s.comment.empty() ? "" : ": " + s.comment) << "\n";
    }
    return kExitOk;
  }
  if (sub == "expire") {
    if (!vm.count("id")) {
      std::cerr << kSilencesUsage;
      return kExitUsage;
    }
    Status s = (*store)->ExpireSilence(vm["id"].as<int64_t>(), now);
    if (!s.ok()) {
      std::cerr << "earshot silences expire: " << s.message() << "\n";
      return kExitFailure;
    }
    std::cout << "silence #" << vm["id"].as<int64_t>() << " expired\n";
    return kExitOk;
  }
  if (!vm.count("match") || !vm.count("for")) {
    std::cerr << "earshot silences add: needs --match and --for\n";
    return kExitUsage;
  }
  auto duration = ParseDurationMillis(vm["for"].as<std::string>());
  if (!duration || *duration <= 0) {
    std::cerr << "earshot silences add: --for takes a duration like 30m, 2h or 1d\n";
    return kExitUsage;
  }
  Silence silence;
  for (const auto& m : vm["match"].as<std::vector<std::string>>()) {
    size_t eq = m.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "earshot silences add: --match takes FIELD=VALUE, not '" << m << "'\n";
      return kExitUsage;
    }
    silence.matchers.push_back({m.substr(0, eq), m.substr(eq + 1)});
  }
  silence.starts_at = now;
  silence.ends_at = now + *duration;
  silence.created_by = vm["as"].as<std::string>();
  silence.comment = vm["comment"].as<std::string>();
  auto id = (*store)->AddSilence(silence);
  if (!id.ok()) {
    std::cerr << "earshot silences add: " << id.status().message() << "\n";
    return id.status().code() == Status::Code::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  std::cout << "silence #" << *id << " until " << ShortTime(silence.ends_at) << " UTC\n";
  return kExitOk;
}

}  // namespace earshot::cli
