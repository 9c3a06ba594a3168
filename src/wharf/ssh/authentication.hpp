#pragma once

#include "wharf/core/error.hpp"
#include "wharf/ssh/ssh_target.hpp"

// libssh2's session type, declared so that this header need not include libssh2.h.
struct _LIBSSH2_SESSION;

namespace wharf::ssh {

/// Logs in to a session whose host key was verified, with public keys only (wharf never
/// prompts): first every key the ssh-agent at $SSH_AUTH_SOCK holds (unless
/// target.identities_only), then target.identity_files, or the default ~/.ssh/id_ed25519,
/// id_ecdsa and id_rsa that exist. Passphrase-protected files are not tried: only an agent can
/// unlock them. The session must be in blocking mode with its timeout set.
///
/// Fails with ErrorKind::permission and a sentence naming user@host and every key tried (and
/// why each was not used); when an encrypted key was all there was, the sentence names the file
/// and suggests `ssh-add`. ErrorKind::unavailable or timeout when the connection broke.
[[nodiscard]] Result<void> authenticate(_LIBSSH2_SESSION* session, const SshTarget& target);

}  // namespace wharf::ssh
