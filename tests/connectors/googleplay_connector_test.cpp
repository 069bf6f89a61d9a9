// The googleplay source: reviews.list pages parsed offline, the service-account JWT signed and
// exchanged, and poll cycles against local servers playing Google's token endpoint and the Play
// Developer API (token paging, lastModified cursor, 401 refresh, errors).
#include "connectors/googleplay/googleplay_connector.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <mutex>
#include <set>

#include "connectors/google/google_access_token.h"
#include "connectors/google/jwt_rs256.h"
#include "connectors/googleplay/googleplay_reviews.h"
#include "connectors/http/http_client.h"
#include "core/time.h"
#include "core/utf8.h"
#include "tests/connectors/google_oauth_fake.h"
#include "tests/support/local_http_server.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

constexpr const char* kPackage = "com.voltwave.ride";
constexpr const char* kScope = "https://www.googleapis.com/auth/androidpublisher";

std::string ReviewJson(int64_t n, UnixMillis modified) {
  return R"({"reviewId":"gp:r)" + std::to_string(n) +
         R"(","authorName":"User","comments":[{"userComment":{"text":"\treview )" +
         std::to_string(n) + R"(","lastModified":{"seconds":")" + std::to_string(modified / 1000) +
         R"(","nanos":0},"starRating":)" + std::to_string(1 + n % 5) +
         R"(,"reviewerLanguage":"en"}}]})";
}

// reviews.list, most recently modified first, token = offset, bearer token checked.
class FakePlay {
 public:
  FakePlay(LocalHttpServer& host, FakeGoogleTokenEndpoint& tokens) : tokens_(tokens) {
    host.server().Get(R"(/androidpublisher/v3/applications/([^/]+)/reviews)", [this](
                                                                                  const httplib::
                                                                                      Request& req,
                                                                                  httplib::Response&
                                                                                      res) {
      std::lock_guard lock(mu_);
      if (!tokens_.IsCurrent(req.get_header_value("Authorization"))) {
        res.status = 401;
        res.set_content(
            R"({"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}})",
            "application/json");
        return;
      }
      if (req.matches[1] != kPackage) {
        res.status = 403;
        res.set_content(ReadFile(DataPath("googleplay/error_permission_denied.json")),
                        "application/json");
        return;
      }
      const size_t per_page = std::stoul(req.get_param_value("maxResults"));
      const size_t offset =
          req.has_param("token") ? std::stoul(req.get_param_value("token").substr(1)) : 0;
      std::string items;
      for (size_t i = offset; i < reviews_.size() && i < offset + per_page; ++i) {
        const auto& [n, t] = reviews_[reviews_.size() - 1 - i];
        items += (items.empty() ? "" : ",") + ReviewJson(n, t);
      }
      std::string body = "{";
      if (!items.empty()) body += R"("reviews":[)" + items + "]";
      if (offset + per_page < reviews_.size())
        body +=
            R"(,"tokenPagination":{"nextPageToken":"o)" + std::to_string(offset + per_page) + "\"}";
      res.set_content(body + "}", "application/json");
    });
  }
  void Add(int count) {
    std::lock_guard lock(mu_);
    for (int i = 0; i < count; ++i)
      reviews_.emplace_back(++next_, clock_ += 60'000);
  }

 private:
  FakeGoogleTokenEndpoint& tokens_;
  std::mutex mu_;
  std::vector<std::pair<int64_t, UnixMillis>> reviews_;
  int64_t next_ = 0;
  UnixMillis clock_ = (NowMillis() - 86'400'000) / 1000 * 1000;
};

std::unique_ptr<Connector> MakePlay(HttpClient& http, const LocalHttpServer& host,
                                    const std::string& key_file,
                                    std::map<std::string, std::string> extra = {}) {
  SourceSpec spec;
  spec.name = "play";
  spec.kind = "googleplay";
  spec.settings.Set("package_name", kPackage);
  spec.settings.Set("service_account_file", key_file);
  spec.settings.Set("api_url", host.Url("/androidpublisher/v3"));
  spec.settings.Set("timeout", "5s");
  for (const auto& [k, v] : extra)
    spec.settings.Set(k, v);
  auto c = GooglePlayConnectorDescriptor().create(spec, http);
  if (!c.ok()) FAIL(c.status().message());
  return std::move(c).value();
}

