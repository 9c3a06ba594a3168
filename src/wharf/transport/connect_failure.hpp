#pragma once

#include <chrono>
#include <string>

#include "wharf/core/error.hpp"

namespace wharf::transport {

/// The sentence for a failed connection to the engine at `address`, from the errno of the
/// failed connect(): "cannot reach the Docker engine at unix:///var/run/docker.sock:
/// permission denied — add your user to the docker group or set DOCKER_HOST." The kind is
/// ErrorKind::permission for EACCES/EPERM, timeout for ETIMEDOUT, else unavailable.
[[nodiscard]] Error connect_failure(const std::string& address, int error_number, bool unix_socket,
                                    std::chrono::milliseconds timeout);

}  // namespace wharf::transport
