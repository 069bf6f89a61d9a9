#pragma once

#include "connectors/connector.h"

namespace earshot {

// kind "json": any JSON API read through JSON pointers (RFC 6901), with a URL template taking
// the cursor ({cursor}), extra headers, a bearer token, and either a per-item cursor field (its
// maximum is kept) or a next-page pointer (a URL or a token) as the durable cursor.
ConnectorDescriptor JsonConnectorDescriptor();

}  // namespace earshot