std::string Param(const RecordedRequest& r, const std::string& name) {
  auto it = r.params.find(name);
  return it == r.params.end() ? "" : it->second;
}

}  // namespace

TEST_CASE("googleplay: a reviews.list page becomes mentions", "[googleplay]") {
  auto page =
      ParseGooglePlayReviews(ReadFile(DataPath("googleplay/reviews_list.json")), "play", kPackage);
  REQUIRE(page.ok());
  CHECK(page->warnings.empty());
  CHECK(page->reviews == 2);
  CHECK(page->next_page_token == "CmQKYAoUZ3A6QU9xcFRPR2xxX3Rlc3QtMDAyEkgKDQiw4M_6BhCAl-LkAxI3");
  REQUIRE(page->mentions.size() == 2);
  const Mention& m = page->mentions[0];
  CHECK(m.source == "play");
  CHECK(m.platform == "googleplay");
  CHECK(m.external_id == "gp:AOqpTOGv0-1Xk9kEcQ2ZrT5vYb3yU7nW1aP4sD6fG8hJ0kL2");
  CHECK(m.url ==
        "https://play.google.com/store/apps/details?id=com.voltwave.ride&reviewId=gp%3AAOqpTOGv0-"
        "1Xk9kEcQ2ZrT5vYb3yU7nW1aP4sD6fG8hJ0kL2");
  CHECK(m.title == "Pairing fails");
  CHECK(m.text == "Since 4.12 the app can't find my Voltwave Go. Reinstalled twice.");
  CHECK(m.author.name == "Lena Fischer");
  CHECK(m.rating == 1);
  CHECK(m.lang == "en");
  CHECK(m.created_at == 1'795'000'000'250);
  CHECK(m.engagement.likes == 7);
  CHECK_THAT(m.raw, Catch::Contains("\"developerComment\""));
  CHECK(page->modified == std::vector<int64_t>{1'795'000'000'250, 1'794'990'000'000});
  CHECK(page->mentions[1].title.empty());
  CHECK(page->mentions[1].text ==
        "Tr\xc3\xa8s bonne appli, la carte est pratique \xf0\x9f\x91\x8d");
  CHECK(page->mentions[1].rating == 5);

  auto empty = ParseGooglePlayReviews(ReadFile(DataPath("googleplay/reviews_empty.json")), "p");
  REQUIRE(empty.ok());
  CHECK(empty->mentions.empty());

  const ConnectorDescriptor* d = FindConnector("googleplay");
  REQUIRE(d != nullptr);
  auto parsed = d->parse(ReadFile(DataPath("googleplay/reviews_list.json")), "saved");
  REQUIRE(parsed.ok());
  CHECK(parsed->size() == 2);
  CHECK((*parsed)[0].url.empty());  // no package offline
}

TEST_CASE("googleplay: error bodies, malformed JSON, invalid UTF-8", "[googleplay]") {
  auto fails = [](std::string_view body, const std::string& message) {
    INFO(body);
    auto page = ParseGooglePlayReviews(body, "p");
    REQUIRE_FALSE(page.ok());
    CHECK(page.status().code() == Status::Code::kParseError);
    CHECK(page.status().message() == message);
  };
  fails(ReadFile(DataPath("googleplay/error_permission_denied.json")),
        "an error, not reviews: permissionDenied (403): The current user has insufficient "
        "permissions to perform the requested operation.");
  fails("", "invalid JSON at byte 0: The document is empty.");
  fails(R"({"reviews":[{"reviewId":"gp:1","comm)",
        "invalid JSON at byte 36: Missing a closing quotation mark in string.");
  fails("[]", "expected a reviews response object, got an array");
  fails(R"({"reviews":7})", "\"reviews\" is a number, not an array");
  fails(R"({"kind":"x"})", "no \"reviews\" array: not a Google Play reviews response");
  auto page = ParseGooglePlayReviews(
      "{\"reviews\":[{\"authorName\":\"x\"},{\"reviewId\":\"gp:2\",\"comments\":[]},"
      "{\"reviewId\":\"gp:3\",\"comments\":[{\"userComment\":{\"text\":\"\\tok \xc3\x28\","
      "\"starRating\":0}}]}]}",
      "p");
  REQUIRE(page.ok());
  CHECK(page->warnings == std::vector<std::string>{"review 0 skipped: no reviewId",
                                                   "review 1 skipped: no userComment"});
  REQUIRE(page->mentions.size() == 1);
  CHECK(page->mentions[0].text == "ok \xef\xbf\xbd(");
  CHECK_FALSE(page->mentions[0].rating.has_value());
  CHECK(page->mentions[0].created_at == 0);
}

