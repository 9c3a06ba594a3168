#pragma once

#include <string>

#include "wharf/ssh/ssh_target.hpp"

namespace wharf::ssh {

/// How messages name a target: "127.0.0.2 (port 22118)", or "build-2 (127.0.0.2, port 22118)"
/// when the user wrote an alias that ssh_config resolved to another host name.
[[nodiscard]] std::string describe_target(const SshTarget& target);

/// The login that authentication uses: target.user, or the local user's name when empty.
[[nodiscard]] std::string login_user(const SshTarget& target);

}  // namespace wharf::ssh
