// The web API over real HTTP on loopback, against a WebServer over a real SQLite store in a
// temporary folder: authentication and roles, sessions and CSRF, Host checks, parameters, paging,
// reviews, the case workflow, limits, statistics and escaping.
#include <httplib.h>
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "daemon/web/auth.h"
#include "daemon/web/page_script.h"
#include "daemon/web/web_server.h"
#include "store/sqlite_store.h"
#include "tests/support/temp_dir.h"

using namespace earshot;
using namespace earshot::testing;

namespace {

const std::string kViewerToken = "viewer-token-0123456789";
const std::string kReviewerToken = "reviewer-token-0123456789";
const std::string kCallerToken = "caller-token-0123456789";
const std::string kAdminToken = "admin-token-0123456789";
const std::string kXss = "<script>alert(1)</script>";

httplib::Headers Bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

rapidjson::Document Json(const httplib::Result& res) {
  rapidjson::Document doc;
  REQUIRE(res);
  doc.Parse(res->body.c_str());
  INFO(res->body);
  REQUIRE_FALSE(doc.HasParseError());
  return doc;
}

std::string Str(const rapidjson::Value& v) {
  return v.IsString() ? std::string(v.GetString(), v.GetStringLength()) : std::string();
}

class WebFixture {
 public:
  explicit WebFixture(bool with_tokens = true, const std::string& listen = "127.0.0.1:0",
                      bool secure_cookies = false) {
    auto opened = OpenSqliteStore(dir_.File("web.db"));
    REQUIRE(opened.ok());
    store_ = std::move(opened).value();
    Seed();
    WebOptions options;
    if (with_tokens) {
      options.users = {{"vera", "viewer", web::Sha256(kViewerToken)},
                       {"rita", "reviewer", web::Sha256(kReviewerToken)},
                       {"carl", "caller", web::Sha256(kCallerToken)},
                       {"ada", "admin", web::Sha256(kAdminToken)}};
    }
    options.secure_cookies = secure_cookies;
    web_ = std::make_unique<WebServer>(*store_, options);
    auto started = web_->Start(listen);
    INFO(started.ToString());
    REQUIRE(started.ok());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", web_->port());
  }
  ~WebFixture() { web_->Stop(); }

  Store& store() { return *store_; }
  WebServer& web() { return *web_; }
  httplib::Client& client() { return *client_; }

  int64_t IdOf(const std::string& external_id) {
    auto rows = store_->ListMentions({});
    REQUIRE(rows.ok());
    for (const auto& r : *rows)
      if (r.annotated.mention.external_id == external_id) return r.id;
    FAIL("no mention " << external_id);
    return 0;
  }

  static constexpr int kFlagged = 7;  // flagged mentions seeded

 private:
  static AnnotatedMention Make(const std::string& id, const std::string& author,
                               const std::string& text, std::vector<Label> labels,
                               bool flagged = true) {
    AnnotatedMention a;
    a.mention.source = "samples";
    a.mention.platform = "jsonl";
    a.mention.external_id = id;
    a.mention.text = text;
    a.mention.author.handle = author;
    a.mention.url = "https://example.com/" + id;
    a.labels = std::move(labels);
    a.flagged = flagged;
    if (flagged) a.flag_reason = "label refund";
    return a;
  }

