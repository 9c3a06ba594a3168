#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "wharf/core/error.hpp"
#include "wharf/ssh/ssh_target.hpp"

// libssh2's session type, declared so that this header need not include libssh2.h.
struct _LIBSSH2_SESSION;

namespace wharf::ssh {

/// How far the host key check of a connection attempt got, for reports that must tell a
/// refused host key from other failures without reading messages.
enum class HostKeyCheck {
  not_reached,  ///< The attempt failed before the key was checked (no TCP, no handshake).
  verified,     ///< known_hosts vouched for the key (or accept_new recorded it).
  refused,      ///< Unknown under strict, changed, or revoked: nothing more was sent.
};

/// One authenticated SSH connection: a TCP socket and the libssh2 session on it, owned
/// together and torn down together (a polite disconnect, bounded to one second). Move-only.
///
/// Thread-safety: none, like libssh2 itself. A Session may be handed from one thread to
/// another, but only one thread may use it at a time.
class Session {
 public:
  /// Connects to `target` and logs in: TCP connect within min(`timeout`,
  /// target.connect_timeout), the SSH handshake, host key verification against known_hosts
  /// before anything else (verify_host_key()), then authentication (authenticate()); the
  /// whole of it within that same budget. The session is left in blocking mode.
  ///
  /// Errors name the host and port: ErrorKind::unavailable when it cannot be reached or the
  /// connection breaks, timeout when the budget runs out, permission for a refused or
  /// unknown host key or a refused login.
  /// `host_key`, when given, receives how far the host key check got, success or not.
  [[nodiscard]] static Result<Session> open(const SshTarget& target,
                                            std::chrono::milliseconds timeout,
                                            HostKeyCheck* host_key = nullptr);

  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  ~Session();

  /// The libssh2 session, for code that drives channels (.cpp files only).
  [[nodiscard]] _LIBSSH2_SESSION* native() const noexcept;
  /// The connected TCP socket, for poll().
  [[nodiscard]] int socket() const noexcept;
  /// "root@127.0.0.2 (port 22118)", for messages.
  [[nodiscard]] const std::string& name() const noexcept;
  /// libssh2's description of the last error on this session.
  [[nodiscard]] std::string last_error() const;

  /// Switches between blocking calls bounded by `timeout` (0: unbounded) and non-blocking
  /// calls that return LIBSSH2_ERROR_EAGAIN.
  void set_blocking(bool blocking, std::chrono::milliseconds timeout = {});

 private:
  struct State;
  explicit Session(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace wharf::ssh
