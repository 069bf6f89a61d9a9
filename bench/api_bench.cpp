// API latency with a large store: fills a fresh SQLite store with realistic mentions through the
// real Store API (CommitPoll in batches, as the pipeline does), serves it with the real WebServer
// on loopback with bearer tokens, and times the endpoints the page and scripts call most over
// HTTP with httplib's client, one request after another. Prints one table.
//
// usage: api_bench [--mentions N] [--requests N] [--warmup N] [--db PATH] [--keep-alive]
//                  [--only SUBSTRING]
//   --db PATH keeps the store there and, when it already holds mentions, times it as it is
//   (no ingestion): for EXPLAIN QUERY PLAN with the sqlite3 CLI and for before/after runs.
//   --keep-alive sends every request over one connection, as a browser does; by default each
//   request opens its own, as curl in a script does.
//   --only times only the endpoints whose name contains SUBSTRING.
#include <httplib.h>
#include <rapidjson/document.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "daemon/web/auth.h"
#include "daemon/web/web_server.h"
#include "store/sqlite_store.h"

namespace earshot {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr int kBatch = 500;
constexpr int kHistoryDays = 180;  // the mentions span half a year; /api/stats reads 30 days
constexpr const char* kUsage =
    "usage: api_bench [--mentions N] [--requests N] [--warmup N] [--db PATH] [--keep-alive] "
    "[--only SUBSTRING]";
const std::string kToken = "bench-viewer-token-0123456789abcdef";
const std::string kAdminToken = "bench-admin-token-0123456789abcdef";

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// One kind of thing customers write, with the labels the classifiers would give it and the
// words that are their evidence.
struct Body {
  const char* text;
  const char* sentiment;  // negative neutral positive
  double score;
  const char* sentiment_cue;
  const char* intent;  // "" for none
  const char* intent_cue;
  const char* topic;  // "" for none
  const char* topic_cue;
};

struct Language {
  const char* code;
  double share;
  std::vector<const char*> openers;
  const char* order_word;
  std::vector<const char*> fillers;
  std::vector<Body> bodies;
};

const std::vector<Language>& Languages() {
  static const std::vector<Language> langs = {
      {"en",
       0.5,
       {"Voltwave", "@voltwave", "Hey Voltwave,", "So Voltwave", "Dear Voltwave team,"},
       "order",
       {"", " Third time this month.", " Really disappointed.", " Any update?",
        " Posting here because the hotline keeps me on hold for an hour."},
       {{"my bill doubled this month and I want a refund now", "negative", -0.6, "doubled",
         "refund", "refund", "billing", "bill"},
        {"internet has been down since this morning, nobody answers the support line", "negative",
         -0.7, "down", "complaint", "down", "product_quality", "internet"},
        {"does roaming work in Canada with the basic plan?", "neutral", 0.0, "", "question", "does",
         "pricing", "plan"},
        {"support was quick and friendly today, thank you", "positive", 0.8, "friendly", "praise",
         "thank you", "staff_service", "support"},
        {"I'm cancelling my contract and switching to another provider", "negative", -0.5,
         "cancelling", "churn_threat", "switching to another provider", "billing", "contract"},
        {"the app logs me out every single day, so annoying", "negative", -0.6, "annoying",
         "complaint", "logs me out", "app_website", "app"},
        {"my router started smoking after the firmware update", "negative", -0.8, "smoking",
         "safety", "smoking", "product_quality", "router"},
        {"I will report you to the regulator and see you in court", "negative", -0.9, "court",
         "legal_threat", "see you in court", "", ""},
        {"delivery of my new phone is two weeks late", "negative", -0.5, "late", "complaint",
         "late", "delivery", "delivery"},
        {"prices went up again, a new customer gets a better deal than me", "negative", -0.4,
         "better deal", "complaint", "prices went up", "pricing", "prices"},
        {"thinking about upgrading to fibre, any experiences?", "neutral", 0.1, "", "question",
         "any experiences?", "product_quality", "fibre"},
        {"everyone should know how badly they treat customers, sharing this everywhere", "negative",
         -0.7, "badly", "public_escalation", "sharing this everywhere", "staff_service",
         "treat customers"},
        {"the new coverage map is great, 5G works even at my cottage", "positive", 0.7, "great",
         "praise", "great", "product_quality", "coverage"},
        {"can't log in to my account, password reset mail never arrives", "negative", -0.4,
         "never arrives", "complaint", "can't log in", "account_login", "log in"}}},
      {"ru",
       0.2,
       {"Voltwave,", "@voltwave", "Эй, Voltwave,", "Вольтвейв,"},
       "заказ",
       {"", " Уже третий раз.", " Очень разочарован.", " Когда ответите?"},
       {{"верните деньги за месяц, интернет не работает уже третий день", "negative", -0.7,
         "не работает", "refund", "верните деньги", "product_quality", "интернет"},
        {"спасибо за быструю помощь в чате, всё решили", "positive", 0.8, "спасибо", "praise",
         "спасибо", "staff_service", "чате"},
        {"как подключить роуминг в Турции?", "neutral", 0.0, "", "question", "как", "pricing",
         "роуминг"},
        {"ухожу к другому оператору, надоело", "negative", -0.6, "надоело", "churn_threat",
         "ухожу к другому оператору", "", ""},
        {"приложение опять не открывается после обновления", "negative", -0.5, "не открывается",
         "complaint", "не открывается", "app_website", "приложение"},
        {"курьер так и не привёз заказ, жду неделю", "negative", -0.5, "не привёз", "complaint",
         "не привёз", "delivery", "курьер"},
        {"подам жалобу в суд, если не вернут деньги", "negative", -0.8, "жалобу", "legal_threat",
         "в суд", "billing", "деньги"},
        {"связь отличная, даже в метро", "positive", 0.6, "отличная", "", "", "product_quality",
         "связь"}}},
      {"pl",
       0.15,
       {"Voltwave,", "@voltwave", "Halo Voltwave,"},
       "zamówienie",
       {"", " Już trzeci raz.", " Jestem rozczarowany.", " Kiedy odpowiecie?"},
       {{"świetna obsługa w salonie, polecam", "positive", 0.8, "świetna", "praise", "polecam",
         "staff_service", "obsługa"},
        {"faktura znowu za wysoka, chcę zwrot pieniędzy", "negative", -0.6, "za wysoka", "refund",
         "zwrot pieniędzy", "billing", "faktura"},
        {"czy ktoś wie, jak zmienić taryfę w aplikacji?", "neutral", 0.0, "", "question", "czy",
         "app_website", "aplikacji"},
        {"internet nie działa od rana, dramat", "negative", -0.7, "dramat", "complaint",
         "nie działa", "product_quality", "internet"},
        {"rezygnuję z umowy, przechodzę do konkurencji", "negative", -0.5, "rezygnuję",
         "churn_threat", "przechodzę do konkurencji", "billing", "umowy"},
        {"paczka z telefonem utknęła w sortowni od tygodnia", "negative", -0.4, "utknęła",
         "complaint", "utknęła", "delivery", "paczka"}}},
      {"de",
       0.15,
       {"Voltwave,", "@voltwave", "Hallo Voltwave,"},
       "Bestellung",
       {"", " Schon wieder.", " Sehr enttäuschend.", " Wann kommt eine Antwort?"},
       {{"die Lieferung kam nie an, ich will mein Geld zurück", "negative", -0.6, "nie an",
         "refund", "Geld zurück", "delivery", "Lieferung"},
        {"super schneller Support, danke!", "positive", 0.8, "super", "praise", "danke",
         "staff_service", "Support"},
        {"wie kann ich meinen Tarif wechseln?", "neutral", 0.0, "", "question", "wie", "pricing",
         "Tarif"},
        {"seit gestern kein Netz, völlig inakzeptabel", "negative", -0.8, "inakzeptabel",
         "complaint", "kein Netz", "product_quality", "Netz"},
        {"ich kündige meinen Vertrag zum Monatsende", "negative", -0.5, "kündige", "churn_threat",
         "kündige", "billing", "Vertrag"},
        {"die App stürzt bei jedem Login ab", "negative", -0.5, "stürzt", "complaint", "stürzt",
         "account_login", "Login"},
        {"das Ladegerät ist heiß geworden und hat geraucht", "negative", -0.8, "geraucht", "safety",
         "geraucht", "product_quality", "Ladegerät"}}},
  };
  return langs;
}

struct SourceSpec {
  const char* name;
  const char* kind;
  bool has_lang;    // the platform says the post's language
  bool has_rating;  // review sites
};

const std::vector<SourceSpec> kSources = {
    {"x-brand", "x", true, false},
    {"reddit-brand", "reddit", false, false},
    {"mastodon-tag", "mastodon", true, false},
    {"trustpilot", "trustpilot", false, true},
    {"appstore-us", "appstore", false, true},
    {"forum", "discourse", false, false},
};

Evidence Cue(const std::string& text, const std::string& cue, const std::string& source,
             double weight) {
  Evidence e;
  e.source = source;
  e.weight = weight;
  size_t at = cue.empty() ? std::string::npos : text.find(cue);
  if (at != std::string::npos) e.span = {at, at + cue.size()};
  return e;
}

class Generator {
 public:
  Generator() : rng_(20240611) {}

