#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wharf/core/error.hpp"

namespace wharf::stack {

/// A range of port numbers, first..last inclusive (one port: first == last).
struct PortRange {
  std::uint16_t first = 0;
  std::uint16_t last = 0;

  [[nodiscard]] std::uint32_t size() const { return std::uint32_t{last} - first + 1; }
  [[nodiscard]] bool overlaps(const PortRange& other) const {
    return first <= other.last && other.first <= last;
  }
  /// "8080" or "8000-8010".
  [[nodiscard]] std::string text() const;
};

/// "8080" or "8000-8010" (ports 1 to 65535, first <= last); nullopt for anything else. Also
/// how the engine writes a published range (HostConfig.PortBindings' HostPort).
[[nodiscard]] std::optional<PortRange> parse_port_range(std::string_view text);

/// One entry of a service's `ports:`, as compose reads it.
struct PortSpec {
  std::string host_ip;                 ///< "" when not given: every address.
  std::optional<PortRange> published;  ///< nullopt: the engine picks a free host port.
  PortRange target;                    ///< In the container.
  std::string protocol = "tcp";        ///< tcp, udp or sctp.

  /// "127.0.0.1:8080:80/tcp", compose's short form, brackets around an IPv6 address.
  [[nodiscard]] std::string text() const;
};

/// Parses compose's short syntax, `[[HOST_IP:]PUBLISHED:]TARGET[/PROTOCOL]` (a string or a
/// number in the file), where PUBLISHED and TARGET are a port or a range "A-B" and an IPv6
/// HOST_IP is written in brackets ("[::1]:8080:80"). A published range must be as long as the
/// target range, or the target a single port (then the engine picks one port of the range).
/// `where` names the entry in errors ("docker/compose.yaml: service app: ports[0]").
/// Errors: invalid_input, one sentence saying what is wrong with the text and how it is written.
[[nodiscard]] Result<PortSpec> parse_port(std::string_view text, std::string_view where);

/// The long syntax's fields (each as written; empty when absent): `target` is required,
/// `published` may be a port or a range, `protocol` defaults to tcp, `mode` is host or
/// ingress. Errors as parse_port().
struct LongPortFields {
  std::string target{};
  std::string published{};
  std::string host_ip{};
  std::string protocol{};
  std::string mode{};
};
[[nodiscard]] Result<PortSpec> parse_port(const LongPortFields& fields, std::string_view where);

}  // namespace wharf::stack
