#include "daemon/web/api_json.h"

#include "core/mention_json.h"

namespace earshot::web {
namespace {

void WriteRevision(JsonWriter& w, const MentionRevision& r) {
  w.BeginObject()
      .Field("id", r.id)
      .Field("title", r.title)
      .Field("text", r.text)
      .Key("rating")
      .OptionalDouble(r.rating)
      .Key("edited_at")
      .Time(r.edited_at)
      .Field("flagged", r.flagged)
      .Field("flag_reason", r.flag_reason)
      .Key("replaced_at")
      .Time(r.replaced_at)
      .EndObject();
}

}  // namespace

void WriteReview(JsonWriter& w, const Review& r) {
  w.BeginObject()
      .Field("id", r.id)
      .Field("verdict", r.verdict)
      .Field("corrected_label", r.corrected_label)
      .Field("reviewer", r.reviewer)
      .Key("at")
      .Time(r.at)
      .Field("note", r.note)
      .EndObject();
}

void WriteMentionRow(JsonWriter& w, const StoredMention& row, bool with_revisions) {
  w.BeginObject()
      .Field("id", row.id)
      .Key("stored_at")
      .Time(row.stored_at)
      .Field("flagged", row.annotated.flagged)
      .Field("flag_reason", row.annotated.flag_reason)
      .Key("duplicate_of")
      .OptionalInt(row.duplicate_of)
      .Key("edited_at")
      .Time(row.annotated.mention.edited_at)
      .Field("deleted", row.deleted_at.has_value())
      .Key("deleted_at")
      .Time(row.deleted_at.value_or(0));
  if (with_revisions) {
    w.Key("revisions").BeginArray();
    for (const auto& r : row.revisions)
      WriteRevision(w, r);
    w.EndArray();
  }
  w.Key("labels").Raw(LabelsToJson(row.annotated.labels)).Key("reviews").BeginArray();
  for (const auto& r : row.reviews)
    WriteReview(w, r);
  w.EndArray().Key("mention").Raw(MentionToJson(row.annotated.mention)).EndObject();
}

void WriteCaseSummary(JsonWriter& w, const CaseSummary& c, UnixMillis now) {
  const bool open = c.state == "new" || c.state == "assigned" || c.state == "contacted";
  w.BeginObject()
      .Field("id", c.id)
      .Field("customer_key", c.customer_key)
      .Field("state", c.state)
      .Field("open", open)
      .Field("priority", c.priority)
      .Field("queue", c.queue)
      .Field("assignee", c.assignee)
      .Field("reason", c.reason)
      .Key("sla_due_at")
      .Time(c.sla_due_at.value_or(0))
      .Key("sla_remaining_ms");
  if (c.sla_due_at && open) {
    w.Int(*c.sla_due_at - now);
  } else {
    w.Null();
  }
  w.Field("sla_breached", open && c.sla_due_at && *c.sla_due_at < now)
      .Key("opened_at")
      .Time(c.opened_at)
      .Key("updated_at")
      .Time(c.updated_at)
      .Key("closed_at")
      .Time(c.closed_at.value_or(0))
      .Field("outcome", c.outcome)
      .Field("mention_count", c.mention_count)
      .Field("author_handle", c.author_handle)
      .Field("platform", c.platform)
      .Field("latest_url", c.latest_url)
      .Field("lang", c.lang)
      .Key("customer");
  if (c.customer) {
    w.BeginObject()
        .Field("id", c.customer->id)
        .Field("crm_id", c.customer->crm_id)
        .Field("name", c.customer->name)
        .Field("phone", c.customer->phone)
        .Field("email", c.customer->email)
        .Key("identities")
        .BeginArray();
    for (const auto& i : c.customer->identities)
      w.String(i);
    w.EndArray().EndObject();
  } else {
    w.Null();
  }
  w.EndObject();
}

void WriteCaseEvent(JsonWriter& w, const CaseEvent& e) {
  w.BeginObject()
      .Key("at")
      .Time(e.at)
      .Field("actor", e.actor)
      .Field("action", e.action)
      .Field("detail", e.detail)
      .EndObject();
}

}  // namespace earshot::web