  // Mention `i` from the source `src` (one poll reads one source), stored at `stored_at`.
  AnnotatedMention Make(int i, const SourceSpec& src, UnixMillis stored_at) {
    const Language& lang = PickLanguage();
    const Body* pick = &lang.bodies[Pick(lang.bodies.size())];
    // Safety and legal threats are rarer than the templates' share.
    const std::string first_intent = pick->intent;
    if ((first_intent == "safety" || first_intent == "legal_threat") && Uniform() < 0.85) {
      pick = &lang.bodies[Pick(lang.bodies.size())];
    }
    const Body& body = *pick;
    AnnotatedMention a;
    Mention& m = a.mention;
    m.source = src.name;
    m.platform = src.kind;
    m.external_id = std::string(src.kind) + "-" + std::to_string(i);
    m.url = "https://" + std::string(src.kind) + ".example/p/" + std::to_string(i);
    // Repeat posters: a few authors write a lot, most once or twice.
    const double u = Uniform();
    const int author = static_cast<int>(40000 * u * u);
    m.author.handle = "@user" + std::to_string(author);
    m.author.id = std::to_string(100000 + author);
    m.author.name = "User " + std::to_string(author);
    if (Uniform() < 0.7) m.author.followers = static_cast<int64_t>(std::exp(Uniform() * 10));
    const std::string opener = lang.openers[Pick(lang.openers.size())];
    const std::string filler = lang.fillers[Pick(lang.fillers.size())];
    m.text = opener + " " + body.text + " (" + lang.order_word + " " +
             std::to_string(100000 + (i * 7919) % 900000) + ")" + filler;
    if (std::string(src.kind) == "discourse" || std::string(src.kind) == "reddit") {
      m.title = std::string(body.text).substr(0, 30);
    }
    if (src.has_lang) m.lang = lang.code;
    if (src.has_rating) {
      m.rating = body.score < -0.3 ? 1.0 + static_cast<double>(Pick(2)) : body.score > 0.3 ? 5 : 3;
    }
    m.created_at =
        std::max<UnixMillis>(1, stored_at - static_cast<int64_t>(Uniform() * 6 * 3600e3));
    m.fetched_at = stored_at;
    m.engagement = {static_cast<int64_t>(Pick(50)), static_cast<int64_t>(Pick(10)),
                    static_cast<int64_t>(Pick(5))};

    a.labels.push_back({"language", lang.code, 0.9, {{"script+stopwords", {}, "", 0.9}}});
    a.labels.push_back(
        {"sentiment",
         body.sentiment,
         body.score,
         {Cue(m.text, body.sentiment_cue,
              std::string("lexicon:") + lang.code + ":" + body.sentiment_cue, body.score)}});
    const std::string intent = body.intent;
    if (!intent.empty()) {
      a.labels.push_back(
          {"intent", intent, 1.0, {Cue(m.text, body.intent_cue, "pattern:" + intent + "#0", 1)}});
    }
    if (*body.topic) {
      a.labels.push_back({"topic",
                          body.topic,
                          1.0,
                          {Cue(m.text, body.topic_cue, std::string("topic:") + body.topic, 1)}});
    }
    std::string urgency = body.score > 0.3 ? "low" : "normal";
    if (intent == "safety" || intent == "legal_threat") {
      urgency = "critical";
    } else if (body.score < 0 && Uniform() < 0.2) {
      urgency = "high";
    }
    a.labels.push_back(
        {"urgency",
         urgency,
         1.0,
         {{"rule:urgency:" + (intent.empty() ? std::string("sentiment") : intent), {}, "", 1}}});
    if (intent == "refund") {
      a.labels.push_back(
          {"pattern", "refund", 1.0, {Cue(m.text, body.intent_cue, "pattern:refund#0", 1)}});
    }
    if (urgency == "high" || urgency == "critical") {
      a.flagged = true;
      a.flag_reason = "urgency " + urgency;
    } else if (intent == "refund" && Uniform() < 0.1) {
      a.flagged = true;
      a.flag_reason = "label refund";
    }
    if (a.flagged && (urgency == "critical" || intent == "churn_threat" || Uniform() < 0.15)) {
      CaseRequest c;
      c.rule = intent.empty() ? "urgent" : intent;
      c.queue = intent == "refund" ? "billing" : "default";
      c.priority = urgency == "critical" ? 1 : 2;
      c.sla_ms = urgency == "critical" ? 3600 * 1000 : 4 * 3600 * 1000;
      c.reason = std::string(body.intent) + ": " + body.text;
      if (std::string(lang.code) != "en") c.skills.push_back(lang.code);
      a.open_case = c;
    }
    return a;
  }

