#include "wharf/util/atomic_file.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/peers.hpp"

namespace wharf {
namespace {

namespace fs = std::filesystem;
using test::read_file;
using test::TempDir;
using test::write_file;
using ::testing::HasSubstr;

std::vector<std::string> names_in(const fs::path& directory) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory)) {
    names.push_back(entry.path().filename().string());
  }
  std::ranges::sort(names);
  return names;
}

mode_t mode_of(const fs::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

ino_t inode_of(const fs::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_ino;
}

// Runs `body` in a forked child and returns its exit code; a crash is reported as 128+signal.
// The children here never touch gtest: they report through their exit code (and files).
template <typename Body>
int in_child(Body body) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::_exit(body());
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(ReadTextFile, ReadsBytesExactly) {
  TempDir dir;
  const std::string content("a\r\nb\0c", 6);
  write_file(dir.path() / "f", content);
  auto read = read_text_file(dir.path() / "f");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(*read, content);
}

TEST(ReadTextFile, NamesThePathAndTheCause) {
  TempDir dir;
  auto missing = read_text_file(dir.path() / "nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
  EXPECT_THAT(missing.error().message, HasSubstr((dir.path() / "nope").string()));
  EXPECT_THAT(missing.error().message, HasSubstr("does not exist"));

  auto directory = read_text_file(dir.path());
  ASSERT_FALSE(directory);
  EXPECT_EQ(directory.error().kind, ErrorKind::io);
  EXPECT_THAT(directory.error().message, HasSubstr(dir.path().string()));
}

TEST(WriteFileAtomically, CreatesANewFileWithMode0644) {
  TempDir dir;
  const auto target = dir.path() / ".env";
  ASSERT_TRUE(write_file_atomically(target, "A=1\n"));
  EXPECT_EQ(read_file(target), "A=1\n");
  EXPECT_EQ(mode_of(target), 0644U);
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{".env"});
}

TEST(WriteFileAtomically, ReplacesTheInodeAndKeepsTheMode) {
  TempDir dir;
  const auto target = dir.path() / ".env";
  for (const mode_t mode : {0600U, 0755U, 0640U}) {
    write_file(target, "old\n");
    ASSERT_EQ(::chmod(target.c_str(), mode), 0);
    const ino_t before = inode_of(target);
    ASSERT_TRUE(write_file_atomically(target, "new\n"));
    EXPECT_EQ(read_file(target), "new\n");
    EXPECT_EQ(mode_of(target), mode);
    EXPECT_NE(inode_of(target), before) << "a rename gives the file a new inode";
  }
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{".env"});
}

TEST(WriteFileAtomically, KeepsTheOwner) {
  TempDir dir;
  const auto target = dir.path() / ".env";
  write_file(target, "old\n");
  ASSERT_EQ(::chown(target.c_str(), 1234, 5678), 0);  // The tests run as root.
  ASSERT_TRUE(write_file_atomically(target, "new\n"));
  struct stat info {};
  ASSERT_EQ(::stat(target.c_str(), &info), 0);
  EXPECT_EQ(info.st_uid, 1234U);
  EXPECT_EQ(info.st_gid, 5678U);
}

TEST(WriteFileAtomically, FollowsASymlinkAndKeepsIt) {
  TempDir dir;
  fs::create_directory(dir.path() / "real");
  write_file(dir.path() / "real" / "env", "old\n");
  fs::create_symlink("real/env", dir.path() / ".env");
  ASSERT_TRUE(write_file_atomically(dir.path() / ".env", "new\n"));
  EXPECT_TRUE(fs::is_symlink(dir.path() / ".env"));
  EXPECT_EQ(read_file(dir.path() / "real" / "env"), "new\n");
  EXPECT_EQ(names_in(dir.path() / "real"), std::vector<std::string>{"env"});
}

