#pragma once

// The port check `wharf up` runs before it creates or stops anything: a host port the stack
// wants to publish that another container publishes, or a local process listens on, is one
// sentence naming the port and its holder.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

#include "wharf/core/error.hpp"
#include "wharf/runtime/container_status.hpp"
#include "wharf/stack/port_spec.hpp"

namespace wharf::runtime {

/// The ports one service of the stack wants to publish.
struct WantedPorts {
  std::string service{};
  std::vector<stack::PortSpec> ports{};
};

/// The ports another container publishes (or will, once started: HostConfig.PortBindings),
/// with the compose labels that say whose it is.
struct ContainerPorts {
  std::string name{};
  std::string project{};  ///< com.docker.compose.project, "" when it has none.
  std::string service{};  ///< com.docker.compose.service, "" when it has none.
  std::vector<PublishedPort> ports{};
};

/// A socket a process on this machine listens on (TCP) or is bound to (UDP).
struct ListeningSocket {
  std::string address{};  ///< "127.0.0.1", "::", "0.0.0.0".
  std::uint16_t port = 0;
  std::string protocol{};  ///< "tcp" or "udp".
  std::uint64_t inode = 0;
  std::optional<pid_t> pid{};  ///< The process holding it, when /proc says (root sees all).
  std::string process{};       ///< Its name (/proc/PID/comm), "" when unknown.
};

/// One port the stack cannot publish, and what holds it.
struct PortConflict {
  std::string service{};
  stack::PortSpec wanted{};
  std::string
      holder{};  ///< "container shop-db-1 (project shop, service db)", "process nginx (pid 412)".

  /// "service app cannot publish 127.0.0.1:8080:80/tcp: host port 8080/tcp is already taken by
  /// container other-web-1 (project other, service web)."
  [[nodiscard]] std::string sentence() const;
};

/// Every wanted port (with a published host port) that a container in `containers` publishes
/// or a socket in `listening` holds: same protocol, overlapping host ports, and addresses that
/// overlap (an empty, 0.0.0.0 or :: address overlaps every address). A published range for a
/// single target port (the engine picks one) conflicts only when every port of it is taken.
/// In the order of `wanted`, one conflict per port entry. Pure.
[[nodiscard]] std::vector<PortConflict> find_port_conflicts(
    const std::vector<WantedPorts>& wanted, const std::vector<ContainerPorts>& containers,
    const std::vector<ListeningSocket>& listening);

/// The TCP sockets listening and the UDP sockets bound in this process's network namespace,
/// from /proc/net/{tcp,tcp6,udp,udp6}, each with the process holding it when /proc/*/fd tells.
/// Only meaningful for an engine on this machine (unix:// socket). Errors: io naming the file
/// when /proc/net cannot be read.
[[nodiscard]] Result<std::vector<ListeningSocket>> listening_sockets();

}  // namespace wharf::runtime
