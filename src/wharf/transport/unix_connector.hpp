#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "wharf/transport/connector.hpp"

namespace wharf::transport {

/// Connects to the Unix socket at `path` (the local engine); `address` is used in messages.
[[nodiscard]] std::shared_ptr<Connector> make_unix_connector(std::filesystem::path path,
                                                             std::string address);

}  // namespace wharf::transport
