#include "ssh_probe.hpp"

#include <cerrno>
#include <cstring>
#include <mutex>

#include <arpa/inet.h>
#include <libssh2.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "wharf/util/fd.hpp"

namespace wharf::test {
namespace {

struct SessionDeleter {
  void operator()(LIBSSH2_SESSION* session) const {
    libssh2_session_disconnect(session, "wharf test probe done");
    libssh2_session_free(session);
  }
};
struct ChannelDeleter {
  void operator()(LIBSSH2_CHANNEL* channel) const { libssh2_channel_free(channel); }
};
struct KnownHostsDeleter {
  void operator()(LIBSSH2_KNOWNHOSTS* hosts) const { libssh2_knownhost_free(hosts); }
};
using Session = std::unique_ptr<LIBSSH2_SESSION, SessionDeleter>;
using Channel = std::unique_ptr<LIBSSH2_CHANNEL, ChannelDeleter>;
using KnownHosts = std::unique_ptr<LIBSSH2_KNOWNHOSTS, KnownHostsDeleter>;

std::string last_error(LIBSSH2_SESSION* session) {
  char* message = nullptr;
  libssh2_session_last_error(session, &message, nullptr, 0);
  return message != nullptr ? message : "unknown libssh2 error";
}

// SSH wire format (RFC 4251): a string is a big-endian uint32 length and then the bytes.
void append_uint32(std::string& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xffu));
  }
}
void append_string(std::string& out, const std::string& value) {
  append_uint32(out, static_cast<uint32_t>(value.size()));
  out += value;
}

int known_host_key_type(int hostkey_type) {
  switch (hostkey_type) {
    case LIBSSH2_HOSTKEY_TYPE_RSA:
      return LIBSSH2_KNOWNHOST_KEY_SSHRSA;
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_256:
      return LIBSSH2_KNOWNHOST_KEY_ECDSA_256;
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_384:
      return LIBSSH2_KNOWNHOST_KEY_ECDSA_384;
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_521:
      return LIBSSH2_KNOWNHOST_KEY_ECDSA_521;
    case LIBSSH2_HOSTKEY_TYPE_ED25519:
      return LIBSSH2_KNOWNHOST_KEY_ED25519;
    default:
      return LIBSSH2_KNOWNHOST_KEY_UNKNOWN;
  }
}

// Reads one stream of a channel (0 = standard output, 1 = standard error) until the far end
// sends EOF. The checks here exchange far less than the channel window, so reading the
// streams one after the other cannot stall.
Result<std::string> read_to_end(LIBSSH2_SESSION* session, LIBSSH2_CHANNEL* channel, int stream) {
  std::string out;
  char buffer[16384];
  for (;;) {
    const ssize_t got = libssh2_channel_read_ex(channel, stream, buffer, sizeof buffer);
    if (got < 0) {
      return fail(ErrorKind::unavailable, "reading an SSH channel failed: " + last_error(session));
    }
    if (got == 0) {
      return out;
    }
    out.append(buffer, static_cast<size_t>(got));
  }
}

}  // namespace

struct SshProbe::State {
  // Declared before the session so that the session is torn down while the socket is open.
  Fd socket;
  Session session;
  std::string name;  // host:port, for messages
};

SshProbe::SshProbe(std::unique_ptr<State> state) : state_(std::move(state)) {}
SshProbe::SshProbe(SshProbe&&) noexcept = default;
SshProbe& SshProbe::operator=(SshProbe&&) noexcept = default;
SshProbe::~SshProbe() = default;

Result<SshProbe> SshProbe::connect(const std::string& host, int port,
                                   std::chrono::milliseconds timeout) {
  static std::once_flag ssh_ready;
  std::call_once(ssh_ready, [] { libssh2_init(0); });

  auto state = std::make_unique<State>();
  state->name = host + ":" + std::to_string(port);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  if (::inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
    return fail(ErrorKind::invalid_input, "'" + host + "' is not an IPv4 address.");
  }
  state->socket = Fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!state->socket ||
      ::connect(state->socket.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    return fail(ErrorKind::unavailable,
                "cannot connect to " + state->name + ": " + std::strerror(errno) + ".");
  }
  state->session.reset(libssh2_session_init());
  if (!state->session) {
    return fail(ErrorKind::internal, "libssh2_session_init failed.");
  }
  libssh2_session_set_blocking(state->session.get(), 1);
  libssh2_session_set_timeout(state->session.get(), static_cast<long>(timeout.count()));
  if (libssh2_session_handshake(state->session.get(), state->socket.get()) != 0) {
    return fail(ErrorKind::unavailable, "SSH handshake with " + state->name +
                                            " failed: " + last_error(state->session.get()) + ".");
  }
  return SshProbe(std::move(state));
}

