// A connector turns one configured source into mentions. Parsing is a pure function of a
// response body (so it is tested without a network, and `earshot parse` reuses it); I/O goes
// only through the HttpClient it is given. Connectors know nothing of the store or the daemon.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/mention.h"
#include "core/settings.h"
#include "core/source_cursor.h"
#include "core/status.h"

namespace earshot {

class HttpClient;

struct SourceSpec {
  std::string name;
  std::string kind;
  std::string lang;   // forced language for every mention, or empty
  Settings settings;  // validated against the kind's SettingSpecs
};

struct PollResult {
  std::vector<Mention> mentions;
  SourceCursor next_cursor;
  int http_status = 0;                // last HTTP status seen, 0 when not over HTTP
  bool not_modified = false;          // 304: nothing new, nothing parsed
  bool has_more = false;              // stopped at a batch bound: poll again at once to catch up
  std::vector<std::string> warnings;  // non-fatal problems worth a log line (a skipped bad item)
};

class Connector {
 public:
  virtual ~Connector() = default;
  // Fetches what is new since `cursor`. Must return promptly once `stop` is set.
  virtual Result<PollResult> Poll(const SourceCursor& cursor, const std::atomic<bool>& stop) = 0;
};

struct ConnectorDescriptor {
  std::string kind;
  std::string summary;
  std::vector<SettingSpec> settings;
  std::function<Result<std::unique_ptr<Connector>>(const SourceSpec&, HttpClient&)> create;
  // Parses one saved response body offline; `source` names the mentions' source.
  std::function<Result<std::vector<Mention>>(std::string_view body, const std::string& source)>
      parse;
};

// Every connector kind earshot knows, in a fixed order.
const std::vector<ConnectorDescriptor>& ConnectorRegistry();
const ConnectorDescriptor* FindConnector(std::string_view kind);

}  // namespace earshot