  double Uniform() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

 private:
  const Language& PickLanguage() {
    double u = Uniform();
    for (const auto& l : Languages()) {
      if (u < l.share) return l;
      u -= l.share;
    }
    return Languages().front();
  }

  std::mt19937_64 rng_;
};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "api_bench: %s\n", what.c_str());
  std::exit(1);
}

// Callers work the cases a poll opened (ids first_id on: ids are given in order): most are
// contacted and closed; of the last days' cases, some still wait.
void WorkCases(Store& store, Generator& gen, int64_t first_id, int opened, UnixMillis opened_at,
               bool recent, int* worked) {
  static const char* kCallers[] = {"carl", "cleo", "chen"};
  const double waiting = recent ? 0.25 : 0.01;
  for (int64_t id = first_id; id < first_id + opened; ++id) {
    if (gen.Uniform() < waiting) continue;  // stays new
    CaseUpdate u;
    u.id = id;
    u.actor = kCallers[gen.Pick(3)];
    u.action = "assign";
    u.assignee = u.actor;
    u.at = opened_at + static_cast<int64_t>(gen.Uniform() * 3600e3);
    if (Status s = store.UpdateCase(u); !s.ok()) Die(s.ToString());
    ++*worked;
    if (gen.Uniform() < waiting) continue;  // assigned
    u.action = "contacted";
    u.note = "called, left a message";
    u.at += static_cast<int64_t>(gen.Uniform() * 6 * 3600e3);
    if (Status s = store.UpdateCase(u); !s.ok()) Die(s.ToString());
    if (gen.Uniform() < waiting) continue;  // contacted
    const double r = gen.Uniform();
    u.action = r < 0.7 ? "resolved" : r < 0.9 ? "no_response" : "declined";
    u.outcome = u.action;
    u.note = "done";
    u.at += static_cast<int64_t>(gen.Uniform() * 24 * 3600e3);
    if (Status s = store.UpdateCase(u); !s.ok()) Die(s.ToString());
  }
}