Result<HostKeyVerdict> SshProbe::check_host_key(const std::filesystem::path& known_hosts,
                                                const std::string& host, int port) const {
  LIBSSH2_SESSION* session = state_->session.get();
  KnownHosts hosts(libssh2_knownhost_init(session));
  if (!hosts) {
    return fail(ErrorKind::internal, "libssh2_knownhost_init failed: " + last_error(session));
  }
  if (libssh2_knownhost_readfile(hosts.get(), known_hosts.c_str(), LIBSSH2_KNOWNHOST_FILE_OPENSSH) <
      0) {
    return fail(ErrorKind::io, "cannot read known_hosts file " + known_hosts.string() + ": " +
                                   last_error(session) + ".");
  }
  size_t key_length = 0;
  int key_type = 0;
  const char* key = libssh2_session_hostkey(session, &key_length, &key_type);
  if (key == nullptr) {
    return fail(ErrorKind::remote, state_->name + " sent no host key.");
  }
  const int type_mask =
      LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | known_host_key_type(key_type);
  libssh2_knownhost* entry = nullptr;
  switch (libssh2_knownhost_checkp(hosts.get(), host.c_str(), port, key, key_length, type_mask,
                                   &entry)) {
    case LIBSSH2_KNOWNHOST_CHECK_MATCH:
      return HostKeyVerdict::match;
    case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
      return HostKeyVerdict::mismatch;
    case LIBSSH2_KNOWNHOST_CHECK_NOTFOUND:
      return HostKeyVerdict::not_found;
    default:
      return fail(ErrorKind::internal, "libssh2_knownhost_checkp failed for " + state_->name +
                                           ": " + last_error(session) + ".");
  }
}

Result<void> SshProbe::authenticate(const std::string& user,
                                    const std::filesystem::path& private_key) {
  LIBSSH2_SESSION* session = state_->session.get();
  // No public key file: libssh2 derives it from the private key, as wharf will have to when a
  // user names only a private key.
  if (libssh2_userauth_publickey_fromfile_ex(session, user.c_str(),
                                             static_cast<unsigned int>(user.size()), nullptr,
                                             private_key.c_str(), "") != 0) {
    return fail(ErrorKind::permission, state_->name + " refused " + user + " with key " +
                                           private_key.string() + ": " + last_error(session) + ".");
  }
  return {};
}

Result<std::string> SshProbe::exec(const std::string& command) {
  LIBSSH2_SESSION* session = state_->session.get();
  Channel channel(libssh2_channel_open_session(session));
  if (!channel) {
    return fail(ErrorKind::unavailable, "cannot open a session channel on " + state_->name + ": " +
                                            last_error(session) + ".");
  }
  if (libssh2_channel_exec(channel.get(), command.c_str()) != 0) {
    return fail(ErrorKind::remote,
                state_->name + " refused to run '" + command + "': " + last_error(session) + ".");
  }
  auto out = read_to_end(session, channel.get(), 0);
  if (!out) {
    return out;
  }
  const std::string standard_error = read_to_end(session, channel.get(), 1).value_or("");
  libssh2_channel_close(channel.get());
  libssh2_channel_wait_closed(channel.get());
  const int status = libssh2_channel_get_exit_status(channel.get());
  if (status != 0) {
    return fail(ErrorKind::remote, "'" + command + "' on " + state_->name + " exited with " +
                                       std::to_string(status) + ": " + standard_error);
  }
  return out;
}

Result<std::string> SshProbe::exchange_over_socket(const std::string& socket_path,
                                                   const std::string& request) {
  LIBSSH2_SESSION* session = state_->session.get();
  // libssh2 1.10 has no helper for this channel type; the payload follows OpenSSH's
  // PROTOCOL file: string socket path, string reserved, uint32 reserved.
  std::string payload;
  append_string(payload, socket_path);
  append_string(payload, "");
  append_uint32(payload, 0);
  static constexpr char kType[] = "direct-streamlocal@openssh.com";
  Channel channel(libssh2_channel_open_ex(
      session, kType, sizeof kType - 1, LIBSSH2_CHANNEL_WINDOW_DEFAULT,
      LIBSSH2_CHANNEL_PACKET_DEFAULT, payload.data(), static_cast<unsigned int>(payload.size())));
  if (!channel) {
    return fail(ErrorKind::remote, state_->name + " refused a channel to " + socket_path + ": " +
                                       last_error(session) + ".");
  }
  size_t written = 0;
  while (written < request.size()) {
    const ssize_t sent =
        libssh2_channel_write(channel.get(), request.data() + written, request.size() - written);
    if (sent < 0) {
      return fail(ErrorKind::unavailable, "writing to " + socket_path + " over " + state_->name +
                                              " failed: " + last_error(session) + ".");
    }
    written += static_cast<size_t>(sent);
  }
  return read_to_end(session, channel.get(), 0);
}

}  // namespace wharf::test