TEST(WriteFileAtomically, MissingDirectoryIsNotFound) {
  TempDir dir;
  const auto target = dir.path() / "no" / "such" / ".env";
  auto result = write_file_atomically(target, "x");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::not_found);
  EXPECT_THAT(result.error().message, HasSubstr(target.string()));
  EXPECT_THAT(result.error().message, HasSubstr("does not exist"));
  EXPECT_TRUE(names_in(dir.path()).empty());
}

TEST(WriteFileAtomically, RefusesADirectoryTarget) {
  TempDir dir;
  fs::create_directory(dir.path() / "sub");
  auto result = write_file_atomically(dir.path() / "sub", "x");
  ASSERT_FALSE(result);
  EXPECT_THAT(result.error().message, HasSubstr("is a directory"));
  EXPECT_TRUE(fs::is_directory(dir.path() / "sub"));
}

// A write that fails half-way (here: the file size limit, which even root obeys) must leave the
// target byte-identical and no temporary file behind.
TEST(WriteFileAtomically, FailedWriteLeavesTargetAndNoTemporary) {
  TempDir dir;
  const auto target = dir.path() / ".env";
  write_file(target, "A=1\n");
  const std::string big(100000, 'x');
  const int code = in_child([&] {
    ::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{1000, 1000};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    auto result = write_file_atomically(target, big);
    if (result) {
      return 10;
    }
    return result.error().kind == ErrorKind::io &&
                   result.error().message.find(target.string()) != std::string::npos
               ? 0
               : 11;
  });
  EXPECT_EQ(code, 0) << "10: the write succeeded, 11: wrong error";
  EXPECT_EQ(read_file(target), "A=1\n");
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{".env"});
}

// As root, permission bits do not stop a write, so a read-only directory is made for real: a
// read-only bind mount inside a private mount namespace of a forked child (the mount vanishes
// with the child). The child writes its error message to a file outside the mount.
TEST(WriteFileAtomically, ReadOnlyDirectoryIsAPermissionErrorAndTargetIsUntouched) {
  TempDir dir;
  const auto locked = dir.path() / "ro";
  fs::create_directory(locked);
  const auto target = locked / ".env";
  write_file(target, "A=1\n");
  const auto report = dir.path() / "report";
  const int code = in_child([&] {
    if (::unshare(CLONE_NEWNS) != 0 ||
        ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
        ::mount(locked.c_str(), locked.c_str(), nullptr, MS_BIND, nullptr) != 0 ||
        ::mount(nullptr, locked.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) != 0) {
      return 20;
    }
    auto lock = DirectoryLock::acquire(locked, std::chrono::milliseconds(100));
    if (!lock) {
      return 21;
    }
    auto result = write_file_atomically(target, "A=2\n");
    if (result) {
      return 22;
    }
    test::write_file(report, result.error().message);
    return result.error().kind == ErrorKind::permission ? 0 : 23;
  });
  ASSERT_EQ(code, 0) << "20: a private read-only bind mount is not permitted here, 21: no lock "
                        "on a read-only directory, 22: the write succeeded, 23: wrong kind";
  EXPECT_EQ(read_file(report), "cannot write " + target.string() + ": the directory " +
                                   locked.string() +
                                   " is not writable (read-only file system or permissions) — "
                                   "make it writable or run wharf as a user who can write it");
  EXPECT_EQ(read_file(target), "A=1\n");
  EXPECT_EQ(names_in(locked), std::vector<std::string>{".env"});
}