struct Filled {
  double insert_seconds = 0;
  int inserted = 0, flagged = 0, cases = 0, case_updates = 0, reviews = 0;
};

Filled Fill(Store& store, int n) {
  Filled f;
  const UnixMillis end = NowMillis();
  const UnixMillis start = end - kHistoryDays * kDayMs;
  const int batches = (n + kBatch - 1) / kBatch;
  Generator gen;
  Clock::duration insert_time{};
  for (int b = 0; b < batches; ++b) {
    const SourceSpec& src = kSources[static_cast<size_t>(b) % kSources.size()];
    PollCommit commit;
    commit.source = src.name;
    commit.kind = src.kind;
    commit.polled_at = start + (end - start) * (b + 1) / batches - 60000;
    commit.next_cursor.position = std::to_string(b);
    for (int i = b * kBatch; i < std::min(n, (b + 1) * kBatch); ++i)
      commit.mentions.push_back(gen.Make(i, src, commit.polled_at));
    const auto t0 = Clock::now();
    auto summary = store.CommitPoll(commit);
    insert_time += Clock::now() - t0;
    if (!summary.ok()) Die(summary.status().ToString());
    f.inserted += summary->inserted;
    f.flagged += summary->flagged;
    WorkCases(store, gen, f.cases + 1, summary->cases_opened, commit.polled_at,
              commit.polled_at > end - 3 * kDayMs, &f.case_updates);
    f.cases += summary->cases_opened;
  }
  f.insert_seconds = Seconds(insert_time);
  // Reviewers have worked through most of the older flagged mentions, none of the newest.
  MentionQuery q;
  q.flagged_only = true;
  q.limit = 1000;
  static const char* kVerdicts[] = {"confirmed", "confirmed", "confirmed", "false_positive",
                                    "not_relevant"};
  for (int page = 0;; ++page) {
    auto rows = store.ListMentions(q);
    if (!rows.ok()) Die(rows.status().ToString());
    if (rows->empty()) break;
    for (const auto& row : *rows) {
      if (row.stored_at > end - 14 * kDayMs || gen.Uniform() < 0.3) continue;
      Review r;
      r.mention_id = row.id;
      r.verdict = kVerdicts[gen.Pick(5)];
      r.reviewer = gen.Uniform() < 0.5 ? "rita" : "rolf";
      r.at = row.stored_at + 3600 * 1000;
      if (Status s = store.AddReview(r); !s.ok()) Die(s.ToString());
      ++f.reviews;
    }
    q.before_id = rows->back().id;
  }
  return f;
}

