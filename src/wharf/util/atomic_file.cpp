#include "wharf/util/atomic_file.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wharf/util/failpoint.hpp"

namespace wharf {
namespace {

namespace fs = std::filesystem;

std::string path_text(const fs::path& path) {
  return path.string();
}

std::string describe_duration(std::chrono::milliseconds duration) {
  if (duration.count() % 1000 == 0) {
    return std::to_string(duration.count() / 1000) + " s";
  }
  return std::to_string(duration.count()) + " ms";
}

// Removes the temporary file unless the rename that publishes it succeeded.
class TemporaryFile {
 public:
  explicit TemporaryFile(std::string path) : path_(std::move(path)) {}
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  ~TemporaryFile() {
    if (!published_) {
      ::unlink(path_.c_str());
    }
  }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  void mark_published() noexcept { published_ = true; }

 private:
  std::string path_;
  bool published_ = false;
};

bool is_permission_errno(int error) noexcept {
  return error == EACCES || error == EPERM || error == EROFS;
}

std::unexpected<Error> write_error(const fs::path& target, const fs::path& directory,
                                   std::string_view step, int error) {
  if (is_permission_errno(error)) {
    return fail(ErrorKind::permission,
                "cannot write " + path_text(target) + ": the directory " + path_text(directory) +
                    " is not writable (read-only file system or permissions) — make it "
                    "writable or run wharf as a user who can write it");
  }
  if (error == ENOENT) {
    return fail(ErrorKind::not_found, "cannot write " + path_text(target) + ": the directory " +
                                          path_text(directory) +
                                          " does not exist — create it or check the path");
  }
  if (error == ENOSPC || error == EDQUOT) {
    return fail(ErrorKind::io, "cannot write " + path_text(target) +
                                   ": no space left on its file system — free some space and "
                                   "retry; the file was left unchanged");
  }
  return fail(ErrorKind::io, "cannot write " + path_text(target) + ": " + std::string(step) +
                                 " failed: " + std::strerror(error) +
                                 " — the file was left unchanged; check the disk and retry");
}

// Returns 0 or the errno of the write that failed.
int write_all(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t written = ::write(fd, content.data(), content.size());
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      return errno;
    }
    content.remove_prefix(static_cast<std::size_t>(written));
  }
  return 0;
}

// The file a path finally names: a symlinked .env is edited where it lives, keeping the link.
fs::path resolve_target(const fs::path& target) {
  std::error_code error;
  if (fs::is_symlink(target, error)) {
    fs::path resolved = fs::weakly_canonical(target, error);
    if (!error) {
      return resolved;
    }
  }
  return target;
}

// write_file_atomically's temporary for `resolved` is temporary_prefix(resolved) followed by
// the six characters mkostemp puts in place of kRandomPart.
constexpr std::string_view kRandomPart = "XXXXXX";

std::string temporary_prefix(const fs::path& resolved) {
  return "." + resolved.filename().string() + ".";
}

bool is_mkstemp_char(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// WHARF_ATOMIC_WRITE_FAILPOINT (see the header): a writer killed between write and rename.
void stop_before_rename_if_asked(const fs::path& resolved) {
  const auto point = failpoint("WHARF_ATOMIC_WRITE_FAILPOINT");
  if (point && resolved.filename() == *point) {
    ::raise(SIGKILL);
  }
}

}  // namespace

std::vector<fs::path> remove_stale_temporaries(const fs::path& target) {
  const fs::path resolved = resolve_target(target);
  fs::path directory = resolved.parent_path();
  if (directory.empty()) {
    directory = ".";
  }
  const auto prefix = temporary_prefix(resolved);
  std::vector<fs::path> removed;
  std::error_code error;
  for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
    const auto name = it->path().filename().string();
    if (name.size() != prefix.size() + kRandomPart.size() || !name.starts_with(prefix) ||
        !std::all_of(name.begin() + static_cast<std::ptrdiff_t>(prefix.size()), name.end(),
                     is_mkstemp_char)) {
      continue;
    }
    std::error_code status_error;
    // Never follow a link: only a regular file wharf itself could have made is removed.
    if (!it->is_regular_file(status_error) || it->is_symlink(status_error)) {
      continue;
    }
    if (std::error_code remove_error; fs::remove(it->path(), remove_error)) {
      removed.push_back(it->path());
    }
  }
  return removed;
}

Result<std::string> read_text_file(const fs::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    const int error = errno;
    if (error == ENOENT || error == ENOTDIR) {
      return fail(ErrorKind::not_found,
                  "cannot read " + path_text(path) + ": it does not exist — check the path");
    }
    if (error == EACCES || error == EPERM) {
      return fail(ErrorKind::permission,
                  "cannot read " + path_text(path) +
                      ": permission denied — make it readable or run wharf as a user who can "
                      "read it");
    }
    return fail(ErrorKind::io, "cannot read " + path_text(path) + ": " + std::strerror(error));
  }
  std::string content;
  char buffer[65536];
  while (true) {
    const ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
    if (got == 0) {
      return content;
    }
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      const int error = errno;
      return fail(ErrorKind::io, "cannot read " + path_text(path) + ": " + std::strerror(error) +
                                     (error == EISDIR ? " — give the path of a file" : ""));
    }
    content.append(buffer, static_cast<std::size_t>(got));
  }
}