TEST(DirectoryLock, ExcludesASecondHolderUntilReleased) {
  TempDir dir;
  auto first = DirectoryLock::acquire(dir.path());
  ASSERT_TRUE(first) << first.error().message;

  const auto started = std::chrono::steady_clock::now();
  auto second = DirectoryLock::acquire(dir.path(), std::chrono::milliseconds(150));
  const auto waited = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().kind, ErrorKind::timeout);
  EXPECT_THAT(second.error().message, HasSubstr(dir.path().string()));
  EXPECT_THAT(second.error().message, HasSubstr("150 ms"));
  EXPECT_GE(waited, std::chrono::milliseconds(150));
  EXPECT_LT(waited, std::chrono::milliseconds(1000));

  DirectoryLock moved = std::move(*first);  // Moving keeps the lock held.
  EXPECT_FALSE(DirectoryLock::acquire(dir.path(), std::chrono::milliseconds(0)));
  { [[maybe_unused]] DirectoryLock released = std::move(moved); }
  EXPECT_TRUE(DirectoryLock::acquire(dir.path(), std::chrono::milliseconds(0)));
  EXPECT_TRUE(names_in(dir.path()).empty()) << "locking must leave no file behind";
}

TEST(DirectoryLock, WaitsForAnotherProcess) {
  TempDir dir;
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    auto lock = DirectoryLock::acquire(dir.path());
    char byte = lock ? '1' : '0';
    [[maybe_unused]] auto written = ::write(ready[1], &byte, 1);
    ::usleep(300'000);
    ::_exit(0);  // Dying releases the lock.
  }
  char byte = 0;
  ASSERT_EQ(::read(ready[0], &byte, 1), 1);
  ASSERT_EQ(byte, '1');
  const auto started = std::chrono::steady_clock::now();
  auto lock = DirectoryLock::acquire(dir.path(), std::chrono::seconds(5));
  const auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_TRUE(lock) << lock.error().message;
  EXPECT_GE(waited, std::chrono::milliseconds(200));
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(ready[0]);
  ::close(ready[1]);
}

TEST(DirectoryLock, MissingDirectoryIsNotFound) {
  TempDir dir;
  auto lock = DirectoryLock::acquire(dir.path() / "missing");
  ASSERT_FALSE(lock);
  EXPECT_EQ(lock.error().kind, ErrorKind::not_found);
  EXPECT_THAT(lock.error().message, HasSubstr((dir.path() / "missing").string()));
}

// Only regular files named exactly as write_file_atomically names its temporary for this
// target go; a link with such a name is not followed or removed, and a linked target has its
// temporaries where the file lives.
TEST(RemoveStaleTemporaries, RemovesOnlyWharfsOwnLeftoversForThatFile) {
  TempDir dir;
  const auto target = dir.path() / ".env";
  write_file(target, "A=1\n");
  write_file(dir.path() / "..env.aB3dE9", "left by a killed writer");
  write_file(dir.path() / "..env.aB3dE", "five characters");
  write_file(dir.path() / "..env.aB3dE9x", "seven characters");
  write_file(dir.path() / "..env.aB_dE9", "not mkstemp's alphabet");
  write_file(dir.path() / ".VERSION.aB3dE9", "another file's temporary");
  write_file(dir.path() / "precious", "kept");
  fs::create_symlink(dir.path() / "precious", dir.path() / "..env.LiNk99");
  fs::create_directory(dir.path() / "..env.DiRe99");

  const auto removed = remove_stale_temporaries(target);
  EXPECT_EQ(removed, std::vector<fs::path>{dir.path() / "..env.aB3dE9"});
  EXPECT_EQ(
      names_in(dir.path()),
      (std::vector<std::string>{"..env.DiRe99", "..env.LiNk99", "..env.aB3dE", "..env.aB3dE9x",
                                "..env.aB_dE9", ".VERSION.aB3dE9", ".env", "precious"}));
  EXPECT_EQ(read_file(dir.path() / "precious"), "kept");

  TempDir elsewhere;
  write_file(elsewhere.path() / "real.env", "A=1\n");
  write_file(elsewhere.path() / ".real.env.Zz0099", "left");
  fs::create_symlink(elsewhere.path() / "real.env", dir.path() / "linked.env");
  EXPECT_EQ(remove_stale_temporaries(dir.path() / "linked.env"),
            std::vector<fs::path>{elsewhere.path() / ".real.env.Zz0099"});
}

}  // namespace
}  // namespace wharf
