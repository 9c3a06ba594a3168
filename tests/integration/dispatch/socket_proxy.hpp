#pragma once

// A Unix-socket proxy that a test can cut: the way to make a worker's engine "go away" in the
// middle of a task while the engine itself (shared with the other workers) stays up.

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "wharf/util/fd.hpp"

namespace wharf::backends::test {

class UnixSocketProxy {
 public:
  /// Listens on `listen_path` (which must not exist) and, for every connection accepted there,
  /// opens one to `target_path` and copies bytes both ways until either side closes. Throws
  /// std::system_error when the listening socket cannot be set up.
  UnixSocketProxy(std::filesystem::path listen_path, std::filesystem::path target_path);
  UnixSocketProxy(const UnixSocketProxy&) = delete;
  UnixSocketProxy& operator=(const UnixSocketProxy&) = delete;
  /// close()s.
  ~UnixSocketProxy();

  /// Cuts everything, as a crashed host or a dropped network would: stops accepting, removes
  /// the socket file (new connections then fail with ENOENT), and shuts down both ends of
  /// every connection it pumps, so their clients see them drop mid-request. Returns once all
  /// its threads have ended. Idempotent; thread-safe.
  void close();

  [[nodiscard]] const std::filesystem::path& path() const { return listen_path_; }
  /// Connections accepted so far.
  [[nodiscard]] std::size_t accepted() const { return accepted_.load(); }

 private:
  void accept_loop();
  void pump(int client, int upstream);
  void forget(int fd);

  std::filesystem::path listen_path_;
  std::filesystem::path target_path_;
  Fd listener_;
  Fd wakeup_;  ///< An eventfd that becomes readable, for good, when close() starts.
  std::atomic<bool> closed_{false};
  std::atomic<std::size_t> accepted_{0};
  std::mutex close_mutex_;  ///< Serialises close() callers.
  std::mutex mutex_;        ///< Guards open_fds_ and pumps_.
  std::set<int> open_fds_;  ///< Pumped sockets still open, so close() can shut them down.
  std::vector<std::jthread> pumps_;
  std::jthread acceptor_;
};

}  // namespace wharf::backends::test