TEST_CASE("googleplay: the service-account JWT is signed, verified and exchanged", "[googleplay]") {
  const RsaKeyPem& key = TestRsaKey();
  auto jwt = SignJwtRs256(R"({"iss":"a@b","scope":"s"})", key.private_pem);
  REQUIRE(jwt.ok());
  CHECK(VerifyJwtRs256(*jwt, key.public_pem));
  std::string tampered = *jwt;
  tampered[tampered.find('.') + 2] ^= 1;
  CHECK_FALSE(VerifyJwtRs256(tampered, key.public_pem));
  CHECK(Base64Url("\xfb\xff") == "-_8");
  auto bad = SignJwtRs256("{}", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() == "private_key is not a PEM private key");

  CHECK_FALSE(ParseServiceAccountKey("{}").ok());
  CHECK(ParseServiceAccountKey(R"({"type":"authorized_user"})").status().message() ==
        "the key file is of type \"authorized_user\", not a service_account key");
  CHECK(ParseServiceAccountKey(R"({"client_email":"a@b"})").status().message() ==
        "the service-account key has no PEM private_key");
  TempDir dir;
  auto read = ReadServiceAccountKey(WriteServiceAccountFile(dir, "https://oauth2.example/token"));
  REQUIRE(read.ok());
  CHECK(read->client_email == "earshot@voltwave-care.iam.gserviceaccount.com");
  CHECK(read->token_uri == "https://oauth2.example/token");
  CHECK(read->private_key == key.private_pem);
  CHECK_FALSE(ReadServiceAccountKey(dir.File("absent.json")).ok());

  LocalHttpServer host;
  FakeGoogleTokenEndpoint endpoint(host, "/token", kScope);
  host.Start();
  HttpClient http;
  auto sa = ReadServiceAccountKey(WriteServiceAccountFile(dir, host.Url("/token")));
  REQUIRE(sa.ok());
  GoogleAccessToken tokens(*sa, kScope);
  auto first = tokens.Get(http, nullptr);
  REQUIRE(first.ok());
  CHECK(*first == "ya29.test-1");
  CHECK(*tokens.Get(http, nullptr) == "ya29.test-1");  // cached
  CHECK(tokens.fetches() == 1);
  const auto posted = host.requests();
  REQUIRE(posted.size() == 1);
  CHECK(posted[0].method == "POST");
  CHECK(posted[0].Header("Content-Type") == "application/x-www-form-urlencoded");
  CHECK_THAT(posted[0].body,
             Catch::StartsWith("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
                               "&assertion=ey"));
  CHECK(tokens.Invalidate());
  CHECK(*tokens.Get(http, nullptr) == "ya29.test-2");

  // A token about to expire is fetched again.
  endpoint.ExpiresIn(30);
  CHECK(tokens.Invalidate());
  CHECK(*tokens.Get(http, nullptr) == "ya29.test-3");
  CHECK(*tokens.Get(http, nullptr) == "ya29.test-4");

  // The wrong scope is refused, and the refusal says why without the assertion or the key.
  GoogleAccessToken wrong(*sa, "https://www.googleapis.com/auth/other");
  auto refused = wrong.Get(http, nullptr);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == Status::Code::kHttpError);
  CHECK_THAT(refused.status().message(),
             Catch::StartsWith("access token: HTTP 400 from " + host.Url("/token")));
  CHECK_THAT(refused.status().message(), Catch::Contains(": invalid_grant: Invalid scope."));
  CHECK_THAT(refused.status().message(), !Catch::Contains("eyJ"));

  GoogleAccessToken fixed(std::string("ya29.fixed"));
  CHECK(*fixed.Get(http, nullptr) == "ya29.fixed");
  CHECK_FALSE(fixed.Invalidate());
}

