// The overview: volume and negative share per day and source, outreach against its SLAs, how
// often flags were right, and the sources' health.
#include "daemon/web/json_writer.h"
#include "daemon/web/web_context.h"

namespace earshot::web {
namespace {

constexpr int64_t kStatsWindowMs = 30LL * 24 * 3600 * 1000;

void Stats(WebContext& ctx, httplib::Response& res) {
  const UnixMillis now = NowMillis();
  const UnixMillis since = now - kStatsWindowMs;
  auto stats = ctx.store.LoadServiceStats(since, now);
  if (!stats.ok()) return SendStoreError(res, stats.status());
  auto precision = ctx.store.ReviewPrecision();
  if (!precision.ok()) return SendStoreError(res, precision.status());
  JsonWriter w;
  w.BeginObject().Key("since").Time(since).Key("now").Time(now).Key("daily").BeginArray();
  for (const auto& d : stats->daily) {
    w.BeginObject()
        .Field("day", d.day)
        .Field("source", d.source)
        .Field("mentions", d.mentions)
        .Field("negative", d.negative)
        .Key("negative_share")
        .Double(d.mentions ? static_cast<double>(d.negative) / static_cast<double>(d.mentions)
                           : 0.0)
        .EndObject();
  }
  w.EndArray().Key("open_cases").BeginObject();
  int64_t open_total = 0;
  for (const auto& [state, count] : stats->open_cases) {
    w.Field(state, count);
    open_total += count;
  }
  w.EndObject().Field("open_cases_total", open_total);
  w.Field("sla_breaches", stats->sla_breaches)
      .Field("cases_opened", stats->cases_opened)
      .Field("cases_contacted", stats->cases_contacted)
      .Field("contacted_within_sla", stats->contacted_within_sla)
      .Key("sla_compliance");
  if (stats->cases_contacted) {
    w.Double(static_cast<double>(stats->contacted_within_sla) /
             static_cast<double>(stats->cases_contacted));
  } else {
    w.Null();
  }
  w.Key("median_first_contact_ms").OptionalInt(stats->median_first_contact_ms);
  w.Key("review_precision").BeginArray();
  for (const auto& p : *precision) {
    w.BeginObject()
        .Field("kind", p.kind)
        .Field("name", p.name)
        .Field("confirmed", p.confirmed)
        .Field("false_positive", p.false_positive)
        .Field("not_relevant", p.not_relevant)
        .Key("precision")
        .OptionalDouble(p.precision)
        .EndObject();
  }
  w.EndArray().EndObject();
  SendJson(res, w.Finish());
}

void Sources(WebContext& ctx, httplib::Response& res) {
  auto sources = ctx.store.ListSources();
  if (!sources.ok()) return SendStoreError(res, sources.status());
  JsonWriter w;
  w.BeginObject().Key("sources").BeginArray();
  for (const auto& s : *sources) {
    w.BeginObject()
        .Field("name", s.name)
        .Field("kind", s.kind)
        .Field("mentions", s.mention_count)
        .Key("last_poll_at")
        .Time(s.last_poll_at)
        .Key("last_success_at")
        .Time(s.last_success_at)
        .Field("consecutive_failures", s.consecutive_failures)
        .Field("last_error", s.last_error)
        .EndObject();
  }
  w.EndArray().EndObject();
  SendJson(res, w.Finish());
}

}  // namespace

void AddStatsRoutes(httplib::Server& server, WebContext& ctx) {
  server.Get("/api/stats", Guarded(ctx, Permission::kRead,
                                   [&ctx](const httplib::Request&, httplib::Response& res,
                                          const Caller&) { Stats(ctx, res); }));
  server.Get("/api/sources", Guarded(ctx, Permission::kRead,
                                     [&ctx](const httplib::Request&, httplib::Response& res,
                                            const Caller&) { Sources(ctx, res); }));
}

}  // namespace earshot::web
