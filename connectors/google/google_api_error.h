// The error body every Google API answers with:
// {"error": {"code": 403, "message": ..., "status": "PERMISSION_DENIED",
//            "errors": [{"reason": "quotaExceeded", "domain": ..., "message": ...}]}}.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace earshot {

struct GoogleApiError {
  int64_t code = 0;     // the HTTP status it came with
  std::string reason;   // the first errors[].reason, else the status: quotaExceeded, NOT_FOUND...
  std::string message;  // as plain text (some APIs put HTML in it)
  std::string ToString() const;  // "quotaExceeded (403): The request cannot be completed..."
};

// The error body's fields, or nullopt when the body is not one.
std::optional<GoogleApiError> ParseGoogleApiError(std::string_view body);

}  // namespace earshot
