// Tolerant RapidJSON accessors shared by the JSON connectors: a member of the wrong type reads as
// absent rather than failing, and every string comes out as valid UTF-8.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace earshot::json {

// "null", "a boolean", "an object", "an array", "a string", "a number": for messages.
const char* TypeName(const rapidjson::Value& v);

// The member `key` of `obj`, or nullptr when `obj` is not an object or has no such member.
const rapidjson::Value* Member(const rapidjson::Value& obj, const char* key);
// Follows a path of object members, e.g. Path(post, {"record", "reply", "parent"}).
const rapidjson::Value* Path(const rapidjson::Value& obj, std::initializer_list<const char*> keys);

// A string value made valid UTF-8 (invalid sequences become U+FFFD); "" for anything else.
std::string Utf8(const rapidjson::Value& v);
// A string member made valid UTF-8; "" when absent or not a string.
std::string String(const rapidjson::Value& obj, const char* key);
// Like String, but an integer member (APIs send ids both ways) comes back as its digits.
std::string Id(const rapidjson::Value& obj, const char* key);

// An integer member: integers as they are (beyond int64: INT64_MAX), finite floats truncated;
// nullopt when absent, null, not a number or out of range.
std::optional<int64_t> Int(const rapidjson::Value& obj, const char* key);
// Like Int, and a string of at most 18 ASCII digits is read as its number too.
std::optional<int64_t> IntOrDigits(const rapidjson::Value& obj, const char* key);
// A finite number member.
std::optional<double> Double(const rapidjson::Value& obj, const char* key);
// A boolean member (true/false only).
std::optional<bool> Bool(const rapidjson::Value& obj, const char* key);
// A count: a number member, truncated, never negative (huge values: INT64_MAX), 0 when absent.
int64_t Count(const rapidjson::Value& obj, const char* key);

// `v` serialised back to compact JSON, valid UTF-8: for Mention::raw.
std::string Raw(const rapidjson::Value& v);

// Parses `body` without recursion (no nesting depth can exhaust the stack). ParseError
// "invalid JSON at byte N: <reason>" when it is not JSON.
Status Parse(std::string_view body, rapidjson::Document* doc);

}  // namespace earshot::json
