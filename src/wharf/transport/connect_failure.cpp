#include "wharf/transport/connect_failure.hpp"

#include <cerrno>
#include <cstring>

#include "wharf/util/durations.hpp"

namespace wharf::transport {
namespace {

std::string advice_for(int error_number, bool unix_socket) {
  switch (error_number) {
    case EACCES:
    case EPERM:
      return "permission denied — add your user to the docker group or set DOCKER_HOST";
    case ENOENT:
    case ENOTDIR:
      return "no such file — is dockerd running? set DOCKER_HOST or --host";
    case ECONNREFUSED:
      return unix_socket ? "connection refused — nothing listens on that socket; is dockerd "
                           "running? set DOCKER_HOST or --host"
                         : "connection refused — is dockerd listening on that port? set "
                           "DOCKER_HOST or --host";
    case 0:
      return "the connection failed — check DOCKER_HOST or --host";
    default:
      return std::string(std::strerror(error_number)) + " — check DOCKER_HOST or --host";
  }
}

}  // namespace

Error connect_failure(const std::string& address, int error_number, bool unix_socket,
                      std::chrono::milliseconds timeout) {
  const std::string prefix = "cannot reach the Docker engine at " + address + ": ";
  if (error_number == ETIMEDOUT) {
    return Error::make(ErrorKind::timeout, prefix + "no connection within " +
                                               util::describe_duration(timeout) +
                                               " — is the engine overloaded or its host down?");
  }
  const auto kind = (error_number == EACCES || error_number == EPERM) ? ErrorKind::permission
                                                                      : ErrorKind::unavailable;
  return Error::make(kind, prefix + advice_for(error_number, unix_socket) + ".");
}

}  // namespace wharf::transport
