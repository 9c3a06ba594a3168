#include "wharf/ssh/session.hpp"

#include <algorithm>
#include <mutex>

#include <libssh2.h>
#include <sys/socket.h>

#include "wharf/ssh/authentication.hpp"
#include "wharf/ssh/known_hosts.hpp"
#include "wharf/ssh/target_name.hpp"
#include "wharf/ssh/tcp_connect.hpp"
#include "wharf/util/durations.hpp"
#include "wharf/util/fd.hpp"
#include "wharf/util/log.hpp"

namespace wharf::ssh {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kDisconnectTimeout{1000};

// libssh2_init is not thread-safe and must run once per process before any session; it is
// never undone, since sessions may live until exit.
void ensure_libssh2_initialized() {
  static std::once_flag once;
  std::call_once(once, [] { libssh2_init(0); });
}

std::string error_of(LIBSSH2_SESSION* session) {
  char* message = nullptr;
  libssh2_session_last_error(session, &message, nullptr, 0);
  return message != nullptr && *message != '\0' ? message : "unknown libssh2 error";
}

}  // namespace

struct Session::State {
  Fd socket;
  LIBSSH2_SESSION* session = nullptr;
  bool handshaken = false;
  std::string name;

  State() = default;
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  ~State() {
    if (session == nullptr) {
      return;
    }
    if (handshaken) {
      libssh2_session_set_blocking(session, 1);
      libssh2_session_set_timeout(session, static_cast<long>(kDisconnectTimeout.count()));
      libssh2_session_disconnect(session, "wharf closed the connection");
    }
    // With the socket shut down, freeing cannot wait for the peer (libssh2_session_free
    // closes every channel still open and would otherwise wait for each to confirm).
    if (socket) {
      ::shutdown(socket.get(), SHUT_RDWR);
    }
    libssh2_session_free(session);
  }
};

Session::Session(std::unique_ptr<State> state) : state_(std::move(state)) {}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;
Session::~Session() = default;

LIBSSH2_SESSION* Session::native() const noexcept {
  return state_->session;
}
int Session::socket() const noexcept {
  return state_->socket.get();
}
const std::string& Session::name() const noexcept {
  return state_->name;
}
std::string Session::last_error() const {
  return error_of(state_->session);
}

void Session::set_blocking(bool blocking, std::chrono::milliseconds timeout) {
  libssh2_session_set_blocking(state_->session, blocking ? 1 : 0);
  libssh2_session_set_timeout(state_->session, static_cast<long>(timeout.count()));
}

Result<Session> Session::open(const SshTarget& target, std::chrono::milliseconds timeout,
                              HostKeyCheck* host_key) {
  if (host_key != nullptr) {
    *host_key = HostKeyCheck::not_reached;
  }
  ensure_libssh2_initialized();
  auto budget = target.connect_timeout;
  if (timeout.count() > 0) {
    budget = std::min(budget, timeout);
  }
  const auto deadline = Clock::now() + budget;
  const std::string where = describe_target(target);

  auto socket = connect_tcp(target.host_name, target.port, budget);
  if (!socket) {
    return std::unexpected(std::move(socket.error()));
  }
  auto state = std::make_unique<State>();
  state->socket = std::move(*socket);
  state->name = login_user(target) + "@" + where;
  state->session = libssh2_session_init();
  if (state->session == nullptr) {
    return fail(ErrorKind::internal, "libssh2 could not allocate a session for " + where + ".");
  }
  LIBSSH2_SESSION* session = state->session;
  // Blocking calls, each bounded by what is left of the budget (libssh2 polls the
  // non-blocking socket itself).
  const auto bound_next_call = [&] {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    libssh2_session_set_blocking(session, 1);
    libssh2_session_set_timeout(session, static_cast<long>(std::max<long long>(1, left.count())));
  };
  const auto broken = [&](const std::string& doing) {
    const int rc = libssh2_session_last_errno(session);
    if (rc == LIBSSH2_ERROR_TIMEOUT) {
      return Error::make(ErrorKind::timeout, doing + " " + where + " took longer than " +
                                                 util::describe_duration(budget) +
                                                 " (ConnectTimeout) — is the host overloaded?");
    }
    return Error::make(ErrorKind::unavailable, doing + " " + where +
                                                   " failed: " + error_of(session) +
                                                   " — is that port really an SSH server?");
  };

  const std::string algorithms = host_key_algorithm_preference(session, target);
  if (!algorithms.empty()) {
    libssh2_session_method_pref(session, LIBSSH2_METHOD_HOSTKEY, algorithms.c_str());
  }
  bound_next_call();
  if (libssh2_session_handshake(session, state->socket.get()) != 0) {
    return std::unexpected(broken("the SSH handshake with"));
  }
  state->handshaken = true;
  auto verified = verify_host_key(session, target);
  if (host_key != nullptr) {
    // A key that could not be recorded (io) was not refused; every other failure was.
    *host_key = verified                                         ? HostKeyCheck::verified
                : verified.error().kind == ErrorKind::permission ? HostKeyCheck::refused
                                                                 : HostKeyCheck::not_reached;
  }
  if (!verified) {
    return std::unexpected(std::move(verified.error()));
  }
  bound_next_call();
  if (auto logged_in = authenticate(session, target); !logged_in) {
    return std::unexpected(std::move(logged_in.error()));
  }
  log::debug("ssh: logged in as {}", state->name);
  return Session(std::move(state));
}

}  // namespace wharf::ssh
