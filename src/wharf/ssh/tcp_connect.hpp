#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "wharf/core/error.hpp"
#include "wharf/util/fd.hpp"

namespace wharf::ssh {

/// Opens a TCP connection to `host` (a name or an IP address) and `port`, trying each address
/// the name resolves to until one answers, all within `timeout` (a non-blocking connect and
/// poll, so a silent host cannot hang the caller). The socket is returned non-blocking and
/// close-on-exec, with TCP keepalive probes that declare a silent peer dead after about
/// 30 s (libssh2 1.10 cannot count unanswered SSH keepalives itself).
///
/// Failures are sentences naming `host` and `port`: ErrorKind::timeout when no address
/// answered in time, ErrorKind::unavailable when the name does not resolve, the connection
/// is refused, or the host is unreachable.
[[nodiscard]] Result<Fd> connect_tcp(const std::string& host, std::uint16_t port,
                                     std::chrono::milliseconds timeout);

}  // namespace wharf::ssh
