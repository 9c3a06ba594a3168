// `wharf logs` against the private engine: several services merged in the engine's time order,
// --tail per container, --since, unknown services, and --follow across a recreated container
// until SIGINT.
#include <algorithm>
#include <csignal>
#include <sstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include "wharf/runtime/timestamps.hpp"

#include "integration/runtime/runtime_fixture.hpp"
#include "support/spawn.hpp"

namespace wharf::runtime::test {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream input(text);
  for (std::string line; std::getline(input, line);) {
    lines.push_back(line);
  }
  return lines;
}

// A shell loop printing "<word> 1" … "<word> <count>", one line every `pause` seconds.
std::string counting(const std::string& word, int count, const std::string& pause) {
  return "i=1; while [ $i -le " + std::to_string(count) + " ]; do echo " + word +
         " $i; i=$((i+1)); sleep " + pause + "; done";
}

// A line as `docker logs --timestamps` prints it, with its time and owner.
struct Stamped {
  UnixNanos time = 0;
  std::string prefix;
  std::string text;
};

// `docker logs --timestamps` of a container, both streams.
std::vector<Stamped> stamped_lines(const wharf::test::CommandOutput& logs,
                                   const std::string& prefix) {
  std::vector<Stamped> stamped;
  for (const auto& line : lines_of(logs.out + logs.err)) {
    const auto space = line.find(' ');
    stamped.push_back(
        {parse_rfc3339(line.substr(0, space)).value_or(0), prefix, line.substr(space + 1)});
  }
  return stamped;
}

TEST_F(RuntimeTest, LogsMergesServicesInTheEnginesTimeOrder) {
  write_project({"alpha", "beta"});
  ASSERT_FALSE(HasFailure());
  // Both write at the same time, one of them to stderr too, so their lines interleave. They
  // start writing at one wall-clock second a few seconds ahead, not when each was started: on
  // a loaded machine the second container can start after the first has finished.
  const auto start_at =
      std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                         (std::chrono::system_clock::now() + 4s).time_since_epoch())
                         .count());
  const std::string barrier = "until [ $(date +%s) -ge " + start_at + " ]; do sleep 0.05; done; ";
  const auto alpha = add_container("alpha", 1, barrier + counting("alpha", 12, "0.2"));
  const auto beta =
      add_container("beta", 1, barrier + "{ " + counting("beta", 6, "0.4") + "; } >&2");
  wait_for(alpha, "{{.State.Status}}", "exited");
  wait_for(beta, "{{.State.Status}}", "exited");
  ASSERT_FALSE(HasFailure());

  auto expected = stamped_lines(docker({"logs", "--timestamps", alpha}), "alpha");
  const auto beta_lines = stamped_lines(docker({"logs", "--timestamps", beta}), "beta ");
  ASSERT_EQ(expected.size(), 12U);
  ASSERT_EQ(beta_lines.size(), 6U);
  expected.insert(expected.end(), beta_lines.begin(), beta_lines.end());
  std::stable_sort(expected.begin(), expected.end(),
                   [](const Stamped& a, const Stamped& b) { return a.time < b.time; });
  std::vector<std::string> want;
  for (const auto& line : expected) {
    want.push_back(line.prefix + " | " + line.text);
  }

  const auto merged = wharf({"logs"});
  EXPECT_EQ(merged.output.exit_code, 0) << merged.output.err;
  const auto got = lines_of(merged.output.out);
  EXPECT_EQ(got, want);
  // The two really interleave: the merge is not one service after the other.
  std::size_t switches = 0;
  for (std::size_t i = 1; i < got.size(); ++i) {
    switches += got[i].substr(0, 5) != got[i - 1].substr(0, 5) ? 1 : 0;
  }
  EXPECT_GE(switches, 4U) << merged.output.out;

  // --timestamps keeps the engine's times, which never go backwards.
  const auto stamped = wharf({"logs", "--timestamps"});
  const auto stamped_lines = lines_of(stamped.output.out);
  ASSERT_EQ(stamped_lines.size(), 18U) << stamped.output.out;
  UnixNanos previous = 0;
  for (const auto& line : stamped_lines) {
    const auto begin = line.find("| ") + 2;
    const auto time = parse_rfc3339(line.substr(begin, line.find(' ', begin) - begin));
    ASSERT_TRUE(time.has_value()) << line;
    EXPECT_GE(*time, previous) << line;
    previous = *time;
  }

  // One service alone, and JSON lines for scripts.
  const auto only_beta = wharf({"logs", "beta"});
  EXPECT_EQ(lines_of(only_beta.output.out).size(), 6U);
  EXPECT_EQ(lines_of(only_beta.output.out).front(), "beta | beta 1");
  const auto json = wharf({"--json", "logs", "beta"});
  const auto documents = wharf::test::json_lines(json.output.out);
  ASSERT_EQ(documents.size(), 6U);
  EXPECT_EQ(documents[0]["service"], "beta");
  EXPECT_EQ(documents[0]["stream"], "stderr");
  EXPECT_EQ(documents[0]["text"], "beta 1");
  EXPECT_EQ(documents[0]["container"], project_ + "-beta-1");
}

