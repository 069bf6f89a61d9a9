#pragma once

#include "connectors/connector.h"

namespace earshot {

// kind "jsonl": a file of one mention per line, followed as it grows and across rotation, or
// standard input ("-").
ConnectorDescriptor JsonlConnectorDescriptor();

}  // namespace earshot