  void Seed() {
    PollCommit c;
    c.source = "samples";
    c.kind = "jsonl";
    const Label refund{"pattern", "refund", 1, {{"pattern:refund#0", {0, 6}, "", 0}}};
    for (int i = 0; i < 4; ++i) {
      c.mentions.push_back(Make("r" + std::to_string(i), "@ann",
                                "refund please #" + std::to_string(i),
                                {refund, {"intent", "refund", 1, {}}, {"language", "en", 1, {}}}));
    }
    c.mentions.push_back(Make("de", "@dora", "Geld zurück bitte",
                              {{"intent", "refund", 1, {}}, {"language", "de", 1, {}}}));
    c.mentions.push_back(
        Make("xss", "@mallory", kXss, {{"intent", "complaint", 1, {{"x", {0, 8}, "", 0}}}}));
    auto churn = Make("churn", "@bob", "I am cancelling my plan",
                      {{"intent", "churn_threat", 1, {}}, {"urgency", "high", 1, {}}});
    churn.open_case = CaseRequest{};
    churn.open_case->rule = "churn";
    churn.open_case->priority = 1;
    churn.open_case->sla_ms = 3600 * 1000;
    churn.open_case->reason = "churn threat from @bob";
    c.mentions.push_back(churn);
    auto quiet = Make("quiet", "@cid", "the delivery was late", {}, false);
    quiet.open_case = CaseRequest{};
    quiet.open_case->rule = "late";
    quiet.open_case->priority = 3;
    quiet.open_case->sla_ms = 24 * 3600 * 1000;
    c.mentions.push_back(quiet);
    REQUIRE(store_->CommitPoll(c).ok());
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<WebServer> web_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace

namespace {

httplib::Headers With(httplib::Headers h, const std::string& name, const std::string& value) {
  h.emplace(name, value);
  return h;
}

httplib::Result PostJson(httplib::Client& c, const std::string& path, const httplib::Headers& h,
                         const std::string& body) {
  return c.Post(path, h, body, "application/json");
}

// The session id from a Set-Cookie header, "" when none.
std::string SessionId(const httplib::Result& res) {
  const std::string cookie = res->get_header_value("Set-Cookie");
  const std::string prefix = "earshot_session=";
  if (cookie.rfind(prefix, 0) != 0) return "";
  return cookie.substr(prefix.size(), cookie.find(';') - prefix.size());
}

}  // namespace

TEST_CASE("web api: no credentials 401, wrong role 403, each role its own actions") {
  WebFixture f;
  auto& c = f.client();
  const std::string review = "/api/mentions/" + std::to_string(f.IdOf("r0")) + "/review";
  auto cases = Json(c.Get("/api/cases?state=all", Bearer(kAdminToken)));
  REQUIRE(cases["cases"].Size() == 2);
  const std::string claim =
      "/api/cases/" + std::to_string(cases["cases"][0]["id"].GetInt64()) + "/claim";

  auto none = c.Get("/api/mentions");
  REQUIRE(none);
  CHECK(none->status == 401);
  CHECK(Str(Json(none)["error"]).find("log in") != std::string::npos);
  CHECK(c.Get("/api/mentions", Bearer("not-a-token-at-all"))->status == 401);
  CHECK(c.Get("/api/mentions", {{"Authorization", "Basic dXNlcjpwYXNz"}})->status == 401);
  CHECK(c.Get("/api/stats")->status == 401);
  CHECK(c.Post(review, "{}", "application/json")->status == 401);

  for (const auto& token : {kViewerToken, kReviewerToken, kCallerToken, kAdminToken}) {
    CHECK(c.Get("/api/mentions", Bearer(token))->status == 200);
    CHECK(c.Get("/api/cases", Bearer(token))->status == 200);
    CHECK(c.Get("/api/stats", Bearer(token))->status == 200);
    CHECK(c.Get("/api/sources", Bearer(token))->status == 200);
  }
  const std::string verdict = R"({"verdict":"confirmed"})";
  auto viewer_review = PostJson(c, review, Bearer(kViewerToken), verdict);
  CHECK(viewer_review->status == 403);
  CHECK(Str(Json(viewer_review)["error"]).find("viewer") != std::string::npos);
  CHECK(PostJson(c, review, Bearer(kCallerToken), verdict)->status == 403);
  CHECK(PostJson(c, review, Bearer(kReviewerToken), verdict)->status == 201);
  CHECK(PostJson(c, review, Bearer(kAdminToken), verdict)->status == 201);

  CHECK(PostJson(c, claim, Bearer(kViewerToken), "{}")->status == 403);
  CHECK(PostJson(c, claim, Bearer(kReviewerToken), "{}")->status == 403);
  CHECK(PostJson(c, claim, Bearer(kCallerToken), "{}")->status == 200);
  CHECK(PostJson(c, claim, Bearer(kAdminToken), "{}")->status == 200);

  auto session = Json(c.Get("/api/session", Bearer(kCallerToken)));
  CHECK(Str(session["name"]) == "carl");
  CHECK(Str(session["role"]) == "caller");
  CHECK(Str(session["auth"]) == "bearer");
  CHECK(session["csrf_token"].IsNull());
  CHECK(session["can"]["work_cases"].GetBool());
  CHECK_FALSE(session["can"]["review"].GetBool());

  // The page's shell and assets carry no data and need no login.
  CHECK(c.Get("/")->status == 200);
  CHECK(c.Get("/assets/app.js")->status == 200);
  CHECK(c.Get("/assets/app.css")->status == 200);
  CHECK(c.Get("/plain")->status == 401);
  CHECK(c.Get("/plain", Bearer(kViewerToken))->status == 200);
}

TEST_CASE("web api: login sets a strict session cookie; changes by cookie need the CSRF token") {
  WebFixture f;
  auto& c = f.client();
  auto login = c.Post("/login", {{"Accept", "application/json"}},
                      httplib::Params{{"token", kReviewerToken}});
  REQUIRE(login);
  REQUIRE(login->status == 200);
  const std::string cookie = login->get_header_value("Set-Cookie");
  CHECK(cookie.find("HttpOnly") != std::string::npos);
  CHECK(cookie.find("SameSite=Strict") != std::string::npos);
  CHECK(cookie.find("Path=/") != std::string::npos);
  CHECK(cookie.find("Max-Age=") != std::string::npos);
  CHECK(cookie.find("Secure") == std::string::npos);  // plain HTTP on loopback would drop it
  const std::string id = SessionId(login);
  REQUIRE(id.size() == 64);
  CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
  auto body = Json(login);
  const std::string csrf = Str(body["csrf_token"]);
  CHECK(csrf.size() == 64);
  CHECK(csrf != id);
  CHECK(Str(body["name"]) == "rita");

  const httplib::Headers by_cookie = {{"Cookie", "earshot_session=" + id}};
  auto session = Json(c.Get("/api/session", by_cookie));
  CHECK(Str(session["auth"]) == "cookie");
  CHECK(Str(session["csrf_token"]) == csrf);

  const std::string review = "/api/mentions/" + std::to_string(f.IdOf("r1")) + "/review";
  const std::string verdict = R"({"verdict":"false_positive"})";
  auto missing = PostJson(c, review, by_cookie, verdict);
  CHECK(missing->status == 403);
  CHECK(Str(Json(missing)["error"]).find("X-CSRF-Token") != std::string::npos);
  CHECK(
      PostJson(c, review, With(by_cookie, "X-CSRF-Token", std::string(64, 'a')), verdict)->status ==
      403);
  auto cross = PostJson(
      c, review, With(With(by_cookie, "X-CSRF-Token", csrf), "Origin", "https://evil.example"),
      verdict);
  CHECK(cross->status == 403);
  CHECK(PostJson(c, review, With(by_cookie, "X-CSRF-Token", csrf), verdict)->status == 201);
  // Bearer requests carry no ambient credentials and need no CSRF token.
  CHECK(PostJson(c, review, Bearer(kReviewerToken), verdict)->status == 201);

  CHECK(c.Post("/logout", by_cookie, "", "application/json")->status == 403);
  auto out = c.Post("/logout", With(by_cookie, "X-CSRF-Token", csrf), "", "application/json");
  REQUIRE(out);
  CHECK(out->status == 200);
  CHECK(out->get_header_value("Set-Cookie").find("Max-Age=0") != std::string::npos);
  CHECK(c.Get("/api/session", by_cookie)->status == 401);
  CHECK(c.Get("/api/session", {{"Cookie", "earshot_session=" + std::string(64, '0')}})->status ==
        401);

  auto bad = c.Post("/login", {{"Accept", "application/json"}},
                    httplib::Params{{"token", "wrong-token-0123456789"}});
  CHECK(bad->status == 401);
  CHECK(SessionId(bad).empty());
  // A form posted by a browser without script lands back on the page.
  auto form = c.Post("/login", {{"Accept", "text/html"}}, httplib::Params{{"token", kViewerToken}});
  CHECK(form->status == 303);
  CHECK(form->get_header_value("Location") == "/");
  CHECK(SessionId(form).size() == 64);
}

TEST_CASE("web api: failed logins are limited per address") {
  WebFixture f;
  auto& c = f.client();
  for (int i = 0; i < 5; ++i) {
    auto r = c.Post("/login", {{"Accept", "application/json"}},
                    httplib::Params{{"token", "guess-" + std::to_string(i) + "-0123456789"}});
    CHECK(r->status == 401);
  }
  auto limited =
      c.Post("/login", {{"Accept", "application/json"}}, httplib::Params{{"token", kAdminToken}});
  REQUIRE(limited);
  CHECK(limited->status == 429);
  CHECK_FALSE(limited->get_header_value("Retry-After").empty());
  CHECK(SessionId(limited).empty());
  // Guessing bearer tokens is the same door.
  CHECK(c.Get("/api/mentions", Bearer(kAdminToken))->status == 429);
}

TEST_CASE("web api: a request for another host name is refused") {
  WebFixture f;
  auto& c = f.client();
  auto evil = c.Get("/api/mentions", With(Bearer(kAdminToken), "Host", "evil.example"));
  REQUIRE(evil);
  CHECK(evil->status == 421);
  CHECK(Str(Json(evil)["error"]).find("evil.example") != std::string::npos);
  CHECK(c.Get("/", {{"Host", "rebind.attacker.example:8080"}})->status == 421);
  CHECK(c.Get("/api/mentions",
              With(Bearer(kAdminToken), "Host", "localhost:" + std::to_string(f.web().port())))
            ->status == 200);
  CHECK(c.Get("/api/mentions", With(Bearer(kAdminToken), "Host", "LOCALHOST"))->status == 200);
  CHECK(c.Get("/healthz", {{"Host", "monitor.internal"}})->status == 200);
}

TEST_CASE("web api: bad parameters answer 400 and unknown ids 404, always as JSON") {
  WebFixture f;
  auto& c = f.client();
  const auto admin = Bearer(kAdminToken);
  for (const char* path :
       {"/api/mentions?limit=abc", "/api/mentions?limit=0", "/api/mentions?limit=5000",
        "/api/mentions?cursor=-3", "/api/mentions?flagged=maybe", "/api/mentions?q=%22unbalanced",
        "/api/mentions?q=AND", "/api/mentions/abc", "/api/mentions/0", "/api/cases?state=bogus",
        "/api/cases?limit=x", "/api/cases/1x"}) {
    auto r = c.Get(path, admin);
    REQUIRE(r);
    INFO(path << " -> " << r->status << " " << r->body);
    CHECK(r->status == 400);
    CHECK(Json(r)["error"].IsString());
  }
  for (const char* path : {"/api/mentions/999999", "/api/cases/999999", "/api/nothing"}) {
    auto r = c.Get(path, admin);
    INFO(path);
    CHECK(r->status == 404);
    CHECK(Json(r)["error"].IsString());
  }
  const std::string review = "/api/mentions/" + std::to_string(f.IdOf("r2")) + "/review";
  CHECK(PostJson(c, review, admin, "{not json")->status == 400);
  CHECK(PostJson(c, review, admin, "[1,2]")->status == 400);
  CHECK(PostJson(c, review, admin, "{}")->status == 400);
  CHECK(PostJson(c, review, admin, R"({"verdict":"maybe"})")->status == 400);
  CHECK(PostJson(c, review, admin, R"({"verdict":7})")->status == 400);
  CHECK(PostJson(c, review, admin, R"({"verdict":"confirmed","note":["x"]})")->status == 400);
  CHECK(PostJson(c, "/api/mentions/999999/review", admin, R"({"verdict":"confirmed"})")->status ==
        404);
  auto cases = Json(c.Get("/api/cases", admin));
  const std::string base = "/api/cases/" + std::to_string(cases["cases"][0]["id"].GetInt64());
  CHECK(PostJson(c, base + "/resolve", admin, R"({"outcome":"happy"})")->status == 400);
  CHECK(PostJson(c, base + "/resolve", admin, "{}")->status == 400);
  CHECK(PostJson(c, base + "/assign", admin, "{}")->status == 400);
  CHECK(PostJson(c, base + "/assign", admin, R"({"assignee":"nobody"})")->status == 400);
  CHECK(PostJson(c, base + "/note", admin, "{}")->status == 400);
  CHECK(PostJson(c, "/api/cases/999999/contacted", admin, "{}")->status == 404);
}

TEST_CASE("web api: mentions page by cursor and filter by intent, language, text and review") {
  WebFixture f;
  auto& c = f.client();
  const auto viewer = Bearer(kViewerToken);
  std::set<int64_t> seen;
  std::string path = "/api/mentions?flagged=true&limit=3";
  int pages = 0;
  int64_t last = INT64_MAX;
  for (;;) {
    auto page = Json(c.Get(path, viewer));
    ++pages;
    for (const auto& m : page["mentions"].GetArray()) {
      CHECK(m["id"].GetInt64() < last);  // newest first, no repeats across pages
      last = m["id"].GetInt64();
      seen.insert(last);
      CHECK(m["flagged"].GetBool());
    }
    if (page["next_cursor"].IsNull()) break;
    REQUIRE(pages < 10);
    path = "/api/mentions?flagged=true&limit=3&cursor=" +
           std::to_string(page["next_cursor"].GetInt64());
  }
  CHECK(seen.size() == WebFixture::kFlagged);
  CHECK(pages == 3);

  CHECK(Json(c.Get("/api/mentions?intent=refund", viewer))["mentions"].Size() == 5);
  CHECK(Json(c.Get("/api/mentions?intent=refund&lang=de", viewer))["mentions"].Size() == 1);
  auto search = Json(c.Get("/api/mentions?q=cancelling", viewer));
  REQUIRE(search["mentions"].Size() == 1);
  CHECK(Str(search["mentions"][0]["mention"]["id"]) == "churn");
  CHECK(Json(c.Get("/api/mentions?source=elsewhere", viewer))["mentions"].Size() == 0);

  const std::string review = "/api/mentions/" + std::to_string(f.IdOf("r3")) + "/review";
  REQUIRE(PostJson(c, review, Bearer(kReviewerToken), R"({"verdict":"confirmed"})")->status == 201);
  auto open = Json(c.Get("/api/mentions?flagged=true&unreviewed=true", viewer));
  CHECK(open["mentions"].Size() == WebFixture::kFlagged - 1);
  for (const auto& m : open["mentions"].GetArray())
    CHECK(Str(m["mention"]["id"]) != "r3");
}

TEST_CASE("web api: a verdict is stored and listed with the mention and its author's others") {
  WebFixture f;
  auto& c = f.client();
  const int64_t id = f.IdOf("r0");
  auto posted =
      PostJson(c, "/api/mentions/" + std::to_string(id) + "/review", Bearer(kReviewerToken),
               R"({"verdict":"false_positive","corrected_label":"question",)"
               R"("note":"asks how refunds work"})");
  REQUIRE(posted->status == 201);
  auto answer = Json(posted);
  REQUIRE(answer["reviews"].Size() == 1);

  auto stored = f.store().GetMention(id);
  REQUIRE(stored.ok());
  REQUIRE(*stored);
  REQUIRE((*stored)->reviews.size() == 1);
  const Review& r = (*stored)->reviews[0];
  CHECK(r.verdict == "false_positive");
  CHECK(r.corrected_label == "question");
  CHECK(r.reviewer == "rita");  // the token's name, not anything the body says
  CHECK(r.note == "asks how refunds work");

  auto detail = Json(c.Get("/api/mentions/" + std::to_string(id), Bearer(kViewerToken)));
  const auto& m = detail["mention"];
  CHECK(m["id"].GetInt64() == id);
  REQUIRE(m["reviews"].Size() == 1);
  CHECK(Str(m["reviews"][0]["verdict"]) == "false_positive");
  CHECK(Str(m["reviews"][0]["reviewer"]) == "rita");
  REQUIRE(m["labels"].Size() == 3);
  CHECK(Str(m["labels"][0]["kind"]) == "pattern");
  REQUIRE(m["labels"][0]["evidence"].Size() == 1);
  CHECK(m["labels"][0]["evidence"][0]["end"].GetInt() == 6);
  CHECK(detail["author_mentions"].Size() == 3);  // @ann's other three
  for (const auto& other : detail["author_mentions"].GetArray())
    CHECK(other["id"].GetInt64() != id);

  auto stats = Json(c.Get("/api/stats", Bearer(kViewerToken)));
  bool found = false;
  for (const auto& p : stats["review_precision"].GetArray()) {
    if (Str(p["kind"]) == "intent" && Str(p["name"]) == "refund") {
      found = true;
      CHECK(p["false_positive"].GetInt() == 1);
      CHECK(p["precision"].GetDouble() == 0.0);
    }
  }
  CHECK(found);
}

TEST_CASE("web api: a case is claimed, contacted and resolved; a closed case refuses moves") {
  WebFixture f;
  auto& c = f.client();
  const auto carl = Bearer(kCallerToken);
  auto list = Json(c.Get("/api/cases", carl));
  REQUIRE(list["cases"].Size() == 2);
  CHECK(list["cases"][0]["priority"].GetInt() == 1);  // by priority, then SLA
  CHECK(list["cases"][1]["priority"].GetInt() == 3);
  CHECK(list["cases"][0]["sla_remaining_ms"].GetInt64() > 0);
  CHECK_FALSE(list["cases"][0]["sla_breached"].GetBool());
  const int64_t id = list["cases"][0]["id"].GetInt64();
  const std::string base = "/api/cases/" + std::to_string(id);
  CHECK(Json(c.Get("/api/cases?assignee=me", carl))["cases"].Size() == 0);

  auto claimed = Json(PostJson(c, base + "/claim", carl, "{}"));
  CHECK(Str(claimed["case"]["state"]) == "assigned");
  CHECK(Str(claimed["case"]["assignee"]) == "carl");
  auto mine = Json(c.Get("/api/cases?assignee=me", carl));
  REQUIRE(mine["cases"].Size() == 1);
  CHECK(mine["cases"][0]["id"].GetInt64() == id);

  auto contacted =
      Json(PostJson(c, base + "/contacted", carl, R"({"note":"called, left a message"})"));
  CHECK(Str(contacted["case"]["state"]) == "contacted");
  auto resolved = PostJson(c, base + "/resolve", carl,
                           R"({"outcome":"resolved","note":"refunded, customer stays"})");
  REQUIRE(resolved->status == 200);
  auto done = Json(resolved);
  CHECK(Str(done["case"]["state"]) == "resolved");
  CHECK(Str(done["case"]["outcome"]) == "resolved");
  CHECK_FALSE(done["case"]["open"].GetBool());
  CHECK(done["case"]["closed_at"].IsString());

  auto again = PostJson(c, base + "/contacted", carl, "{}");
  REQUIRE(again);
  CHECK(again->status == 409);
  CHECK(Str(Json(again)["error"]).find("resolved") != std::string::npos);
  CHECK(PostJson(c, base + "/claim", carl, "{}")->status == 409);
  CHECK(PostJson(c, base + "/resolve", carl, R"({"outcome":"declined"})")->status == 409);
  CHECK(PostJson(c, base + "/note", carl, R"({"note":"sent a voucher too"})")->status == 200);

  auto detail = Json(c.Get(base, Bearer(kViewerToken)));
  std::vector<std::string> actions;
  for (const auto& e : detail["events"].GetArray())
    actions.push_back(Str(e["action"]));
  CHECK(actions == std::vector<std::string>{"opened", "assign", "contacted", "resolved", "note"});
  CHECK(Str(detail["events"][1]["actor"]) == "carl");
  REQUIRE(detail["mentions"].Size() == 1);
  CHECK(Str(detail["mentions"][0]["mention"]["id"]) == "churn");

  CHECK(Json(c.Get("/api/cases", carl))["cases"].Size() == 1);
  CHECK(Json(c.Get("/api/cases?state=closed", carl))["cases"].Size() == 1);
  CHECK(Json(c.Get("/api/cases?state=resolved,new", carl))["cases"].Size() == 2);

  // Assigning to a named user, by an admin.
  const std::string other = "/api/cases/" + std::to_string(list["cases"][1]["id"].GetInt64());
  auto assigned =
      Json(PostJson(c, other + "/assign", Bearer(kAdminToken), R"({"assignee":"carl"})"));
  CHECK(Str(assigned["case"]["assignee"]) == "carl");

  auto stats = Json(c.Get("/api/stats", carl));
  CHECK(stats["open_cases_total"].GetInt() == 1);
  CHECK(stats["open_cases"]["assigned"].GetInt() == 1);
  CHECK(stats["cases_contacted"].GetInt() == 1);
  CHECK(stats["median_first_contact_ms"].IsInt64());
  CHECK(stats["sla_compliance"].GetDouble() == 1.0);
  REQUIRE(stats["daily"].Size() >= 1);
  CHECK(Str(stats["daily"][0]["source"]) == "samples");
  CHECK(stats["daily"][0]["mentions"].GetInt() == 8);
}

TEST_CASE("web api: a request body over 64 KiB is refused with 413") {
  WebFixture f;
  auto& c = f.client();
  const std::string review = "/api/mentions/" + std::to_string(f.IdOf("r0")) + "/review";
  const std::string big =
      R"({"verdict":"confirmed","note":")" + std::string(70 * 1024, 'x') + R"("})";
  auto r = PostJson(c, review, Bearer(kReviewerToken), big);
  REQUIRE(r);
  CHECK(r->status == 413);
  auto stored = f.store().GetMention(f.IdOf("r0"));
  CHECK((*stored)->reviews.empty());
  // A body under the limit is read.
  const std::string fits = R"({"verdict":"confirmed","note":")" + std::string(3000, 'x') + R"("})";
  CHECK(PostJson(c, review, Bearer(kReviewerToken), fits)->status == 201);
}

TEST_CASE("web api: mention text is escaped in HTML and never markup in JSON") {
  WebFixture f;
  auto& c = f.client();
  const int64_t id = f.IdOf("xss");
  auto r = c.Get("/api/mentions/" + std::to_string(id), Bearer(kViewerToken));
  REQUIRE(r);
  REQUIRE(r->status == 200);
  CHECK(r->get_header_value("Content-Type").rfind("application/json", 0) == 0);
  CHECK(r->get_header_value("X-Content-Type-Options") == "nosniff");
  CHECK(r->body.find('<') == std::string::npos);
  CHECK(r->body.find("\\u003cscript\\u003e") != std::string::npos);
  CHECK(Str(Json(r)["mention"]["mention"]["text"]) == kXss);  // the text itself is intact
  auto list = c.Get("/api/mentions?limit=100", Bearer(kViewerToken));
  CHECK(list->body.find("<script") == std::string::npos);

  auto plain = c.Get("/plain", Bearer(kViewerToken));
  REQUIRE(plain->status == 200);
  CHECK(plain->body.find("<script>alert") == std::string::npos);
  // Its evidence span covers "<script>": highlighted, and escaped inside the mark too.
  CHECK(plain->body.find("<mark>&lt;script&gt;</mark>alert(1)&lt;/script&gt;") !=
        std::string::npos);
  CHECK(plain->body.find("<mark>refund</mark>") != std::string::npos);

  auto page = c.Get("/");
  const std::string csp = page->get_header_value("Content-Security-Policy");
  CHECK(csp.find("script-src 'self'") != std::string::npos);
  CHECK(csp.find("unsafe-inline") == std::string::npos);
  CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(page->body.find("<script src=\"/assets/app.js\"") != std::string::npos);
  CHECK(page->body.find("<script>") == std::string::npos);  // nothing inline
  CHECK(page->body.find("style=") == std::string::npos);

  // The page's script puts mention text into the page as text only.
  const std::string js = c.Get("/assets/app.js")->body;
  CHECK(js == kAppJs);
  for (const char* sink : {"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                           "eval(", "new Function", "createContextualFragment"}) {
    INFO(sink);
    CHECK(js.find(sink) == std::string::npos);
  }
  CHECK(js.find("textContent") != std::string::npos);
}

TEST_CASE("web api: without tokens the demo is open as admin, on loopback only") {
  WebFixture f(false, "0.0.0.0:0");
  CHECK(f.web().host() == "127.0.0.1");
  auto& c = f.client();
  auto session = Json(c.Get("/api/session"));
  CHECK(Str(session["role"]) == "admin");
  CHECK(Str(session["auth"]) == "open");
  const std::string csrf = Str(session["csrf_token"]);
  REQUIRE(csrf.size() == 64);
  CHECK(c.Get("/api/mentions")->status == 200);
  const std::string review = "/api/mentions/" + std::to_string(f.IdOf("r0")) + "/review";
  // A page on another site could post here: changes still need the CSRF token.
  CHECK(PostJson(c, review, {}, R"({"verdict":"confirmed"})")->status == 403);
  auto ok = PostJson(c, review, {{"X-CSRF-Token", csrf}}, R"({"verdict":"confirmed"})");
  REQUIRE(ok->status == 201);
  CHECK(Str(Json(ok)["reviews"][0]["reviewer"]) == "demo");
  CHECK(c.Get("/api/mentions", {{"Host", "evil.example"}})->status == 421);
}

TEST_CASE("web api: a case shows the CRM's contact details and a suggested opening") {
  WebFixture f;
  auto& c = f.client();
  const auto carl = Bearer(kCallerToken);
  Customer bob;
  bob.crm_id = "C-7";
  bob.name = "Bob Stone";
  bob.phone = "+1 555 0100";
  bob.identities = {"jsonl:bob"};
  REQUIRE(f.store().UpsertCustomer(bob).ok());
  auto list = Json(c.Get("/api/cases", carl));
  REQUIRE(list["cases"].Size() == 2);
  const auto& first = list["cases"][0];
  REQUIRE(first["customer"].IsObject());
  CHECK(Str(first["customer"]["name"]) == "Bob Stone");
  CHECK(Str(first["customer"]["phone"]) == "+1 555 0100");
  CHECK(Str(first["customer"]["identities"][0]) == "jsonl:bob");
  CHECK(list["cases"][1]["customer"].IsNull());

  auto one = Json(c.Get("/api/cases/" + std::to_string(first["id"].GetInt64()), carl));
  CHECK(Str(one["suggested_opening"]).starts_with("Hello Bob Stone, I'm calling from customer"));
}

TEST_CASE("web api: customers are found by any identity and linked by callers") {
  WebFixture f;
  auto& c = f.client();
  const auto carl = Bearer(kCallerToken);
  const auto vera = Bearer(kViewerToken);
  CHECK(c.Get("/api/customers/jsonl:bob", carl)->status == 404);
  CHECK(
      PostJson(c, "/api/customers/link", vera, R"({"identities":["jsonl:bob","x:bob"]})")->status ==
      403);
  CHECK(PostJson(c, "/api/customers/link", carl, R"({"identities":"jsonl:bob"})")->status == 400);
  CHECK(PostJson(c, "/api/customers/link", carl, R"({"identities":["bob","x:bob"]})")->status ==
        400);
  auto linked = PostJson(c, "/api/customers/link", carl, R"({"identities":["jsonl:bob","x:bob"]})");
  REQUIRE(linked->status == 200);
  auto body = Json(linked);
  CHECK(body["customer"]["identities"].Size() == 2);
  REQUIRE(body["cases"].Size() == 1);  // bob's open case moved to the customer
  CHECK(Str(body["cases"][0]["reason"]) == "churn threat from @bob");
  auto found = Json(c.Get("/api/customers/x:bob", vera));
  CHECK(found["customer"]["id"].GetInt64() == body["customer"]["id"].GetInt64());
  CHECK(found["cases"].Size() == 1);
}

TEST_CASE("web api: behind an HTTPS proxy the session cookie is Secure") {
  WebFixture f(true, "127.0.0.1:0", true);
  auto login = f.client().Post("/login", {{"Accept", "application/json"}},
                               httplib::Params{{"token", kCallerToken}});
  REQUIRE(login);
  REQUIRE(login->status == 200);
  const std::string cookie = login->get_header_value("Set-Cookie");
  CHECK(cookie.find("; Secure") != std::string::npos);
  CHECK(cookie.find("HttpOnly") != std::string::npos);
  const std::string id = SessionId(login);
  auto session = Json(f.client().Get("/api/session", {{"Cookie", "earshot_session=" + id}}));
  const std::string csrf = Str(session["csrf_token"]);
  auto out =
      f.client().Post("/logout", {{"Cookie", "earshot_session=" + id}, {"X-CSRF-Token", csrf}}, "",
                      "application/json");
  REQUIRE(out);
  CHECK(out->get_header_value("Set-Cookie").find("; Secure; Max-Age=0") != std::string::npos);
}

TEST_CASE("web api: an edited and a deleted mention show their edit, revisions and deletion") {
  WebFixture f;
  auto& c = f.client();
  PollCommit edit;
  edit.source = "samples";
  edit.kind = "jsonl";
  edit.polled_at = 1'800'000'000'000;
  AnnotatedMention changed;
  changed.mention.platform = "jsonl";
  changed.mention.external_id = "r1";
  changed.mention.author.handle = "@ann";
  changed.mention.text = "refund please, still nothing";
  changed.mention.edited_at = 1'799'999'000'000;
  AnnotatedMention gone;
  gone.mention.platform = "jsonl";
  gone.mention.external_id = "r2";
  gone.mention.deleted = true;
  edit.mentions = {changed, gone};
  auto summary = f.store().CommitPoll(edit);
  REQUIRE(summary.ok());
  REQUIRE(summary->edited == 1);
  REQUIRE(summary->deleted == 1);

  auto detail = Json(c.Get("/api/mentions/" + std::to_string(f.IdOf("r1")), Bearer(kViewerToken)));
  const auto& m = detail["mention"];
  CHECK(Str(m["edited_at"]) == FormatRfc3339(1'799'999'000'000));
  CHECK(m["deleted"].GetBool() == false);
  CHECK(m["deleted_at"].IsNull());
  CHECK(Str(m["mention"]["text"]) == "refund please, still nothing");
  CHECK(Str(m["mention"]["edited_at"]) == FormatRfc3339(1'799'999'000'000));
  REQUIRE(m["revisions"].Size() == 1);
  CHECK(Str(m["revisions"][0]["text"]) == "refund please #1");
  CHECK(m["revisions"][0]["flagged"].GetBool());
  CHECK(m["revisions"][0]["edited_at"].IsNull());
  CHECK(Str(m["revisions"][0]["replaced_at"]) == FormatRfc3339(1'800'000'000'000));
  // Only one mention's page lists its revisions.
  for (const auto& other : detail["author_mentions"].GetArray())
    CHECK_FALSE(other.HasMember("revisions"));

  auto deleted = Json(c.Get("/api/mentions/" + std::to_string(f.IdOf("r2")), Bearer(kViewerToken)));
  CHECK(deleted["mention"]["deleted"].GetBool());
  CHECK(Str(deleted["mention"]["deleted_at"]) == FormatRfc3339(1'800'000'000'000));
  CHECK(Str(deleted["mention"]["mention"]["text"]) == "refund please #2");  // the record stays
  CHECK(deleted["mention"]["mention"]["deleted"].GetBool());
}
