#pragma once

// A blocking libssh2 client for checking the private SSH hosts directly: host key against a
// known_hosts file, public-key login, a command, and a direct-streamlocal channel to a remote
// unix socket (the way wharf reaches a remote Docker engine). It is independent of wharf's own
// SSH backend so that a broken peer and a broken backend cannot hide each other.

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "wharf/core/error.hpp"

namespace wharf::test {

enum class HostKeyVerdict { match, mismatch, not_found };

class SshProbe {
 public:
  /// Connects over TCP to host:port and completes the SSH handshake. Every later blocking
  /// call is bounded by `timeout`.
  [[nodiscard]] static Result<SshProbe> connect(const std::string& host, int port,
                                                std::chrono::milliseconds timeout);

  SshProbe(SshProbe&&) noexcept;
  SshProbe& operator=(SshProbe&&) noexcept;
  ~SshProbe();

  /// Looks the server's host key up in an OpenSSH known_hosts file (plain or hashed entries)
  /// under the name `[host]:port`. Fails only when the file or the key cannot be read.
  [[nodiscard]] Result<HostKeyVerdict> check_host_key(const std::filesystem::path& known_hosts,
                                                      const std::string& host, int port) const;

  /// Logs in as `user` with an unencrypted private key file.
  [[nodiscard]] Result<void> authenticate(const std::string& user,
                                          const std::filesystem::path& private_key);

  /// Runs a command on the host (after authenticate) and returns its standard output; a
  /// non-zero exit status is an error that includes the command's standard error.
  [[nodiscard]] Result<std::string> exec(const std::string& command);

  /// Opens a direct-streamlocal@openssh.com channel to a unix socket on the host, writes
  /// `request` and returns everything read until the far end closes the stream.
  [[nodiscard]] Result<std::string> exchange_over_socket(const std::string& socket_path,
                                                         const std::string& request);

 private:
  struct State;
  explicit SshProbe(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace wharf::test
