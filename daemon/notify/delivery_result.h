// What one delivery attempt came to, and whether trying again may help.
#pragma once

#include <cstdint>
#include <string>

namespace earshot {

enum class DeliveryOutcome { kDelivered, kRetry, kPermanentFailure };

struct DeliveryResult {
  DeliveryOutcome outcome = DeliveryOutcome::kRetry;
  int http_status = 0;  // 0 when no HTTP response came (network errors, email)
  // From Retry-After (seconds or an HTTP date), Telegram's parameters.retry_after or Discord's
  // retry_after; -1 when the receiver did not say.
  int64_t retry_after_ms = -1;
  // Empty when delivered. Never contains tokens, passwords or webhook URL secrets.
  std::string error;
};

const char* OutcomeName(DeliveryOutcome outcome);  // "delivered", "retry", "permanent_failure"

}  // namespace earshot
