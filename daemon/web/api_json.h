// The API's JSON shapes for stored things, shared by its endpoints.
#pragma once

#include "daemon/web/json_writer.h"
#include "store/store.h"

namespace earshot::web {

// {id, stored_at, flagged, flag_reason, duplicate_of, edited_at, deleted, deleted_at, labels,
// reviews, mention}, and the earlier versions (revisions, oldest first) when asked for.
void WriteMentionRow(JsonWriter& w, const StoredMention& row, bool with_revisions = false);
void WriteReview(JsonWriter& w, const Review& review);
void WriteCaseSummary(JsonWriter& w, const CaseSummary& c, UnixMillis now);
void WriteCaseEvent(JsonWriter& w, const CaseEvent& e);

}  // namespace earshot::web
