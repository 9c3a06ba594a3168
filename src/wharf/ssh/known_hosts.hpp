#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "wharf/core/error.hpp"
#include "wharf/ssh/ssh_target.hpp"

// libssh2's session type, declared so that this header need not include libssh2.h.
struct _LIBSSH2_SESSION;

namespace wharf::ssh {

/// The known_hosts files that vouch for `target`'s host key, in order: its
/// known_hosts_files, or ~/.ssh/known_hosts when it names none.
[[nodiscard]] std::vector<std::filesystem::path> known_hosts_files(const SshTarget& target);

/// The name known_hosts records a host under, as OpenSSH writes it: "host" on port 22 and
/// "[host]:port" on any other port.
[[nodiscard]] std::string known_hosts_name(std::string_view host, std::uint16_t port);

/// The host key algorithms to offer in the handshake, comma-separated, with the key types
/// that known_hosts already records for `target` first (as OpenSSH does), so that a host with
/// several keys presents the one we can verify. Call before the handshake.
[[nodiscard]] std::string host_key_algorithm_preference(_LIBSSH2_SESSION* session,
                                                        const SshTarget& target);

/// Checks the host key of a session that has completed its handshake against every
/// known_hosts file of `target`, in order (hashed `|1|` entries included), before any
/// authentication. A key recorded anywhere is accepted. A different key of the same type is
/// refused under every policy, naming the host and the file:line of the recorded key. A host
/// with no entry is refused under HostKeyPolicy::strict (naming the key type, its SHA256
/// fingerprint and --accept-new-host-keys) and recorded in the first file under
/// HostKeyPolicy::accept_new (the file is created 0600, its directory 0700).
/// Errors: ErrorKind::permission for refused keys, io when the key cannot be recorded.
[[nodiscard]] Result<void> verify_host_key(_LIBSSH2_SESSION* session, const SshTarget& target);

}  // namespace wharf::ssh