Result<void> write_file_atomically(const fs::path& target, std::string_view content) {
  const fs::path resolved = resolve_target(target);
  fs::path directory = resolved.parent_path();
  if (directory.empty()) {
    directory = ".";
  }

  struct stat existing {};
  const bool existed = ::stat(resolved.c_str(), &existing) == 0;
  if (existed && S_ISDIR(existing.st_mode)) {
    return fail(ErrorKind::invalid_input, "cannot write " + path_text(target) +
                                              ": it is a directory — give the path of a file");
  }
  const mode_t mode = existed ? (existing.st_mode & 07777) : 0644;

  std::string name = (directory / (temporary_prefix(resolved) + std::string(kRandomPart))).string();
  Fd fd(::mkostemp(name.data(), O_CLOEXEC));
  if (!fd) {
    return write_error(target, directory, "creating a temporary file", errno);
  }
  TemporaryFile temporary(std::move(name));

  if (const int error = write_all(fd.get(), content); error != 0) {
    return write_error(target, directory, "writing", error);
  }
  if (::fchmod(fd.get(), mode) != 0) {
    return write_error(target, directory, "setting the file mode", errno);
  }
  if (existed && (existing.st_uid != ::geteuid() || existing.st_gid != ::getegid())) {
    // Keeping the owner needs privileges; without them the file becomes ours, which is what
    // any editor does too, so a failure here is not an error.
    [[maybe_unused]] const int ignored = ::fchown(fd.get(), existing.st_uid, existing.st_gid);
  }
  if (::fsync(fd.get()) != 0) {
    return write_error(target, directory, "flushing to disk", errno);
  }
  if (::close(fd.release()) != 0) {
    return write_error(target, directory, "closing the temporary file", errno);
  }
  stop_before_rename_if_asked(resolved);
  if (::rename(temporary.path().c_str(), resolved.c_str()) != 0) {
    return write_error(target, directory, "renaming the temporary file over it", errno);
  }
  temporary.mark_published();

  // Without this the rename may be lost on power failure even though the data is on disk.
  // Some file systems cannot fsync a directory (EINVAL); the rename has happened either way.
  Fd directory_fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (directory_fd && ::fsync(directory_fd.get()) != 0 && errno != EINVAL && errno != EROFS) {
    return fail(ErrorKind::io, "wrote " + path_text(target) +
                                   " but could not flush its directory " + path_text(directory) +
                                   " to disk: " + std::strerror(errno) +
                                   " — check the disk; the new content may not survive a crash");
  }
  return {};
}

Result<DirectoryLock> DirectoryLock::acquire(const fs::path& directory,
                                             std::chrono::milliseconds timeout) {
  Fd fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) {
    const int error = errno;
    if (error == ENOENT) {
      return fail(ErrorKind::not_found, "cannot lock the directory " + path_text(directory) +
                                            ": it does not exist — create it or check the path");
    }
    if (error == ENOTDIR) {
      return fail(ErrorKind::invalid_input, "cannot lock " + path_text(directory) +
                                                ": it is not a directory — check the path");
    }
    if (error == EACCES || error == EPERM) {
      return fail(ErrorKind::permission,
                  "cannot lock the directory " + path_text(directory) +
                      ": permission denied — run wharf as a user who can read it");
    }
    return fail(ErrorKind::io,
                "cannot lock the directory " + path_text(directory) + ": " + std::strerror(error));
  }

  auto taken = flock_within(fd.get(), timeout);
  if (!taken) {
    return fail(ErrorKind::io,
                "cannot lock the directory " + path_text(directory) + ": " + taken.error().message);
  }
  if (!*taken) {
    return fail(ErrorKind::timeout,
                "timed out after " + describe_duration(timeout) +
                    " waiting for the lock on the directory " + path_text(directory) +
                    ": another wharf process is changing files there — let it finish and "
                    "retry (`fuser -v " +
                    path_text(directory) + "` shows who holds it)");
  }
  return DirectoryLock(std::move(fd), directory);
}

Result<bool> flock_within(int fd, std::chrono::milliseconds timeout,
                          std::chrono::milliseconds longest_pause) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto pause = std::chrono::milliseconds(1);
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) {
      continue;
    }
    if (errno != EWOULDBLOCK) {
      return fail(ErrorKind::io, std::strerror(errno));
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(pause, deadline - now));
    pause = std::min(pause * 2, longest_pause);
  }
  return true;
}

}  // namespace wharf
