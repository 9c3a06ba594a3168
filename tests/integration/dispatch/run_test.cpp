// `wharf run`: one task, output live, exit code passed through, arguments byte for byte.

#include <gmock/gmock.h>

#include "integration/dispatch/dispatch_fixture.hpp"

namespace wharf::local::test {
namespace {

using ::testing::HasSubstr;

TEST_F(DispatchTest, RunPassesArgumentsUnchangedAndTheExitCodeThrough) {
  const std::vector<std::string> tricky = {"plain",
                                           "two words",
                                           "\"double\" and 'single'",
                                           "$(id) `id` $HOME",
                                           "line1\nline2",
                                           "naïve — ☃ 日本",
                                           "",
                                           "-e",
                                           "--"};
  std::vector<std::string> args = {"run", "--", "sh", "-c", "printf '%s\\n' \"$@\"; exit 7", "x"};
  args.insert(args.end(), tricky.begin(), tricky.end());
  const auto out = wharf(args);
  EXPECT_EQ(out.exit_code, 7) << out.err;
  std::string expected;
  for (const auto& arg : tricky) {
    expected += arg + "\n";
  }
  EXPECT_EQ(out.out, expected);
  EXPECT_TRUE(run_containers().empty());
}

TEST_F(DispatchTest, RunSeparatesStreamsAndPassesEnvironment) {
  const auto out = wharf(
      {"run", "-e", "GREETING=hé llo", "--", "sh", "-c", "echo \"$GREETING\"; echo oops >&2"});
  EXPECT_EQ(out.exit_code, 0) << out.err;
  EXPECT_EQ(out.out, "hé llo\n");
  EXPECT_THAT(out.err, HasSubstr("oops\n"));
}

TEST_F(DispatchTest, RunTimeoutKillsTheTask) {
  const auto started = std::chrono::steady_clock::now();
  const auto out = wharf({"run", "--timeout", "1", "--", "sleep", "60"});
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
  EXPECT_EQ(out.exit_code, 124) << out.err;
  EXPECT_LT(seconds.count(), 15.0);
  EXPECT_THAT(out.err, HasSubstr("timeout"));
  EXPECT_TRUE(run_containers().empty());
}

}  // namespace
}  // namespace wharf::local::test
