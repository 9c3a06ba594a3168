// A task's output reaches the terminal and its log byte for byte: every byte value (NUL and
// bytes that are not UTF-8 included), on both streams, megabytes of it, and whatever follows
// the last newline — through `wharf run`, `wharf dispatch --logs` and the warm pool. Before
// wharf attached to the container, the engine's log driver turned invalid UTF-8 into U+FFFD
// and the followed log stream often ended before a final unterminated chunk.

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include "integration/dispatch/dispatch_fixture.hpp"
#include "support/byte_patterns.hpp"

namespace wharf::backends::test {
namespace {

using wharf::test::byte_pattern;
using wharf::test::byte_pattern_script;
using wharf::test::describe_difference;
using wharf::test::json_lines;
using wharf::test::read_file;

constexpr std::size_t kBlobSize = std::size_t{10} << 20;  // 10 MiB

std::string reversed(std::string text) {
  return {text.rbegin(), text.rend()};
}

TEST_F(DispatchTest, RunPassesEveryByteValueOnBothStreamsUnchanged) {
  // stdout: 0…255, stderr: 255…0, neither ending in a newline.
  const auto out = wharf({"run", "--", "sh", "-c",
                          byte_pattern_script(256, 1) +
                              "; i=255; while [ $i -ge 0 ]; do printf \"\\\\$(printf %o $i)\" "
                              ">&2; i=$((i-1)); done"});
  EXPECT_EQ(out.exit_code, 0) << out.err;
  EXPECT_EQ(out.out, byte_pattern(256)) << describe_difference(byte_pattern(256), out.out);
  EXPECT_EQ(out.err, reversed(byte_pattern(256)))
      << describe_difference(reversed(byte_pattern(256)), out.err);
}

TEST_F(DispatchTest, RunPassesTenMebibytesOfBinaryOutputUnchanged) {
  const auto out = wharf({"run", "--", "sh", "-c", byte_pattern_script(kBlobSize, 1)});
  EXPECT_EQ(out.exit_code, 0) << out.err.substr(0, 2000);
  const auto expected = byte_pattern(kBlobSize);
  EXPECT_TRUE(out.out == expected) << describe_difference(expected, out.out);
}

TEST_F(DispatchTest, RunPassesBinaryStandardErrorUnchanged) {
  const auto out = wharf({"run", "--", "sh", "-c", byte_pattern_script(std::size_t{1} << 20, 2)});
  EXPECT_EQ(out.exit_code, 0);
  const auto expected = byte_pattern(std::size_t{1} << 20);
  EXPECT_TRUE(out.err == expected) << describe_difference(expected, out.err);
  EXPECT_EQ(out.out, "");
}

TEST_F(DispatchTest, RunNeverLosesOutputAfterTheLastNewline) {
  // The engine's followed logs ended before such a tail in about one run in five.
  for (int i = 0; i < 8; ++i) {
    const auto out = wharf({"run", "--", "sh", "-c", "echo line; sleep 0.5; printf 'a\\0b'"});
    EXPECT_EQ(out.exit_code, 0) << out.err;
    EXPECT_EQ(out.out, std::string("line\na\0b", 8)) << "run " << i;
  }
}

// The same checks through the log files of a dispatch, on fresh containers and in a warm pool.
class DispatchLogsTest : public DispatchTest, public ::testing::WithParamInterface<bool> {
 protected:
  [[nodiscard]] std::vector<std::string> dispatch_args() const {
    std::vector<std::string> args = {"--json",    "dispatch",
                                     "--tasks",   path("tasks.jsonl").string(),
                                     "--logs",    path("logs").string(),
                                     "--results", path("results.jsonl").string()};
    if (GetParam()) {
      args.insert(args.end(), {"--warm", "2"});
    }
    return args;
  }
};

TEST_P(DispatchLogsTest, LogFilesHoldEveryByteTheTaskWrote) {
  std::string tasks;
  const auto add = [&tasks](const std::string& id, const std::string& script) {
    tasks += nlohmann::json{{"id", id}, {"args", {"sh", "-c", script}}}.dump() + "\n";
  };
  add("blob", byte_pattern_script(kBlobSize, 1));
  add("stderr", byte_pattern_script(256, 2));
  for (int i = 0; i < 12; ++i) {
    add("tail-" + std::to_string(i), "sleep 1; printf 'a\\0b'");
  }
  wharf::test::write_file(path("tasks.jsonl"), tasks);

  const auto out = wharf(dispatch_args());
  ASSERT_EQ(out.exit_code, 0) << out.err;
  const auto report = nlohmann::json::parse(out.out);
  EXPECT_EQ(report.at("counts").at("succeeded"), 14);

  const auto blob = read_file(path("logs") / "blob.log");
  EXPECT_TRUE(blob == byte_pattern(kBlobSize))
      << describe_difference(byte_pattern(kBlobSize), blob);
  EXPECT_EQ(read_file(path("logs") / "stderr.log"), byte_pattern(256));
  for (int i = 0; i < 12; ++i) {
    EXPECT_EQ(read_file(path("logs") / ("tail-" + std::to_string(i) + ".log")),
              std::string("a\0b", 3))
        << "task tail-" << i;
  }
  EXPECT_TRUE(run_containers(report.at("run_id")).empty());
}

INSTANTIATE_TEST_SUITE_P(FreshAndWarm, DispatchLogsTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& param) {
                           return param.param ? "Warm" : "Fresh";
                         });

}  // namespace
}  // namespace wharf::backends::test
