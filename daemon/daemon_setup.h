// Builds the daemon's parts from a loaded Config: the store, the classifier pipeline and one
// runner per enabled source. Shared by `earshot run` and the tests that drive the daemon.
#pragma once

#include <memory>
#include <vector>

#include "connectors/http/http_client.h"
#include "daemon/config/config.h"
#include "daemon/escalations/escalation_monitor.h"
#include "daemon/pipeline.h"
#include "daemon/source_runner.h"
#include "store/store.h"

namespace earshot {

Result<std::unique_ptr<Pipeline>> BuildPipeline(const Config& config);
Result<std::vector<std::unique_ptr<SourceRunner>>> BuildRunners(const Config& config,
                                                                HttpClient& http);
HttpClientOptions HttpOptionsFrom(const Config& config);
EscalationOptions EscalationOptionsFrom(const Config& config, const std::string& link_base);
std::vector<CallerSpec> CallersFrom(const Config& config);

}  // namespace earshot
