// The common Mention as one JSON object: the line format of `earshot parse`, of the jsonl
// source, and of the HTTP API. Field names are stable; absent optionals are omitted.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/label.h"
#include "core/mention.h"
#include "core/status.h"

namespace earshot {

std::string MentionToJson(const Mention& m);
std::string LabelsToJson(const std::vector<Label>& labels);
// Reads a mention written by MentionToJson, or a simpler user line: only "text" is required;
// "id" (or "external_id"), "author" (string handle or object), "created_at" (RFC 3339 or Unix
// seconds), "url", "title", "lang", "rating", "edited_at", "deleted" are read when present.
Result<Mention> MentionFromJson(std::string_view json);

}  // namespace earshot
