// Any JSON API's response as mentions, read through RFC 6901 JSON pointers: one to the array of
// items, one per mention field (relative to each item), one to the next page in the response.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/mention.h"
#include "core/status.h"

namespace earshot {

struct JsonFieldPointers {
  std::string items;  // "" (the body is the array), "/data/children"...
  std::string id = "/id";
  std::string text = "/text";
  std::string title, author, url, created_at, rating, likes;
  std::string cursor;  // per item: the value the durable cursor is the maximum of
  std::string next;    // in the response: the next page's URL or token
};

struct JsonItemsPage {
  std::vector<Mention> mentions;
  std::vector<std::string> cursors;   // each mention's cursor value ("" without one), parallel
  std::vector<std::string> warnings;  // items skipped, and why
  size_t items = 0;
  std::string next;  // the value at the next pointer ("" when absent, null or empty)
};

// The first pointer that is not a valid RFC 6901 pointer, named ("text_field"), or nullopt.
std::optional<std::string> InvalidJsonPointer(const JsonFieldPointers& pointers);

// Mentions get platform "json". Values are read as text (numbers as written); created_at as a
// date (RFC 3339, RFC 822) or Unix seconds or milliseconds; an author as a string or an object
// with id/handle/username/name. Items without an id are skipped with a warning. Fails
// (ParseError) on a body that is not JSON or has no array at the items pointer.
Result<JsonItemsPage> ParseJsonItems(std::string_view body, const std::string& source,
                                     const JsonFieldPointers& pointers);

// Orders cursor values: numerically when both are numbers, as text otherwise. <0, 0, >0.
int CompareCursorValues(std::string_view a, std::string_view b);

// A short description of an error body: its "message", "error" or "error.message", or "".
std::string JsonErrorMessage(std::string_view body);

}  // namespace earshot
