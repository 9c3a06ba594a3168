#include "wharf/dispatch/cancel_token.hpp"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

namespace wharf::dispatch {

void CancelToken::cancel() noexcept {
  source_.request_stop();
  // Taking the mutex between setting the flag and notifying closes the window in which a
  // waiter has checked the flag but not yet started waiting: that wake-up cannot be lost.
  { const std::lock_guard lock(mutex_); }
  wake_.notify_all();
}

bool CancelToken::wait_for(std::chrono::milliseconds duration) const {
  std::unique_lock lock(mutex_);
  return wake_.wait_for(lock, duration, [this] { return source_.stop_requested(); });
}

CancelCallback::CancelCallback(const CancelToken& token, std::function<void()> callback)
    : registration_(token.stop_token(), std::move(callback)) {}

namespace {

// The self-pipe is created once and kept for the life of the process. Closing it when an
// installation ends would race with a handler that is already running on another thread
// (it could write into a closed, or worse a reused, descriptor); one pipe forever cannot.
std::atomic<int> g_signal_write_fd{-1};
int g_signal_read_fd = -1;
std::once_flag g_pipe_once;
int g_pipe_errno = 0;
std::atomic<bool> g_installed{false};

// Byte 0 is not a signal number: the destructor writes it to stop the watcher thread.
constexpr unsigned char kStopByte = 0;

static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs a lock-free int");

extern "C" void wharf_on_cancel_signal(int signal_number) {
  const int saved_errno = errno;
  const int fd = g_signal_write_fd.load(std::memory_order_relaxed);
  if (fd >= 0) {
    const auto byte = static_cast<unsigned char>(signal_number);
    // A full pipe (EAGAIN) already holds a wake-up for the watcher, so dropping it is fine.
    [[maybe_unused]] const auto written = ::write(fd, &byte, 1);
  }
  errno = saved_errno;
}

void create_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    g_pipe_errno = errno;
    return;
  }
  // Only the write end is non-blocking: the handler must never block, the watcher should.
  ::fcntl(fds[1], F_SETFL, ::fcntl(fds[1], F_GETFL) | O_NONBLOCK);
  g_signal_read_fd = fds[0];
  g_signal_write_fd.store(fds[1]);
}

// Bytes left over from an earlier installation (a handler that was mid-flight while it
// ended) must not cancel the next run.
void drain_pipe() {
  pollfd pfd{g_signal_read_fd, POLLIN, 0};
  unsigned char buffer[64];
  while (::poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLIN) != 0) {
    if (::read(g_signal_read_fd, buffer, sizeof buffer) <= 0) {
      break;
    }
  }
}

}  // namespace

void default_signal_notice(int signal_number, int count) {
  const char* name = signal_number == SIGTERM ? "SIGTERM" : "Ctrl-C";
  if (count == 1) {
    std::fprintf(stderr,
                 "\nwharf: %s received: stopping. No new task starts; running tasks are being "
                 "stopped and their containers removed.\n",
                 name);
  } else {
    std::fprintf(stderr,
                 "\nwharf: %s received again: still cleaning up. wharf waits until running tasks "
                 "have stopped so that no container is left behind, then exits.\n",
                 name);
  }
  std::fflush(stderr);
}

struct SignalCancellation::State {
  CancelToken* token = nullptr;
  SignalNotice notice;
  std::atomic<int> count{0};
  std::atomic<int> first_signal{0};
  struct sigaction previous_int {};
  struct sigaction previous_term {};
  std::jthread watcher;

  void watch() {
    unsigned char buffer[64];
    for (;;) {
      const auto got = ::read(g_signal_read_fd, buffer, sizeof buffer);
      if (got < 0 && errno == EINTR) {
        continue;
      }
      if (got <= 0) {
        return;
      }
      for (ssize_t i = 0; i < got; ++i) {
        if (buffer[i] == kStopByte) {
          return;
        }
        const int n = count.fetch_add(1) + 1;
        if (n == 1) {
          first_signal.store(buffer[i]);
        }
        token->cancel();
        if (notice) {
          notice(buffer[i], n);
        }
      }
    }
  }

  ~State() {
    // Restore the old handlers first so no new signal reaches the pipe, then stop the watcher.
    ::sigaction(SIGINT, &previous_int, nullptr);
    ::sigaction(SIGTERM, &previous_term, nullptr);
    if (watcher.joinable()) {
      // The write end is non-blocking; retry on a full pipe until the watcher drained it.
      while (::write(g_signal_write_fd.load(), &kStopByte, 1) != 1) {
        if (errno != EAGAIN && errno != EINTR) {
          break;
        }
        std::this_thread::yield();
      }
      watcher.join();
    }
    g_installed.store(false);
  }
};

SignalCancellation::SignalCancellation(std::unique_ptr<State> state) : state_(std::move(state)) {}
SignalCancellation::SignalCancellation(SignalCancellation&&) noexcept = default;
SignalCancellation& SignalCancellation::operator=(SignalCancellation&&) noexcept = default;
SignalCancellation::~SignalCancellation() = default;

int SignalCancellation::signals_received() const noexcept {
  return state_ ? state_->count.load() : 0;
}

int SignalCancellation::first_signal() const noexcept {
  return state_ ? state_->first_signal.load() : 0;
}

int SignalCancellation::exit_code_after_signal(int fallback) const noexcept {
  const int signal_number = first_signal();
  return signal_number == 0 ? fallback : 128 + signal_number;
}

Result<SignalCancellation> install_signal_cancellation(CancelToken& token, SignalNotice notice) {
  bool expected = false;
  if (!g_installed.compare_exchange_strong(expected, true)) {
    return fail(ErrorKind::conflict,
                "signal cancellation is already installed in this process — end the earlier "
                "installation (destroy its SignalCancellation) before installing another.");
  }
  std::call_once(g_pipe_once, create_pipe);
  if (g_signal_read_fd < 0) {
    g_installed.store(false);
    return fail(ErrorKind::io, std::string("cannot create the pipe that turns Ctrl-C into a "
                                           "clean stop: ") +
                                   std::strerror(g_pipe_errno) +
                                   " — free some file descriptors (ulimit -n) and try again.");
  }
  drain_pipe();

  auto state = std::make_unique<SignalCancellation::State>();
  state->token = &token;
  state->notice = std::move(notice);

  struct sigaction action {};
  action.sa_handler = wharf_on_cancel_signal;
  sigemptyset(&action.sa_mask);
  // SA_RESTART keeps other threads' blocking calls from failing with EINTR because of us.
  action.sa_flags = SA_RESTART;
  if (::sigaction(SIGINT, &action, &state->previous_int) != 0 ||
      ::sigaction(SIGTERM, &action, &state->previous_term) != 0) {
    // Destroying `state` restores whatever was installed before and clears g_installed.
    const int err = errno;
    return fail(ErrorKind::io, std::string("cannot install the Ctrl-C handler: ") +
                                   std::strerror(err) + " — this is a bug in wharf; report it.");
  }
  state->watcher = std::jthread([raw = state.get()] { raw->watch(); });
  return SignalCancellation(std::move(state));
}

}  // namespace wharf::dispatch
