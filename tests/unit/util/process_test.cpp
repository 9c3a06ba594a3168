// run_process(): argv without a shell, captured output, exit codes, timeouts, and output sent
// to a file instead of a pipe.
#include "wharf/util/process.hpp"

#include <gtest/gtest.h>

#include "support/peers.hpp"

namespace wharf {
namespace {

TEST(RunProcess, CapturesBothStreamsAndTheExitCode) {
  auto ran = run_process(ProcessSpec{.argv = {"sh", "-c", "echo out; echo err >&2; exit 3"}});
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_EQ(ran->exit_code, 3);
  EXPECT_EQ(ran->standard_output, "out\n");
  EXPECT_EQ(ran->standard_error, "err\n");
}

TEST(RunProcess, AMissingProgramIsNotFound) {
  auto ran = run_process(ProcessSpec{.argv = {"wharf-no-such-program"}});
  ASSERT_FALSE(ran);
  EXPECT_EQ(ran.error().kind, ErrorKind::not_found);
}

TEST(RunProcess, OutputFileTakesBothStreamsAppended) {
  test::TempDir dir;
  const auto log = dir.path() / "child.log";
  test::write_file(log, "before\n");
  auto ran = run_process(
      ProcessSpec{.argv = {"sh", "-c", "echo out; echo err >&2; exit 4"}, .output_file = log});
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_EQ(ran->exit_code, 4);
  EXPECT_EQ(ran->standard_output, "");
  EXPECT_EQ(test::read_file(log), "before\nout\nerr\n");
}

TEST(RunProcess, OutputFileStillHonoursTheTimeout) {
  test::TempDir dir;
  auto ran = run_process(ProcessSpec{.argv = {"sleep", "30"},
                                     .timeout = std::chrono::milliseconds(300),
                                     .output_file = dir.path() / "child.log"});
  ASSERT_FALSE(ran);
  EXPECT_EQ(ran.error().kind, ErrorKind::timeout);
}

TEST(RunProcess, AnUnwritableOutputFileIsAnErrorBeforeAnythingRuns) {
  test::TempDir dir;
  auto ran = run_process(ProcessSpec{.argv = {"sh", "-c", "touch ran"},
                                     .working_directory = dir.path(),
                                     .output_file = dir.path() / "missing" / "child.log"});
  ASSERT_FALSE(ran);
  EXPECT_EQ(ran.error().kind, ErrorKind::io);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "ran"));
}

}  // namespace
}  // namespace wharf
