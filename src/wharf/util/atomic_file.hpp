#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "wharf/core/error.hpp"
#include "wharf/util/fd.hpp"

namespace wharf {

/// Reads a whole file. Errors name the path and the cause: not_found when it does not exist,
/// permission when access is refused, io for anything else (a directory, a read error).
[[nodiscard]] Result<std::string> read_text_file(const std::filesystem::path& path);

/// Replaces `target` with `content` so that a reader (or a crash) sees either the old bytes or
/// the new ones, never a mix: the content goes to a temporary file `.<name>.XXXXXX` in the same
/// directory, is fsync'ed, gets the original file's mode (and owner, when the process may set
/// it) or 0644 for a new file, and is renamed over the target; then the directory is fsync'ed
/// so the rename itself is durable. A symlink target is followed: the file it points to is
/// replaced and the link is kept.
///
/// On failure the temporary file is removed and the target is left untouched. A directory that
/// cannot be written gives a permission error naming the directory.
///
/// This does not serialise concurrent writers (the last rename wins); hold a DirectoryLock
/// around a read-modify-write.
///
/// For tests only (only a build with tests reads it, see wharf/util/failpoint.hpp):
/// WHARF_ATOMIC_WRITE_FAILPOINT=<file name> makes the process kill itself (SIGKILL) once the
/// temporary file for a target of that name is written and flushed, before the rename: how the
/// tests leave the leftovers of a killed writer.
[[nodiscard]] Result<void> write_file_atomically(const std::filesystem::path& target,
                                                 std::string_view content);

/// Removes what write_file_atomically(`target`) leaves behind when the process is killed
/// between creating its temporary file and renaming it: regular files named `.<name>.XXXXXX`
/// (exactly six of mkstemp's letters and digits) next to the file `target` finally names.
/// Nothing else is touched. Only call it while holding the lock that every writer of `target`
/// holds, or it could remove the file of a writer that is still working. Best effort: a file
/// that cannot be removed is left. Returns the files removed.
std::vector<std::filesystem::path> remove_stale_temporaries(const std::filesystem::path& target);

/// An exclusive advisory lock (flock) on a directory, held for this object's lifetime.
/// Move-only.
///
/// The lock is on the directory rather than on the file being edited because
/// write_file_atomically replaces the file's inode: a writer that locked the old inode would
/// not exclude one that opened the new file. Locking an O_RDONLY descriptor of the directory
/// also works in a read-only directory and leaves no lock file behind. flock locks belong to
/// the open file description, so two DirectoryLocks exclude each other even inside one
/// process; they are released when the process dies, so a crash never leaves a stale lock.
/// Only cooperating processes (wharf) are excluded.
/// Takes an exclusive flock(2) on `fd`, polling until `timeout` runs out: true once taken,
/// false when another holder kept it that long. Polling with LOCK_NB keeps the wait bounded
/// without signals; the pause between tries doubles from 1 ms up to `longest_pause`, so a
/// waiter is quick when the holder needs only milliseconds. Fails (io, with the system's
/// reason) only when flock itself does.
[[nodiscard]] Result<bool> flock_within(
    int fd, std::chrono::milliseconds timeout,
    std::chrono::milliseconds longest_pause = std::chrono::milliseconds(8));

class DirectoryLock {
 public:
  /// How long acquire() waits by default: long enough for another wharf to finish an edit,
  /// short enough that a hung one is reported rather than waited on forever.
  static constexpr std::chrono::milliseconds kDefaultTimeout = std::chrono::seconds(10);

  /// Takes the lock on `directory`, polling until `timeout` runs out. Errors: not_found when the
  /// directory does not exist, permission when it cannot be opened, timeout (naming the
  /// directory) when another process holds the lock for longer than `timeout`.
  [[nodiscard]] static Result<DirectoryLock> acquire(
      const std::filesystem::path& directory, std::chrono::milliseconds timeout = kDefaultTimeout);

  DirectoryLock(DirectoryLock&&) noexcept = default;
  DirectoryLock& operator=(DirectoryLock&&) noexcept = default;
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;
  ~DirectoryLock() = default;  // Closing the descriptor releases the lock.

  [[nodiscard]] const std::filesystem::path& directory() const noexcept { return directory_; }

 private:
  DirectoryLock(Fd fd, std::filesystem::path directory)
      : fd_(std::move(fd)), directory_(std::move(directory)) {}

  Fd fd_;
  std::filesystem::path directory_;
};

}  // namespace wharf