TEST_CASE("googleplay: token pages, then only what is new; a refused token is refreshed",
          "[googleplay]") {
  LocalHttpServer host;
  FakeGoogleTokenEndpoint endpoint(host, "/token", kScope);
  FakePlay play(host, endpoint);
  play.Add(230);
  host.Start();
  TempDir dir;
  const std::string key_file = WriteServiceAccountFile(dir, host.Url("/token"));
  HttpClient http;
  auto source = MakePlay(http, host, key_file, {{"translation_language", "en"}});
  std::atomic<bool> stop{false};

  auto first = source->Poll({}, stop);
  REQUIRE(first.ok());
  CHECK(first->http_status == 200);
  CHECK(first->warnings.empty());
  CHECK(first->mentions.size() == 230);
  CHECK_FALSE(first->has_more);
  CHECK(first->mentions.front().external_id == "gp:r230");
  CHECK(endpoint.issued().size() == 1);
  auto requests = host.requests();
  REQUIRE(requests.size() == 4);  // the token, then three pages
  CHECK(requests[1].path ==
        std::string("/androidpublisher/v3/applications/") + kPackage + "/reviews");
  CHECK(requests[1].Header("Authorization") == "Bearer ya29.test-1");
  CHECK(Param(requests[1], "maxResults") == "100");
  CHECK(Param(requests[1], "translationLanguage") == "en");
  CHECK(Param(requests[1], "token").empty());
  CHECK(Param(requests[2], "token") == "o100");

  auto quiet = source->Poll(first->next_cursor, stop);
  REQUIRE(quiet.ok());
  CHECK(quiet->mentions.empty());
  CHECK(quiet->next_cursor == first->next_cursor);

  // The token is revoked: one 401, a new token, the same request again.
  endpoint.RevokeAll();
  play.Add(2);
  auto second = source->Poll(quiet->next_cursor, stop);
  REQUIRE(second.ok());
  REQUIRE(second->mentions.size() == 2);
  CHECK(second->mentions[0].external_id == "gp:r232");
  CHECK(endpoint.issued().size() == 2);
  CHECK(host.requests().back().Header("Authorization") == "Bearer ya29.test-2");

  // max_pages bounds a poll; the next goes on from the saved page token.
  play.Add(45);
  auto bounded = MakePlay(http, host, key_file, {{"max_results", "10"}, {"max_pages", "2"}});
  std::set<std::string> all;
  std::vector<size_t> sizes;
  SourceCursor cursor = second->next_cursor;
  bool more = true;
  while (more && sizes.size() < 10) {
    auto r = bounded->Poll(cursor, stop);
    REQUIRE(r.ok());
    for (const auto& m : r->mentions)
      CHECK(all.insert(m.external_id).second);
    sizes.push_back(r->mentions.size());
    cursor = r->next_cursor;
    more = r->has_more;
  }
  CHECK(sizes == std::vector<size_t>{20, 20, 5});
  CHECK(all.size() == 45);
}

