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

TEST(RunProcess, EveryOtherByteReachesTheChildUnchangedAndNulIsRefused) {
  // All byte values but NUL, in an argument and in an environment value, come back as sent.
  std::string bytes;
  for (int value = 1; value < 256; ++value) {
    bytes += static_cast<char>(value);
  }
  auto ran = run_process(
      ProcessSpec{.argv = {"sh", "-c", "printf '%s|%s' \"$1\" \"$WHARF_BYTES\"", "sh", bytes},
                  .environment = {{"WHARF_BYTES", bytes}}});
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_TRUE(ran->standard_output == bytes + "|" + bytes) << ran->standard_output.size();

  test::TempDir dir;
  for (const auto& spec : {ProcessSpec{.argv = {"sh", "-c", "touch ran", std::string("a\0b", 3)},
                          .working_directory = dir.path()},
                           ProcessSpec{.argv = {"sh", "-c", "touch ran"},
                           .working_directory = dir.path(),
                           .environment = {{"SUFFIX", std::string("1.2\0x", 5)}}}}) {
    auto refused = run_process(spec);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::invalid_input);
    EXPECT_NE(refused.error().message.find("NUL byte"), std::string::npos)
        << refused.error().message;
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "ran"));
}

}  // namespace
}  // namespace wharf
