// server.tokens, allowed_hosts and session_ttl in the configuration.
#include <catch2/catch.hpp>

#include "daemon/config/config.h"
#include "daemon/web/auth.h"
#include "daemon/web/web_server.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

constexpr const char* kSources = R"(
sources:
  - name: samples
    kind: jsonl
    path: samples.jsonl
)";

ConfigLoadResult Load(const TempDir& dir, const std::string& server) {
  return LoadConfigString("server:\n" + server + kSources, dir.File("earshot.yaml"),
                          [](const std::string&) { return std::nullopt; });
}

std::string AllErrors(const ConfigLoadResult& r) {
  std::string out;
  for (const auto& e : r.errors)
    out += e.ToString() + "\n";
  return out;
}

}  // namespace

TEST_CASE("web config: tokens from files are kept only as SHA-256 hashes") {
  TempDir dir;
  dir.Write("rita.token", "rita-secret-0123456789\n");
  auto r = Load(dir, R"(  listen: 0.0.0.0:8080
  allowed_hosts: [Earshot.Example.COM, 10.0.0.5]
  session_ttl: 8h
  tokens:
    - { name: rita, role: reviewer, token_file: rita.token }
    - { name: carl, role: caller, token: carl-secret-0123456789 }
    - { name: ada, role: admin, token: ada-secret-01234567890 }
)");
  INFO(AllErrors(r));
  REQUIRE(r.config);
  const auto& server = r.config->server;
  REQUIRE(server.tokens.size() == 3);
  CHECK(server.tokens[0].name == "rita");
  CHECK(server.tokens[0].role == "reviewer");
  CHECK(server.tokens[0].token_sha256 == web::Sha256("rita-secret-0123456789"));
  CHECK(server.tokens[1].token_sha256 == web::Sha256("carl-secret-0123456789"));
  CHECK(server.tokens[2].role == "admin");
  CHECK(server.allowed_hosts == std::vector<std::string>{"earshot.example.com", "10.0.0.5"});
  CHECK(server.session_ttl_ms == 8LL * 3600 * 1000);

  WebOptions options = WebOptionsFromConfig(*r.config);
  REQUIRE(options.users.size() == 3);
  CHECK(options.users[1].name == "carl");
  CHECK(options.users[1].token_sha256 == web::Sha256("carl-secret-0123456789"));
  CHECK(options.session_ttl_ms == server.session_ttl_ms);
}

TEST_CASE("web config: bad token entries are errors with their place") {
  TempDir dir;
  auto r = Load(dir, R"(  tokens:
    - { name: rita, role: boss, token: rita-secret-0123456789 }
    - { name: carl, role: caller, token: short }
    - { name: ada, role: admin, token: a-secret-0123456789, token_file: x }
    - { name: bob, role: viewer, tokn: bob-secret-0123456789 }
    - { name: "bad name", role: viewer, token: bob-secret-0123456789 }
    - { name: eve, role: viewer, token_file: missing.token }
    - { name: dup, role: viewer, token: same-secret-0123456789 }
    - { name: dup, role: viewer, token: other-secret-0123456789 }
    - { name: twin, role: viewer, token: same-secret-0123456789 }
  session_ttl: 5s
  colour: blue
)");
  CHECK_FALSE(r.config);
  const std::string errors = AllErrors(r);
  INFO(errors);
  CHECK(errors.find(":3:27: server.tokens 'rita' needs a role") != std::string::npos);
  CHECK(errors.find("'carl' token must be at least 16 characters") != std::string::npos);
  CHECK(errors.find("'ada' has both token and token_file") != std::string::npos);
  CHECK(errors.find("unknown key 'tokn' in server.tokens entry (did you mean 'token'?)") !=
        std::string::npos);
  CHECK(errors.find("name must be 1-64 letters") != std::string::npos);
  CHECK(errors.find("token_file: cannot read missing.token") != std::string::npos);
  CHECK(errors.find("the name 'dup' is used twice") != std::string::npos);
  CHECK(errors.find("'twin' has the same token as another entry") != std::string::npos);
  CHECK(errors.find("server.session_ttl must be at least 1m") != std::string::npos);
  CHECK(errors.find("unknown key 'colour' in server") != std::string::npos);
  CHECK(errors.find("rita-secret") == std::string::npos);
}

TEST_CASE("web config: no tokens is the open demo") {
  TempDir dir;
  auto r = Load(dir, "  listen: 127.0.0.1:8080\n");
  REQUIRE(r.config);
  CHECK(r.config->server.tokens.empty());
  CHECK(WebOptionsFromConfig(*r.config).users.empty());
}
