// earshot customers: who the authors are, from the CRM or linked by hand, so a caller sees one
// customer across channels and one case for them.
//   import FILE.csv|FILE.jsonl    link ID ID...    show IDENTITY|#ID|CRM_ID
#include <rapidjson/document.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>

#include "core/utf8.h"
#include "daemon/cli/options.h"
#include "daemon/cli/store_location.h"
#include "store/sqlite_store.h"

namespace earshot::cli {
namespace {

constexpr const char* kCustomersUsage =
    "usage: earshot customers import FILE.csv|FILE.jsonl   CRM export: crm_id, name, email, phone\n"
    "                                                      and one column (or key) per platform\n"
    "                                                      holding handles (several: a;b)\n"
    "       earshot customers link IDENTITY IDENTITY...    e.g. reddit:anna x:anna_k\n"
    "       earshot customers show IDENTITY|#ID|CRM_ID\n"
    "  each also takes --db PATH or --config FILE\n";

// One CSV record (RFC 4180: quotes, doubled quotes, commas and newlines inside quotes).
bool ReadCsvRecord(std::istream& in, std::vector<std::string>* fields, int* line) {
  fields->clear();
  std::string field;
  bool quoted = false, any = false;
  for (int ch; (ch = in.get()) != EOF;) {
    any = true;
    char c = static_cast<char>(ch);
    if (quoted) {
      if (c == '"' && in.peek() == '"') {
        field += '"';
        in.get();
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++*line;
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields->push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      ++*line;
      if (!field.empty() && field.back() == '\r') field.pop_back();
      fields->push_back(std::move(field));
      return true;
    } else {
      field += c;
    }
  }
  if (!any) return false;
  if (!field.empty() && field.back() == '\r') field.pop_back();
  fields->push_back(std::move(field));
  return true;
}

void AddHandles(const std::string& platform, const std::string& cell, Customer* c) {
  size_t start = 0;
  while (start <= cell.size()) {
    size_t semi = cell.find(';', start);
    if (semi == std::string::npos) semi = cell.size();
    std::string handle = CollapseWhitespace(cell.substr(start, semi - start));
    std::string identity = IdentityKey(platform, handle);
    if (!identity.empty()) c->identities.push_back(identity);
    start = semi + 1;
  }
}

std::string Lower(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Calls `take` for each customer; returns the number of bad records (reported on stderr).
int ReadCustomers(const std::string& path, const std::function<bool(Customer, int)>& take) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << path << ": cannot read\n";
    return 1;
  }
  int bad = 0;
  const bool jsonl = path.size() > 6 && path.substr(path.size() - 6) == ".jsonl";
  if (jsonl) {
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      if (CollapseWhitespace(line).empty()) continue;
      rapidjson::Document d;
      d.Parse(line.c_str(), line.size());
      if (d.HasParseError() || !d.IsObject() || !IsValidUtf8(line)) {
        std::cerr << path << ":" << n << ": not a JSON object\n";
        ++bad;
        continue;
      }
      Customer c;
      auto str = [&](const char* key) {
        auto it = d.FindMember(key);
        return it != d.MemberEnd() && it->value.IsString() ? std::string(it->value.GetString())
                                                           : std::string();
      };
      c.crm_id = str("crm_id");
      c.name = str("name");
      c.email = str("email");
      c.phone = str("phone");
      auto handles = d.FindMember("handles");
      if (handles != d.MemberEnd() && handles->value.IsObject()) {
        for (const auto& kv : handles->value.GetObject()) {
          std::string platform = Lower(kv.name.GetString());
          if (kv.value.IsString()) AddHandles(platform, kv.value.GetString(), &c);
          if (kv.value.IsArray())
            for (const auto& h : kv.value.GetArray())
              if (h.IsString()) AddHandles(platform, h.GetString(), &c);
        }
      }
      if (!take(std::move(c), n)) ++bad;
    }
    return bad;
  }
  std::vector<std::string> header, fields;
  int line = 1;
  if (!ReadCsvRecord(in, &header, &line)) {
    std::cerr << path << ": empty file\n";
    return 1;
  }
  for (auto& h : header)
    h = Lower(CollapseWhitespace(h));
  for (int record_line = line; ReadCsvRecord(in, &fields, &line); record_line = line) {
    if (fields.size() == 1 && fields[0].empty()) continue;
    if (fields.size() != header.size()) {
      std::cerr << path << ":" << record_line << ": " << fields.size() << " fields, the header has "
                << header.size() << "\n";
      ++bad;
      continue;
    }
    Customer c;
    for (size_t i = 0; i < header.size(); ++i) {
      const std::string& h = header[i];
      if (h == "crm_id" || h == "id" || h == "customer_id")
        c.crm_id = fields[i];
      else if (h == "name")
        c.name = fields[i];
      else if (h == "email")
        c.email = fields[i];
      else if (h == "phone")
        c.phone = fields[i];
      else
        AddHandles(h, fields[i], &c);
    }
    if (!IsValidUtf8(c.name) || !IsValidUtf8(c.email)) {
      std::cerr << path << ":" << record_line << ": not valid UTF-8\n";
      ++bad;
      continue;
    }
    if (!take(std::move(c), record_line)) ++bad;
  }
  return bad;
}

void Print(const Customer& c) {
  std::cout << "customer #" << c.id << (c.name.empty() ? "" : ": " + c.name) << "\n";
  if (!c.crm_id.empty()) std::cout << "crm id: " << c.crm_id << "\n";
  if (!c.phone.empty()) std::cout << "phone: " << c.phone << "\n";
  if (!c.email.empty()) std::cout << "email: " << c.email << "\n";
  for (const auto& i : c.identities)
    std::cout << "known as: " << i << "\n";
}

}  // namespace

