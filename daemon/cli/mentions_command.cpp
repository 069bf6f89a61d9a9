#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "core/mention_json.h"
#include "core/utf8.h"
#include "daemon/cli/options.h"
#include "daemon/cli/store_location.h"
#include "daemon/cli/table_format.h"
#include "store/sqlite_store.h"

namespace earshot::cli {
namespace {

// What a reviewer scans for: urgency first, then intents, then the team's own label sets.
std::string LabelSummary(const std::vector<Label>& labels) {
  std::string urgency, rest;
  for (const auto& l : labels) {
    if (l.kind == "urgency") urgency = l.name;
    if (l.kind != "intent" && l.kind != "pattern") continue;
    if (("," + rest + ",").find("," + l.name + ",") != std::string::npos) continue;
    if (!rest.empty()) rest += ",";
    rest += l.name;
  }
  return urgency.empty() ? rest : urgency + " " + rest;
}

void PrintTable(const std::vector<StoredMention>& rows) {
  std::cout << std::left << std::setw(7) << "ID" << Cell("STORED", 16) << " " << Cell("SOURCE", 14)
            << " F " << Cell("LABELS", 36) << " "
            << "TEXT\n";
  for (const auto& row : rows) {
    const Mention& m = row.annotated.mention;
    std::string text = m.title.empty() ? m.text : m.title + " — " + m.text;
    if (m.edited_at) text = "[edited] " + text;
    if (m.deleted) text = "[deleted] " + text;
    std::cout << std::left << std::setw(7) << row.id << Cell(ShortTime(row.stored_at), 16) << " "
              << Cell(m.source, 14) << " " << (row.annotated.flagged ? "!" : " ") << " "
              << Cell(LabelSummary(row.annotated.labels), 36) << " " << Cell(text, 72) << "\n";
  }
}

void PrintJson(const std::vector<StoredMention>& rows) {
  for (const auto& row : rows) {
    std::string mention = MentionToJson(row.annotated.mention);
    std::ostringstream line;
    line << "{\"id\":" << row.id << ",\"stored_at\":\"" << FormatRfc3339(row.stored_at)
         << "\",\"flagged\":" << (row.annotated.flagged ? "true" : "false")
         << ",\"labels\":" << LabelsToJson(row.annotated.labels) << ",\"mention\":" << mention
         << "}";
    std::cout << line.str() << "\n";
  }
}

}  // namespace

int ListMentions(const Args& args) {
  po::options_description options("options");
  options.add_options()("flagged", po::bool_switch(), "only mentions flagged for review")(
      "since", po::value<std::string>(), "only mentions stored within this duration (e.g. 2h, 7d)")(
      "source", po::value<std::string>(), "only this source")("label", po::value<std::string>(),
                                                              "only mentions with this label")(
      "search", po::value<std::string>(), "full-text search (SQLite FTS5 syntax)")(
      "limit", po::value<size_t>()->default_value(50), "at most this many (up to 1000)")(
      "format", po::value<std::string>()->default_value("table"),
      "table or json (one object per line)");
  AddStoreOptions(&options);
  po::variables_map vm;
  if (auto exit = ParseOptions("mentions",
                               "[--flagged] [--since DURATION] [--format table|json] "
                               "[--db PATH | --config FILE]",
                               options, {}, args, &vm)) {
    return *exit;
  }
  const std::string format = vm["format"].as<std::string>();
  if (format != "table" && format != "json") {
    std::cerr << "earshot mentions: --format must be table or json\n";
    return kExitUsage;
  }
  MentionQuery query;
  query.flagged_only = vm["flagged"].as<bool>();
  query.limit = vm["limit"].as<size_t>();
  if (vm.count("since")) {
    auto ms = ParseDurationMillis(vm["since"].as<std::string>());
    if (!ms) {
      std::cerr << "earshot mentions: --since takes a duration like 30m, 2h or 7d\n";
      return kExitUsage;
    }
    query.since = NowMillis() - *ms;
  }
  if (vm.count("source")) query.source = vm["source"].as<std::string>();
  if (vm.count("label")) query.label = vm["label"].as<std::string>();
  if (vm.count("search")) query.text_search = vm["search"].as<std::string>();

  auto path = ResolveStorePath(vm);
  if (!path) return kExitConfig;
  if (!std::filesystem::exists(*path)) {
    std::cerr << "earshot mentions: no database at " << *path
              << " (start the daemon first, or name it with --db or --config)\n";
    return kExitFailure;
  }
  auto store = OpenSqliteStore(*path);
  if (!store.ok()) {
    std::cerr << "earshot mentions: " << store.status().message() << "\n";
    return kExitFailure;
  }
  auto rows = (*store)->ListMentions(query);
  if (!rows.ok()) {
    std::cerr << "earshot mentions: " << rows.status().message() << "\n";
    return rows.status().code() == Status::Code::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  if (format == "json") {
    PrintJson(*rows);
  } else {
    PrintTable(*rows);
  }
  return kExitOk;
}

}  // namespace earshot::cli
