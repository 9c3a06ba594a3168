#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wharf/core/error.hpp"
#include "wharf/ssh/resolve_target.hpp"

namespace wharf::ssh {

/// Where a worker is, as written in an inventory or on the command line. Only what the text
/// gave is set, so that ssh_config can fill the rest (`ssh://build-2` keeps build-2's Port).
struct SshUrl {
  std::optional<std::string> user;
  std::string host;  ///< A name, an ssh_config alias, or an IP (IPv6 without brackets).
  std::optional<std::uint16_t> port;

  /// The user and port as explicit values for resolve_ssh_target(); `host` is its alias.
  [[nodiscard]] SshOverrides overrides() const;
};

/// Parses `ssh://[user@]host[:port][/]` or `[user@]host` (ssh's own destination form, which
/// has no port). An IPv6 address must be in brackets: `ssh://[::1]:2222`, `deploy@[::1]`.
/// The user is everything before the last '@', as in ssh. Fails with
/// ErrorKind::invalid_input and a sentence naming the text and the accepted forms for
/// anything else: another scheme, a path, an empty user, host or port, a port outside
/// 1..65535, blanks or control characters.
[[nodiscard]] Result<SshUrl> parse_ssh_url(std::string_view text);

}  // namespace wharf::ssh