int Customers(const Args& args) {
  if (args.empty() || args[0] == "-h" || args[0] == "--help") {
    (args.empty() ? std::cerr : std::cout) << kCustomersUsage;
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::string sub = args[0];
  if (sub != "import" && sub != "link" && sub != "show") {
    std::cerr << "earshot customers: unknown action '" << sub << "'\n" << kCustomersUsage;
    return kExitUsage;
  }
  po::options_description options("options");
  options.add_options()("args", po::value<std::vector<std::string>>(), "files or identities");
  AddStoreOptions(&options);
  po::positional_options_description positional;
  positional.add("args", -1);
  po::variables_map vm;
  Args rest(args.begin() + 1, args.end());
  if (auto exit = ParseOptions("customers " + sub, "ARGS...", options, positional, rest, &vm))
    return *exit;
  auto items =
      vm.count("args") ? vm["args"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (items.empty() || (sub == "show" && items.size() != 1)) {
    std::cerr << kCustomersUsage;
    return kExitUsage;
  }
  auto path = ResolveStorePath(vm);
  if (!path) return kExitConfig;
  auto store = OpenSqliteStore(*path);
  if (!store.ok()) {
    std::cerr << "earshot customers: " << store.status().message() << "\n";
    return kExitFailure;
  }
  if (sub == "show") {
    auto c = (*store)->FindCustomer(items[0]);
    if (!c.ok() || !*c) {
      std::cerr << "earshot customers: no customer " << items[0] << "\n";
      return kExitFailure;
    }
    Print(**c);
    return kExitOk;
  }
  if (sub == "link") {
    auto id = (*store)->LinkIdentities(items);
    if (!id.ok()) {
      std::cerr << "earshot customers link: " << id.status().message() << "\n";
      return id.status().code() == Status::Code::kInvalidArgument ? kExitUsage : kExitFailure;
    }
    std::cout << "customer #" << *id << ": " << items.size() << " identities linked\n";
    return kExitOk;
  }
  int imported = 0, bad = 0;
  for (const auto& file : items) {
    bad += ReadCustomers(file, [&](Customer c, int line) {
      if (c.crm_id.empty() && c.identities.empty() && c.email.empty()) {
        std::cerr << file << ":" << line << ": no crm_id, email or handle to know them by\n";
        return false;
      }
      auto id = (*store)->UpsertCustomer(c);
      if (!id.ok()) {
        std::cerr << file << ":" << line << ": " << id.status().message() << "\n";
        return false;
      }
      ++imported;
      return true;
    });
  }
  std::cout << imported << " customers imported, " << bad << " records skipped\n";
  return bad ? kExitFailure : kExitOk;
}

}  // namespace earshot::cli