TEST_CASE("googleplay: auth failures, rate limits, server errors and bad bodies", "[googleplay]") {
  LocalHttpServer host;
  FakeGoogleTokenEndpoint endpoint(host, "/token", kScope);
  FakePlay play(host, endpoint);
  host.server().Get(R"(/limited/applications/[^/]+/reviews)", [](const httplib::Request&,
                                                                 httplib::Response& res) {
    res.status = 429;
    res.set_header("Retry-After", "40");
    res.set_content(
        R"({"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED"}})",
        "application/json");
  });
  host.server().Get(R"(/broken/applications/[^/]+/reviews)",
                    [](const httplib::Request&, httplib::Response& res) {
                      res.status = 500;
                      res.set_content("<html>error</html>", "text/html");
                    });
  host.server().Get(R"(/cut/applications/[^/]+/reviews)",
                    [](const httplib::Request&, httplib::Response& res) {
                      res.set_content(R"({"reviews":[{"revi)", "application/json");
                    });
  host.server().Get(R"(/always401/applications/[^/]+/reviews)", [](const httplib::Request&,
                                                                   httplib::Response& res) {
    res.status = 401;
    res.set_content(
        R"({"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}})",
        "application/json");
  });
  host.Start();
  TempDir dir;
  const std::string key_file = WriteServiceAccountFile(dir, host.Url("/token"));
  HttpClient http;
  std::atomic<bool> stop{false};

  auto denied = MakePlay(http, host, key_file, {{"package_name", "com.other.app"}})->Poll({}, stop);
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.status().code() == Status::Code::kHttpError);
  CHECK_THAT(denied.status().message(), Catch::Contains("permissionDenied (403)"));
  CHECK_THAT(denied.status().message(), Catch::EndsWith("access to this app's reviews)"));
  CHECK_THAT(denied.status().message(), !Catch::Contains("ya29."));

  // A 401 after a fresh token: one retry, then the error.
  const size_t tokens_before = endpoint.issued().size();
  auto unauthenticated =
      MakePlay(http, host, key_file, {{"api_url", host.Url("/always401")}})->Poll({}, stop);
  REQUIRE_FALSE(unauthenticated.ok());
  CHECK_THAT(unauthenticated.status().message(), Catch::Contains("UNAUTHENTICATED (401)"));
  CHECK(endpoint.issued().size() == tokens_before + 2);

  // The token endpoint refuses the key: its reason comes through.
  TempDir other;
  auto bad_key =
      MakePlay(http, host, WriteServiceAccountFile(other, host.Url("/token"), "not-an-email"))
          ->Poll({}, stop);
  REQUIRE_FALSE(bad_key.ok());
  CHECK_THAT(bad_key.status().message(), Catch::StartsWith("access token: HTTP 400 from "));
  CHECK_THAT(bad_key.status().message(), Catch::Contains("invalid_grant: Invalid issuer."));
  CHECK_THAT(bad_key.status().message(), !Catch::Contains("PRIVATE KEY"));

  auto limited_source = MakePlay(http, host, key_file, {{"api_url", host.Url("/limited")}});
  auto limited = limited_source->Poll({}, stop);
  REQUIRE_FALSE(limited.ok());
  CHECK(limited.status().code() == Status::Code::kUnavailable);
  CHECK_THAT(limited.status().message(), Catch::Contains(", retry after 40 s: RESOURCE_EXHAUSTED"));
  CHECK_THAT(limited_source->Poll({}, stop).status().message(),
             Catch::Matches("googleplay: rate limited: next request in (40|39) s"));

  auto broken = MakePlay(http, host, key_file, {{"api_url", host.Url("/broken")}})->Poll({}, stop);
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.status().code() == Status::Code::kHttpError);

  auto cut = MakePlay(http, host, key_file, {{"api_url", host.Url("/cut")}})->Poll({}, stop);
  REQUIRE_FALSE(cut.ok());
  CHECK(cut.status().code() == Status::Code::kParseError);
  CHECK_THAT(cut.status().message(), Catch::Contains(": invalid JSON at byte 18"));
}

TEST_CASE("googleplay: settings", "[googleplay]") {
  HttpClient http;
  TempDir dir;
  const std::string key_file = WriteServiceAccountFile(dir, "https://oauth2.googleapis.com/token");
  auto make = [&](std::map<std::string, std::string> values) {
    SourceSpec spec;
    spec.name = "p";
    for (const auto& [k, v] : values)
      spec.settings.Set(k, v);
    return GooglePlayConnectorDescriptor().create(spec, http);
  };
  CHECK(make({{"package_name", kPackage}, {"service_account_file", key_file}}).ok());
  CHECK_FALSE(make({{"package_name", kPackage}}).ok());
  CHECK_FALSE(make({{"package_name", "com/evil"}, {"service_account_file", key_file}}).ok());
  CHECK_FALSE(make({{"package_name", kPackage},
                    {"service_account_file", dir.Write("bad.json", "{\"type\":\"x\"}")}})
                  .ok());
  CHECK_FALSE(
      make({{"package_name", kPackage}, {"service_account_file", key_file}, {"max_results", "0"}})
          .ok());
}

TEST_CASE("googleplay: recorded Play Developer API bodies parse", "[googleplay][shared]") {
  const std::filesystem::path root = std::string(EARSHOT_SHARED_DIR) + "/fixtures/googleplay";
  if (!std::filesystem::exists(root)) {
    WARN("skipped: " << root << " is absent");
    return;
  }
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".json" || name.find(".meta.json") != std::string::npos) {
      continue;
    }
    const std::string body = ReadFile(entry.path().string());
    if (body.find("\"reviewId\"") == std::string::npos) continue;
    INFO(entry.path());
    auto page = ParseGooglePlayReviews(body, "recorded");
    REQUIRE(page.ok());
    for (const auto& m : page->mentions)
      CHECK(IsValidUtf8(m.text));
    ++files;
  }
  WARN("recorded Google Play review bodies: " << files << " files");
}