struct Endpoint {
  std::string name;
  std::vector<std::string> paths;  // requested in turn
};

struct Figures {
  double median, p90, p99, max;
  size_t rows;
  size_t bytes;
};

double Percentile(const std::vector<double>& sorted, double p) {
  size_t k = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(k, 1, sorted.size()) - 1];
}

// The rows of an answer: the lengths of its top-level arrays (mentions, cases, daily...).
size_t CountRows(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.c_str());
  size_t n = 0;
  if (!doc.IsObject()) return n;
  for (const auto& member : doc.GetObject())
    if (member.value.IsArray()) n += member.value.Size();
  return n;
}

Figures Measure(httplib::Client& client, const Endpoint& e, int warmup, int requests) {
  std::vector<double> ms;
  size_t bytes = 0, rows = 0;
  for (int i = 0; i < warmup + requests; ++i) {
    const std::string& path = e.paths[static_cast<size_t>(i) % e.paths.size()];
    const auto t0 = Clock::now();
    auto res = client.Get(path);
    const double took = Seconds(Clock::now() - t0) * 1000;
    if (!res) Die("GET " + path + ": " + httplib::to_string(res.error()));
    if (res->status != 200) {
      Die("GET " + path + ": " + std::to_string(res->status) + " " + res->body.substr(0, 300));
    }
    if (i < warmup) continue;
    ms.push_back(took);
    bytes = std::max(bytes, res->body.size());
    rows = std::max(rows, CountRows(res->body));
  }
  std::sort(ms.begin(), ms.end());
  return {Percentile(ms, 0.5), Percentile(ms, 0.9), Percentile(ms, 0.99), ms.back(), rows, bytes};
}

uintmax_t FileSize(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : size;
}

