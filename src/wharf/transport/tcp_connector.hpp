#pragma once

#include <memory>
#include <string>

#include "wharf/transport/connector.hpp"

namespace wharf::transport {

/// Connects over TCP to the host and port of the request URL; `address` is used in
/// messages. TLS is the HTTP layer's job.
[[nodiscard]] std::shared_ptr<Connector> make_tcp_connector(std::string address);

}  // namespace wharf::transport
