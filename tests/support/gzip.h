#pragma once

#include <string>
#include <string_view>

namespace earshot::testing {

// `data` as a gzip member (RFC 1952), as a server sends it with Content-Encoding: gzip.
std::string Gzip(std::string_view data);

}  // namespace earshot::testing
