// earshot cases: the outreach queue from a shell, for callers and for scripts.
//   list [--state S]... [--queue Q] [--assignee A] [--format table|json]
//   show ID | assign ID --to NAME | contact ID | resolve ID --outcome O | note ID --note TEXT
//   export --format csv
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "core/mention_json.h"
#include "core/utf8.h"
#include "daemon/cli/options.h"
#include "daemon/cli/store_location.h"
#include "daemon/cli/table_format.h"
#include "rules/rule_set.h"
#include "store/sqlite_store.h"

namespace earshot::cli {
namespace {

constexpr const char* kCasesUsage =
    "usage: earshot cases list [--state S]... [--queue Q] [--assignee NAME] [--format table|json]\n"
    "       earshot cases show ID\n"
    "       earshot cases assign ID --to NAME\n"
    "       earshot cases contact ID [--note TEXT]\n"
    "       earshot cases resolve ID --outcome resolved|no_response|declined [--note TEXT]\n"
    "       earshot cases note ID --note TEXT\n"
    "       earshot cases export [--state S]... --format csv\n"
    "  each also takes --db PATH or --config FILE, and --as NAME (who acts; default $USER)\n";

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string CaseJson(const CaseSummary& c) {
  std::ostringstream o;
  o << "{\"id\":" << c.id << ",\"state\":" << JsonString(c.state)
    << ",\"priority\":" << JsonString(PriorityName(c.priority))
    << ",\"queue\":" << JsonString(c.queue) << ",\"assignee\":" << JsonString(c.assignee)
    << ",\"customer\":" << JsonString(c.customer_key)
    << ",\"author\":" << JsonString(c.author_handle) << ",\"platform\":" << JsonString(c.platform)
    << ",\"mentions\":" << c.mention_count << ",\"reason\":" << JsonString(c.reason)
    << ",\"opened_at\":" << JsonString(FormatRfc3339(c.opened_at))
    << ",\"sla_due_at\":" << (c.sla_due_at ? JsonString(FormatRfc3339(*c.sla_due_at)) : "null")
    << ",\"outcome\":" << JsonString(c.outcome) << ",\"url\":" << JsonString(c.latest_url)
    << ",\"lang\":" << JsonString(c.lang);
  if (c.customer) {
    o << ",\"customer_name\":" << JsonString(c.customer->name)
      << ",\"phone\":" << JsonString(c.customer->phone)
      << ",\"email\":" << JsonString(c.customer->email)
      << ",\"crm_id\":" << JsonString(c.customer->crm_id);
  }
  o << "}";
  return o.str();
}

void PrintTable(const std::vector<CaseSummary>& cases, UnixMillis now) {
  std::cout << Cell("ID", 6) << Cell("PRIORITY", 9) << Cell("STATE", 10) << Cell("SLA", 16)
            << Cell("QUEUE", 12) << Cell("ASSIGNEE", 12) << Cell("CUSTOMER", 22) << Cell("N", 4)
            << "REASON\n";
  for (const auto& c : cases) {
    std::string sla = c.sla_due_at ? Countdown(*c.sla_due_at, c.closed_at.value_or(now)) : "-";
    std::string who = c.author_handle.empty() ? c.customer_key : c.platform + ":" + c.author_handle;
    std::cout << Cell(std::to_string(c.id), 6) << Cell(PriorityName(c.priority), 9)
              << Cell(c.state, 10) << Cell(sla, 16) << Cell(c.queue, 12)
              << Cell(c.assignee.empty() ? "-" : c.assignee, 12) << Cell(who, 22)
              << Cell(std::to_string(c.mention_count), 4) << Cell(c.reason, 80) << "\n";
  }
}

void PrintDetail(const CaseDetail& d, UnixMillis now) {
  const CaseSummary& c = d.summary;
  std::cout << "case " << c.id << ": " << PriorityName(c.priority) << ", " << c.state
            << (c.assignee.empty() ? "" : ", assigned to " + c.assignee) << ", queue " << c.queue
            << "\n";
  if (c.customer) {
    const Customer& k = *c.customer;
    std::cout << "customer: " << (k.name.empty() ? "#" + std::to_string(k.id) : k.name);
    if (!k.crm_id.empty()) std::cout << " (CRM " << k.crm_id << ")";
    std::cout << "\n";
    if (!k.phone.empty()) std::cout << "phone: " << k.phone << "\n";
    if (!k.email.empty()) std::cout << "email: " << k.email << "\n";
    std::string ids;
    for (const auto& i : k.identities)
      ids += (ids.empty() ? "" : ", ") + i;
    std::cout << "known as: " << ids << "\n";
  } else {
    std::cout << "customer: " << c.customer_key << "\n";
  }
  if (!c.lang.empty()) std::cout << "language: " << c.lang << "\n";
  if (c.sla_due_at)
    std::cout << "first contact due: " << ShortTime(*c.sla_due_at) << " UTC ("
              << Countdown(*c.sla_due_at, c.closed_at.value_or(now)) << ")\n";
  std::cout << "why: " << c.reason << "\n";
  if (!c.outcome.empty()) std::cout << "outcome: " << c.outcome << "\n";
  std::cout << "\nmentions:\n";
  for (const auto& m : d.mentions) {
    const Mention& mention = m.annotated.mention;
    std::cout << "  #" << m.id << " " << ShortTime(m.stored_at) << " " << mention.source << " "
              << mention.url << "\n    " << Cell(mention.text, 200) << "\n";
  }
  std::cout << "\nhistory:\n";
  for (const auto& e : d.events) {
    std::cout << "  " << ShortTime(e.at) << " " << Cell(e.actor, 24) << " " << Cell(e.action, 12)
              << " " << e.detail << "\n";
  }
}

std::string DefaultActor() {
  const char* user = std::getenv("USER");
  return user && *user ? user : "cli";
}

}  // namespace

int Cases(const Args& args) {
  if (args.empty() || args[0] == "-h" || args[0] == "--help") {
    (args.empty() ? std::cerr : std::cout) << kCasesUsage;
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::string sub = args[0];
  static const std::vector<std::string> kSubs = {"list",    "show", "assign", "contact",
                                                 "resolve", "note", "export"};
  if (std::find(kSubs.begin(), kSubs.end(), sub) == kSubs.end()) {
    std::cerr << "earshot cases: unknown action '" << sub << "'\n" << kCasesUsage;
    return kExitUsage;
  }
  po::options_description options("options");
  options.add_options()("id", po::value<int64_t>(), "case id")(
      "state", po::value<std::vector<std::string>>(), "list: these states (default: open ones)")(
      "queue", po::value<std::string>(), "list: only this queue")(
      "assignee", po::value<std::string>(), "list: only this caller's cases")(
      "to", po::value<std::string>(), "assign: the caller")(
      "outcome", po::value<std::string>(), "resolve: resolved, no_response or declined")(
      "note", po::value<std::string>()->default_value(""), "a note for the case history")(
      "as", po::value<std::string>()->default_value(DefaultActor()), "who acts")(
      "limit", po::value<size_t>()->default_value(200), "list: at most this many")(
      "format", po::value<std::string>()->default_value(sub == "export" ? "csv" : "table"),
      "table, json or csv");
  AddStoreOptions(&options);
  po::positional_options_description positional;
  positional.add("id", 1);
  po::variables_map vm;
  Args rest(args.begin() + 1, args.end());
  if (auto exit = ParseOptions("cases " + sub, "[ID] [options]", options, positional, rest, &vm))
    return *exit;
  const bool needs_id = sub != "list" && sub != "export";
  if (needs_id != (vm.count("id") > 0)) {
    std::cerr << "earshot cases " << sub << ": " << (needs_id ? "needs a case id" : "takes no id")
              << "\n";
    return kExitUsage;
  }
  auto path = ResolveStorePath(vm);
  if (!path) return kExitConfig;
  if (!std::filesystem::exists(*path)) {
    std::cerr << "earshot cases: no database at " << *path << "\n";
    return kExitFailure;
  }
  auto store = OpenSqliteStore(*path);
  if (!store.ok()) {
    std::cerr << "earshot cases: " << store.status().message() << "\n";
    return kExitFailure;
  }
  const UnixMillis now = NowMillis();
  const std::string format = vm["format"].as<std::string>();

  if (sub == "list" || sub == "export") {
    CaseQuery query;
    if (vm.count("state")) query.states = vm["state"].as<std::vector<std::string>>();
    if (vm.count("queue")) query.queue = vm["queue"].as<std::string>();
    if (vm.count("assignee")) query.assignee = vm["assignee"].as<std::string>();
    query.limit = vm["limit"].as<size_t>();
    auto cases = (*store)->ListCases(query);
    if (!cases.ok()) {
      std::cerr << "earshot cases: " << cases.status().message() << "\n";
      return kExitFailure;
    }
    if (format == "csv") {
      std::cout << "id,priority,state,queue,assignee,customer,platform,author,mentions,"
                   "opened_at,sla_due_at,url,reason,name,phone,email,crm_id,lang\n";
      for (const auto& c : *cases) {
        std::cout << c.id << "," << PriorityName(c.priority) << "," << c.state << ","
                  << CsvField(c.queue) << "," << CsvField(c.assignee) << ","
                  << CsvField(c.customer_key) << "," << CsvField(c.platform) << ","
                  << CsvField(c.author_handle) << "," << c.mention_count << ","
                  << FormatRfc3339(c.opened_at) << ","
                  << (c.sla_due_at ? FormatRfc3339(*c.sla_due_at) : "") << ","
                  << CsvField(c.latest_url) << "," << CsvField(CollapseWhitespace(c.reason));
        const Customer empty;
        const Customer& k = c.customer ? *c.customer : empty;
        std::cout << "," << CsvField(k.name) << "," << CsvField(k.phone) << "," << CsvField(k.email)
                  << "," << CsvField(k.crm_id) << "," << c.lang << "\n";
      }
    } else if (format == "json") {
      for (const auto& c : *cases)
        std::cout << CaseJson(c) << "\n";
    } else if (format == "table") {
      PrintTable(*cases, now);
    } else {
      std::cerr << "earshot cases: --format must be table, json or csv\n";
      return kExitUsage;
    }
    return kExitOk;
  }

  const int64_t id = vm["id"].as<int64_t>();
  if (sub == "show") {
    auto detail = (*store)->GetCase(id);
    if (!detail.ok()) {
      std::cerr << "earshot cases: " << detail.status().message() << "\n";
      return kExitFailure;
    }
    if (!*detail) {
      std::cerr << "earshot cases: no case " << id << "\n";
      return kExitFailure;
    }
    PrintDetail(**detail, now);
    return kExitOk;
  }

  CaseUpdate update;
  update.id = id;
  update.actor = vm["as"].as<std::string>();
  update.note = vm["note"].as<std::string>();
  update.at = now;
  if (sub == "assign") {
    if (!vm.count("to")) {
      std::cerr << "earshot cases assign: needs --to NAME\n";
      return kExitUsage;
    }
    update.action = "assign";
    update.assignee = vm["to"].as<std::string>();
  } else if (sub == "contact") {
    update.action = "contacted";
  } else if (sub == "resolve") {
    std::string outcome = vm.count("outcome") ? vm["outcome"].as<std::string>() : "resolved";
    if (outcome != "resolved" && outcome != "no_response" && outcome != "declined") {
      std::cerr << "earshot cases resolve: --outcome is resolved, no_response or declined\n";
      return kExitUsage;
    }
    update.action = outcome;
    update.outcome = outcome;
  } else {
    update.action = "note";
  }
  Status s = (*store)->UpdateCase(update);
  if (!s.ok()) {
    std::cerr << "earshot cases " << sub << ": " << s.message() << "\n";
    return kExitFailure;
  }
  std::cout << "case " << id << ": " << update.action << "\n";
  return kExitOk;
}

}  // namespace earshot::cli
