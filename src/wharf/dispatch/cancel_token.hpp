#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string_view>

#include "wharf/core/error.hpp"

namespace wharf::dispatch {

/// A run-wide "please stop" flag that every worker thread can poll, sleep on, or hook into.
///
/// Built on std::stop_source so that callbacks get its guarantees for free: a callback runs
/// exactly once, and unregistering it waits for a callback that is running right now.
/// All members are thread-safe. `cancel()` is *not* async-signal-safe (it takes a mutex and
/// runs callbacks); from a signal handler, use install_signal_cancellation() below.
class CancelToken {
 public:
  CancelToken() = default;
  CancelToken(const CancelToken&) = delete;
  CancelToken& operator=(const CancelToken&) = delete;

  /// Requests cancellation. The first call runs every registered callback on the calling
  /// thread, then wakes every wait_for(); later calls do nothing. Idempotent, never throws.
  void cancel() noexcept;

  /// True once cancel() was called.
  [[nodiscard]] bool cancelled() const noexcept { return source_.stop_requested(); }

  /// Sleeps for up to `duration`, returning early as soon as cancellation is requested.
  /// Returns true when the token is cancelled (also when it already was on entry).
  bool wait_for(std::chrono::milliseconds duration) const;

  /// The underlying stop token, for std::jthread, std::stop_callback and
  /// std::condition_variable_any waits.
  [[nodiscard]] std::stop_token stop_token() const noexcept { return source_.get_token(); }

 private:
  std::stop_source source_;
  mutable std::mutex mutex_;
  mutable std::condition_variable wake_;
};

/// Runs `callback` when `token` is cancelled, for as long as this object lives (RAII).
///
/// If the token is already cancelled, the callback runs at once inside the constructor.
/// Otherwise it runs on the thread that calls cancel(). The destructor unregisters it and,
/// if it is running on another thread at that moment, waits for it to return, so the
/// callback may safely capture references to objects that outlive this registration.
/// The callback must not throw and must not destroy this registration.
class CancelCallback {
 public:
  CancelCallback(const CancelToken& token, std::function<void()> callback);
  CancelCallback(const CancelCallback&) = delete;
  CancelCallback& operator=(const CancelCallback&) = delete;

 private:
  std::stop_callback<std::function<void()>> registration_;
};

/// Called on the watcher thread (never inside the signal handler) for each SIGINT/SIGTERM;
/// `count` is 1 for the first signal, 2 for the second, and so on.
using SignalNotice = std::function<void(int signal_number, int count)>;

/// The notice install_signal_cancellation() uses unless given another: on the first signal
/// it tells the user on stderr that wharf is stopping its tasks; on every later one it says
/// that wharf is still cleaning up and will exit once that is done.
void default_signal_notice(int signal_number, int count);

/// While alive, SIGINT and SIGTERM cancel a token instead of killing the process.
///
/// The handler only write()s the signal number to a non-blocking self-pipe (async-signal-
/// safe); a watcher thread reads it, calls `token.cancel()` and the notice. A second Ctrl-C
/// does *not* abort: wharf still waits until running tasks are stopped and their containers
/// removed, so nothing is left behind, and the notice says so. (SIGKILL remains the way to
/// leave at once.) The destructor restores the previous handlers and joins the watcher.
/// The token must outlive this object. Move-only.
class SignalCancellation {
 public:
  SignalCancellation(SignalCancellation&&) noexcept;
  SignalCancellation& operator=(SignalCancellation&&) noexcept;
  ~SignalCancellation();

  /// How many SIGINT/SIGTERM arrived so far.
  [[nodiscard]] int signals_received() const noexcept;
  /// The first signal that arrived (SIGINT or SIGTERM), 0 while none has.
  [[nodiscard]] int first_signal() const noexcept;
  /// The shell's exit status for a process ended by that signal (130 after Ctrl-C, 143
  /// after SIGTERM), or `fallback` while none has arrived.
  [[nodiscard]] int exit_code_after_signal(int fallback) const noexcept;

  struct State;

 private:
  friend Result<SignalCancellation> install_signal_cancellation(CancelToken&, SignalNotice);
  explicit SignalCancellation(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

/// Routes SIGINT and SIGTERM to `token` (see SignalCancellation). Only one installation may
/// be alive at a time in a process; a second one fails with ErrorKind::conflict, and a
/// failing pipe()/sigaction() with ErrorKind::io.
[[nodiscard]] Result<SignalCancellation> install_signal_cancellation(
    CancelToken& token, SignalNotice notice = default_signal_notice);

}  // namespace wharf::dispatch