int Main(int argc, char** argv) {
  int mentions = 100000, requests = 200, warmup = 20;
  bool keep_alive = false;
  std::string db_path, only;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--mentions") {
      mentions = std::atoi(next().c_str());
    } else if (arg == "--requests") {
      requests = std::atoi(next().c_str());
    } else if (arg == "--warmup") {
      warmup = std::atoi(next().c_str());
    } else if (arg == "--db") {
      db_path = next();
    } else if (arg == "--keep-alive") {
      keep_alive = true;
    } else if (arg == "--only") {
      only = next();
    } else {
      Die(kUsage);
    }
  }
  if (mentions < kBatch || requests < 1 || warmup < 0) Die("bad --mentions or --requests");
  spdlog::set_level(spdlog::level::warn);

  std::string temp_dir;
  if (db_path.empty()) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "earshot-api-bench-XXXXXX");
    if (!mkdtemp(tmpl.data())) Die("cannot create a temporary folder");
    temp_dir = tmpl;
    db_path = temp_dir + "/bench.db";
  }

  {
    auto opened = OpenSqliteStore(db_path);
    if (!opened.ok()) Die(opened.status().ToString());
    auto existing = (*opened)->CountMentions(false);
    if (!existing.ok()) Die(existing.status().ToString());
    if (*existing == 0) {
      std::printf("filling %s with %d mentions (CommitPoll, batches of %d)...\n", db_path.c_str(),
                  mentions, kBatch);
      std::fflush(stdout);
      Filled f = Fill(**opened, mentions);
      std::printf(
          "inserted %d mentions in %.1f s (%.0f mentions/s, CommitPoll time only); %d flagged "
          "(%.1f%%), %d cases opened, %d worked, %d reviews\n",
          f.inserted, f.insert_seconds, f.inserted / f.insert_seconds, f.flagged,
          100.0 * f.flagged / std::max(1, f.inserted), f.cases, f.case_updates, f.reviews);
    } else {
      std::printf("timing the existing store %s: %lld mentions\n", db_path.c_str(),
                  static_cast<long long>(*existing));
    }
  }  // closed: the WAL is checkpointed into the database file
  std::printf("database size: %.1f MiB\n",
              static_cast<double>(FileSize(db_path) + FileSize(db_path + "-wal")) / (1 << 20));

  auto opened = OpenSqliteStore(db_path);
  if (!opened.ok()) Die(opened.status().ToString());
  Store& store = **opened;

  // What to ask for: a deep cursor half-way down, a mention by the most prolific authors.
  const int64_t total = *store.CountMentions(false);
  std::vector<std::string> detail_paths;
  MentionQuery newest;
  newest.limit = 1000;
  auto rows = store.ListMentions(newest);
  if (!rows.ok()) Die(rows.status().ToString());
  for (int author = 0; author < 10; ++author) {
    for (const auto& r : *rows) {
      if (r.annotated.mention.author.handle == "@user" + std::to_string(author)) {
        detail_paths.push_back("/api/mentions/" + std::to_string(r.id));
        break;
      }
    }
  }
  if (detail_paths.empty()) Die("no mention by a repeat poster");

  WebOptions options;
  options.users = {{"vera", "viewer", web::Sha256(kToken)},
                   {"ada", "admin", web::Sha256(kAdminToken)}};
  WebServer server(store, options);
  if (Status s = server.Start("127.0.0.1:0"); !s.ok()) Die(s.ToString());
  httplib::Client client("127.0.0.1", server.port());
  client.set_keep_alive(keep_alive);
  client.set_bearer_token_auth(kToken);
  client.set_read_timeout(60, 0);
  // One answer first: the server is serving (and Stop() cannot come before its loop starts).
  if (auto res = client.Get("/healthz"); !res || res->status != 200)
    Die("the server does not answer");

  const std::string queue = "/api/mentions?flagged=true&unreviewed=true&limit=50";
  const std::string deep = "&cursor=" + std::to_string(total / 2);
  const std::vector<Endpoint> endpoints = {
      {"review queue, first page", {queue}},
      {"review queue, deep page (cursor)", {queue + deep}},
      {"flagged, first page", {"/api/mentions?flagged=true&limit=50"}},
      {"queue intent=refund", {queue + "&intent=refund"}},
      {"queue intent=legal_threat", {queue + "&intent=legal_threat"}},
      {"queue lang=pl", {queue + "&lang=pl"}},
      {"search q=refund", {"/api/mentions?q=refund&limit=50"}},
      {"search q=\"see you in court\" OR курьер",
       {"/api/mentions?limit=50&q=" +
        httplib::detail::encode_query_param("\"see you in court\" OR курьер")}},
      {"mention detail + author history", detail_paths},
      {"cases queue (open, 200)", {"/api/cases?limit=200"}},
      {"stats (30 days)", {"/api/stats"}},
  };
  std::printf("\n%d sequential requests per endpoint after %d warm-up, %s, bearer token\n",
              requests, warmup,
              keep_alive ? "one keep-alive connection" : "a new connection per request");
  std::printf("%-36s %6s %8s %9s %9s %9s %9s\n", "endpoint", "rows", "KiB", "median", "p90", "p99",
              "max");
  for (const auto& e : endpoints) {
    if (!only.empty() && e.name.find(only) == std::string::npos) continue;
    Figures f = Measure(client, e, warmup, requests);
    std::printf("%-36s %6zu %8.1f %9.2f %9.2f %9.2f %9.2f\n", e.name.c_str(), f.rows,
                static_cast<double>(f.bytes) / 1024, f.median, f.p90, f.p99, f.max);
    std::fflush(stdout);
  }
  std::printf("(times in ms)\n");
  server.Stop();
  if (!temp_dir.empty()) std::filesystem::remove_all(temp_dir);
  return 0;
}

}  // namespace
}  // namespace earshot

int main(int argc, char** argv) {
  return earshot::Main(argc, argv);
}
