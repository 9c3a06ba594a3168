#include "wharf/ssh/bridge_setup.hpp"

#include <cerrno>
#include <cstring>

#include <libssh2.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "wharf/ssh/wire.hpp"
#include "wharf/util/log.hpp"

namespace wharf::ssh {
namespace {

// Opening a channel is the only way to learn whether sshd can reach the socket: it connects
// to it when the channel opens and refuses the channel when that fails.
Result<void> probe_remote_socket(Session& session, const BridgeOptions& options,
                                 const std::string& payload) {
  LIBSSH2_SESSION* native = session.native();
  LIBSSH2_CHANNEL* probe = libssh2_channel_open_ex(
      native, kStreamLocal, sizeof kStreamLocal - 1, LIBSSH2_CHANNEL_WINDOW_DEFAULT,
      LIBSSH2_CHANNEL_PACKET_DEFAULT, payload.data(), static_cast<unsigned>(payload.size()));
  if (probe != nullptr) {
    libssh2_channel_free(probe);
    return {};
  }
  const int rc = libssh2_session_last_errno(native);
  const std::string detail = session.last_error();
  if (rc == LIBSSH2_ERROR_TIMEOUT) {
    return fail(ErrorKind::timeout, session.name() + " did not answer a channel request to " +
                                        options.remote_socket + " in time.");
  }
  if (rc != LIBSSH2_ERROR_CHANNEL_FAILURE) {
    return fail(ErrorKind::unavailable, "the SSH connection to " + session.name() +
                                            " broke while opening a channel to " +
                                            options.remote_socket + ": " + detail + ".");
  }
  if (detail.find("prohibited") != std::string::npos) {
    return fail(ErrorKind::permission,
                session.name() + " does not allow forwarding to Unix sockets (" + detail +
                    ") — its sshd_config needs `AllowStreamLocalForwarding yes` and "
                    "`AllowTcpForwarding` other than `no` (sshd checks both), and the key must "
                    "not be restricted with no-port-forwarding.");
  }
  return fail(ErrorKind::unavailable,
              session.name() + " cannot connect to the Docker socket " + options.remote_socket +
                  " (" + detail +
                  ") — is dockerd running there, is that its socket path, and "
                  "may that user open it (the docker group)? Set the worker's remote socket "
                  "path if the engine listens elsewhere.");
}

Result<Fd> listen_at(const std::filesystem::path& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string text = path.string();
  if (text.size() >= sizeof address.sun_path) {
    return fail(ErrorKind::internal, "the bridge socket path " + text + " is longer than " +
                                         std::to_string(sizeof address.sun_path - 1) + " bytes.");
  }
  std::memcpy(address.sun_path, text.c_str(), text.size() + 1);
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  ::unlink(text.c_str());  // A socket file left by an earlier session of ours.
  if (!fd || ::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(fd.get(), SOMAXCONN) != 0) {
    return fail(ErrorKind::io,
                "cannot listen on the bridge socket " + text + ": " + std::strerror(errno) + ".");
  }
  return fd;
}

}  // namespace

Result<BridgeSockets> prepare_bridge(Session& session, const BridgeOptions& options) {
  BridgeSockets sockets;
  sockets.open_payload = streamlocal_open_payload(options.remote_socket);
  session.set_blocking(true, options.setup_timeout);
  if (auto probed = probe_remote_socket(session, options, sockets.open_payload); !probed) {
    return std::unexpected(std::move(probed.error()));
  }
  sockets.watch = libssh2_channel_open_session(session.native());
  if (sockets.watch == nullptr) {
    // sshd with `MaxSessions 0` allows forwarding only; the pump then notices a closed
    // connection only while it carries requests, which is still correct.
    log::debug("ssh {}: no session channel ({}); watching without one", session.name(),
               session.last_error());
  }
  auto listener = listen_at(options.listen_path);
  if (!listener) {
    return std::unexpected(std::move(listener.error()));
  }
  sockets.listener = std::move(*listener);
  return sockets;
}

}  // namespace wharf::ssh