TEST_F(RuntimeTest, LogsTailsEachContainerAndNumbersAScaledService) {
  write_project({"web", "worker", "idle"});
  ASSERT_FALSE(HasFailure());
  const auto web = add_container("web", 1, counting("web", 5, "0.05"));
  const auto first = add_container("worker", 1, counting("one", 5, "0.05"));
  const auto second = add_container("worker", 2, counting("two", 5, "0.05"));
  for (const auto& id : {web, first, second}) {
    wait_for(id, "{{.State.Status}}", "exited");
  }
  ASSERT_FALSE(HasFailure());

  const auto tail = wharf({"logs", "--tail", "2"});
  EXPECT_EQ(tail.output.exit_code, 0) << tail.output.err;
  EXPECT_THAT(tail.output.err, HasSubstr("service idle has no container"));
  auto got = lines_of(tail.output.out);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got,
            (std::vector<std::string>{"web      | web 4", "web      | web 5", "worker-1 | one 4",
                                      "worker-1 | one 5", "worker-2 | two 4", "worker-2 | two 5"}));

  EXPECT_EQ(wharf({"logs", "--tail", "0"}).output.out, "");
  EXPECT_EQ(lines_of(wharf({"logs", "--tail", "all", "web"}).output.out).size(), 5U);

  // --since in the future shows nothing; a long duration ago shows everything.
  EXPECT_EQ(wharf({"logs", "--since", "2200-01-01T00:00:00Z"}).output.out, "");
  EXPECT_EQ(lines_of(wharf({"logs", "--since", "1h", "web"}).output.out).size(), 5U);
  const auto bad_since = wharf({"logs", "--since", "yesterday"});
  EXPECT_EQ(bad_since.output.exit_code, 2);
  EXPECT_THAT(bad_since.output.err, HasSubstr("\"yesterday\""));

  const auto unknown = wharf({"logs", "web", "nginx"});
  EXPECT_EQ(unknown.output.exit_code, 2);
  EXPECT_THAT(unknown.output.err, HasSubstr("no service \"nginx\""));
  EXPECT_THAT(unknown.output.err, HasSubstr("web, worker, idle"));
  EXPECT_EQ(unknown.output.out, "");
}

TEST_F(RuntimeTest, LogsFollowPicksUpARecreatedContainerAndStopsOnSigint) {
  write_project({"app"});
  ASSERT_FALSE(HasFailure());
  const auto old_id = add_container("app", 1, counting("old", 1000, "0.1"));
  ASSERT_FALSE(HasFailure());
  wharf::test::TempDir output;
  const auto out = output.path() / "out";
  const auto err = output.path() / "err";
  const auto pid = wharf::test::spawn_wharf(
      {"-C", root_.path().string(), "logs", "--follow", "app"}, wharf_environment(), out, err);
  ASSERT_GT(pid, 0);
  const auto wait_output = [&](const std::string& text) {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (wharf::test::read_file(out).find(text) != std::string::npos) {
        return true;
      }
      std::this_thread::sleep_for(50ms);
    }
    ADD_FAILURE() << "wharf logs --follow never printed \"" << text << "\":\n"
                  << wharf::test::read_file(out) << wharf::test::read_file(err);
    return false;
  };
  EXPECT_TRUE(wait_output("app | old 5"));

  // What `wharf update` does: the old container goes, a new one with the same labels comes.
  EXPECT_EQ(docker({"rm", "--force", old_id}).exit_code, 0);
  const auto new_id = add_container("app", 1, counting("new", 1000, "0.1"));
  EXPECT_TRUE(wait_output("app | new 5"));

  ::kill(pid, SIGINT);
  const auto status = wharf::test::wait_or_kill(pid, 15s);
  ASSERT_TRUE(status.has_value()) << "wharf logs --follow did not stop on SIGINT";
  EXPECT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 0) << wharf::test::read_file(err);

  const auto lines = lines_of(wharf::test::read_file(out));
  const auto first_new =
      std::find(lines.begin(), lines.end(), std::string("app | new 1")) - lines.begin();
  ASSERT_LT(static_cast<std::size_t>(first_new), lines.size());
  // Every old line before every new one, each exactly once and in order.
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const bool is_new = i >= static_cast<std::size_t>(first_new);
    const auto number = is_new ? i - static_cast<std::size_t>(first_new) + 1 : i + 1;
    EXPECT_EQ(lines[i],
              std::string("app | ") + (is_new ? "new " : "old ") + std::to_string(number));
  }
  EXPECT_THAT(wharf::test::read_file(err), HasSubstr(new_id.substr(0, 12)));
}

}  // namespace
}  // namespace wharf::runtime::test
