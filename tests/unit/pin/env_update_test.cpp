#include "wharf/pin/env_update.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
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
using ::testing::StartsWith;

ino_t inode_of(const fs::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_ino;
}

auto setter(std::string key, std::string value) {
  return [key = std::move(key), value = std::move(value)](EnvFile& file) {
    return file.set(key, value);
  };
}

TEST(UpdateEnvFile, EditsInPlaceAndReportsTheWrite) {
  TempDir dir;
  const auto env = dir.path() / ".env";
  write_file(env, "# stack\nIMAGE_TAG=v1 # pinned\n");
  auto wrote = update_env_file(env, setter("IMAGE_TAG", "v2"));
  ASSERT_TRUE(wrote) << wrote.error().message;
  EXPECT_TRUE(*wrote);
  EXPECT_EQ(read_file(env), "# stack\nIMAGE_TAG=v2 # pinned\n");
}

TEST(UpdateEnvFile, UnchangedBytesAreNotWritten) {
  TempDir dir;
  const auto env = dir.path() / ".env";
  write_file(env, "IMAGE_TAG=v1\n");
  const ino_t before = inode_of(env);
  auto wrote = update_env_file(env, setter("IMAGE_TAG", "v1"));
  ASSERT_TRUE(wrote) << wrote.error().message;
  EXPECT_FALSE(*wrote);
  EXPECT_EQ(inode_of(env), before);
}

TEST(UpdateEnvFile, FailedEditWritesNothing) {
  TempDir dir;
  const auto env = dir.path() / ".env";
  write_file(env, "IMAGE_TAG=v1\n");
  const ino_t before = inode_of(env);
  auto wrote = update_env_file(env, [](EnvFile& file) -> Result<void> {
    if (auto set = file.set("IMAGE_TAG", "v2"); !set) {
      return set;
    }
    return fail(ErrorKind::conflict, "the edit changed its mind");
  });
  ASSERT_FALSE(wrote);
  EXPECT_EQ(wrote.error().kind, ErrorKind::conflict);
  EXPECT_EQ(read_file(env), "IMAGE_TAG=v1\n");
  EXPECT_EQ(inode_of(env), before);
}

TEST(UpdateEnvFile, AbsentFileStartsFromTheTemplate) {
  TempDir dir;
  const auto env = dir.path() / ".env";
  const auto example = dir.path() / ".env.example";
  write_file(example, "# copy me\nIMAGE_TAG=latest\nOTHER=1");
  auto wrote = update_env_file(env, setter("IMAGE_TAG", "v3"), example);
  ASSERT_TRUE(wrote) << wrote.error().message;
  EXPECT_TRUE(*wrote);
  EXPECT_EQ(read_file(env), "# copy me\nIMAGE_TAG=v3\nOTHER=1");
  EXPECT_EQ(read_file(example), "# copy me\nIMAGE_TAG=latest\nOTHER=1");
}

TEST(UpdateEnvFile, AbsentFileWithoutTemplateStartsEmpty) {
  TempDir dir;
  const auto env = dir.path() / ".env";
  auto untouched = update_env_file(env, [](EnvFile&) -> Result<void> { return {}; });
  ASSERT_TRUE(untouched) << untouched.error().message;
  EXPECT_FALSE(*untouched);
  EXPECT_FALSE(fs::exists(env)) << "an empty result does not create a file";

  auto wrote = update_env_file(env, setter("IMAGE_TAG", "v1"));
  ASSERT_TRUE(wrote) << wrote.error().message;
  EXPECT_TRUE(*wrote);
  EXPECT_EQ(read_file(env), "IMAGE_TAG=v1\n");
}

TEST(UpdateEnvFile, ParseErrorsNameTheFileTheBytesCameFrom) {
  TempDir dir;
  const auto env = dir.path() / ".env";
  const auto example = dir.path() / ".env.example";
  write_file(example, "A=1\nbroken line\n");
  auto from_template = update_env_file(env, setter("A", "2"), example);
  ASSERT_FALSE(from_template);
  EXPECT_EQ(from_template.error().kind, ErrorKind::invalid_input);
  EXPECT_THAT(from_template.error().message, StartsWith(example.string() + ":2: "));
  EXPECT_FALSE(fs::exists(env));

  write_file(env, "ok=1\n'bad'=2\n");
  auto from_file = update_env_file(env, setter("A", "2"), example);
  ASSERT_FALSE(from_file);
  EXPECT_THAT(from_file.error().message, StartsWith(env.string() + ":2: "));
  EXPECT_EQ(read_file(env), "ok=1\n'bad'=2\n");
}

TEST(UpdateEnvFile, MissingDirectoryIsNotFound) {
  TempDir dir;
  auto wrote = update_env_file(dir.path() / "missing" / ".env", setter("A", "1"));
  ASSERT_FALSE(wrote);
  EXPECT_EQ(wrote.error().kind, ErrorKind::not_found);
  EXPECT_THAT(wrote.error().message, HasSubstr("missing"));
}

TEST(LoadEnvFile, ReadsAndNamesThePath) {
  TempDir dir;
  const auto env = dir.path() / ".env";
  auto missing = load_env_file(env);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
  EXPECT_THAT(missing.error().message, HasSubstr(env.string()));

  write_file(env, "A=1\n");
  auto file = load_env_file(env);
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(file->get("A"), "1");
  EXPECT_EQ(file->source_name(), env.string());
}

// Two processes each increment their own counter 200 times in the same file. Without the
// directory lock around read-modify-write, one process's rename would regularly carry an old
// value of the other's counter and the final counts would fall short.
TEST(UpdateEnvFile, ConcurrentWritersLoseNoUpdate) {
  TempDir dir;
  const auto env = dir.path() / ".env";
  write_file(env, "# counters\nFIRST=0\nSECOND=0\n");
  constexpr int kRounds = 200;

  const auto started = std::chrono::steady_clock::now();
  std::vector<pid_t> children;
  for (const char* key : {"FIRST", "SECOND"}) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      for (int i = 0; i < kRounds; ++i) {
        auto wrote = update_env_file(env, [key](EnvFile& file) -> Result<void> {
          return file.set(key, std::to_string(std::stoi(file.get(key).value_or("0")) + 1));
        });
        if (!wrote || !*wrote) {
          ::_exit(1);
        }
      }
      ::_exit(0);
    }
    children.push_back(pid);
  }
  for (const pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a writer failed";
  }
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  RecordProperty("elapsed_ms", static_cast<int>(elapsed.count()));
  std::printf("2 x %d locked updates took %lld ms\n", kRounds,
              static_cast<long long>(elapsed.count()));

  auto file = load_env_file(env);
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(file->get("FIRST"), std::to_string(kRounds));
  EXPECT_EQ(file->get("SECOND"), std::to_string(kRounds));
  EXPECT_EQ(file->text(), "# counters\nFIRST=200\nSECOND=200\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator{}), 1)
      << "no temporary or lock file may be left behind";
}

}  // namespace
}  // namespace wharf
