#include "wharf/dispatch/task.hpp"

#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wharf::dispatch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

Result<std::vector<TaskSpec>> parse(const std::string& text) {
  std::istringstream input(text);
  return parse_task_file(input, "tasks.jsonl");
}

// Parses `text`, expects exactly one problem and returns its message.
std::string single_error(const std::string& text) {
  const auto result = parse(text);
  EXPECT_FALSE(result.has_value()) << "parsed although it should not: " << text;
  if (result) {
    return {};
  }
  EXPECT_EQ(result.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(result.error().message.find('\n'), std::string::npos)
      << "expected one problem, got: " << result.error().message;
  return result.error().message;
}

TEST(ParseTaskFile, ReadsAllFieldsAndSkipsCommentsAndBlankLines) {
  const auto tasks = parse(
      "# build matrix\n"
      "\n"
      "{\"id\": \"a\", \"args\": [\"make\", \"test\"], \"env\": {\"CI\": \"1\", \"_X2\": \"\"}, "
      "\"timeout\": 1.5}\r\n"
      "   # indented comment\n"
      "  {\"args\": [\"true\"], \"id\": \"b.2_x-y\"}\n");
  ASSERT_TRUE(tasks.has_value()) << tasks.error().message;
  ASSERT_EQ(tasks->size(), 2U);
  const auto& a = (*tasks)[0];
  EXPECT_EQ(a.id, "a");
  EXPECT_THAT(a.args, ElementsAre("make", "test"));
  EXPECT_EQ(a.env, (std::map<std::string, std::string>{{"CI", "1"}, {"_X2", ""}}));
  EXPECT_EQ(a.timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(a.line, 3U);
  const auto& b = (*tasks)[1];
  EXPECT_EQ(b.id, "b.2_x-y");
  EXPECT_TRUE(b.env.empty());
  EXPECT_FALSE(b.timeout.has_value());
  EXPECT_EQ(b.line, 5U);
}

TEST(ParseTaskFile, KeepsExoticArgumentsByteForByte) {
  const auto tasks = parse(
      "\xEF\xBB\xBF{\"id\": \"x\", \"args\": [\"sh\", \"-c\", \"echo \\\"$(id -u)\\\" 'q' `w` "
      "$HOME; exit 3\", \"line1\\nline2\\ttab\", \"grüße 🚢 \\u00e9\", \"\", \"\\\\\"]}\n");
  ASSERT_TRUE(tasks.has_value()) << tasks.error().message;
  EXPECT_THAT((*tasks)[0].args, ElementsAre("sh", "-c", "echo \"$(id -u)\" 'q' `w` $HOME; exit 3",
                                            "line1\nline2\ttab", "grüße 🚢 \xC3\xA9", "", "\\"));
}

TEST(ParseTaskFile, TimeoutsRoundUpToWholeMilliseconds) {
  const auto tasks = parse(R"({"id": "a", "args": ["x"], "timeout": 0.0001})"
                           "\n"
                           R"({"id": "b", "args": ["x"], "timeout": 3600})");
  ASSERT_TRUE(tasks.has_value()) << tasks.error().message;
  EXPECT_EQ((*tasks)[0].timeout, std::chrono::milliseconds(1));
  EXPECT_EQ((*tasks)[1].timeout, std::chrono::milliseconds(3'600'000));
}

TEST(ParseTaskFile, EmptyFileHasNoTasks) {
  const auto tasks = parse("# nothing yet\n\n");
  ASSERT_TRUE(tasks.has_value());
  EXPECT_TRUE(tasks->empty());
}

struct BadLine {
  std::string name;
  std::string text;      // placed on line 3, after a comment and a valid task
  std::string expected;  // part of the message after "tasks.jsonl:3: "
};

// Test names in ctest show the case name rather than the bytes of the struct.
void PrintTo(const BadLine& c, std::ostream* out) {
  *out << c.name;
}

class ParseTaskFileErrors : public ::testing::TestWithParam<BadLine> {};

TEST_P(ParseTaskFileErrors, NamesTheLineAndWhatToDo) {
  const auto& bad = GetParam();
  const auto message =
      single_error("# header\n{\"id\": \"ok\", \"args\": [\"true\"]}\n" + bad.text + "\n");
  EXPECT_THAT(message, StartsWith("tasks.jsonl:3: "));
  EXPECT_THAT(message, HasSubstr(bad.expected));
  EXPECT_THAT(message, HasSubstr(" — "));
}

INSTANTIATE_TEST_SUITE_P(
    EveryProblem, ParseTaskFileErrors,
    ::testing::Values(
        BadLine{"not_json", R"({"id": "a", "args": ["x"])", "not valid JSON (column"},
        BadLine{"trailing_garbage", R"({"id": "a", "args": ["x"]} x)", "not valid JSON"},
        BadLine{"invalid_utf8", "{\"id\": \"a\", \"args\": [\"\xff\"]}", "ill-formed UTF-8"},
        BadLine{"array", R"(["echo", "hi"])", "expected a JSON object, found array"},
        BadLine{"duplicate_field", R"({"id": "a", "id": "b", "args": ["x"]})",
                "field \"id\" appears twice"},
        BadLine{"unknown_field", R"({"id": "a", "args": ["x"], "timout": 5})",
                "unknown field \"timout\""},
        BadLine{"unknown_field_far_from_any", R"({"id": "a", "args": ["x"], "image": "y"})",
                "unknown field \"image\" — a task has only"},
        BadLine{"missing_id", R"({"args": ["x"]})", "has no \"id\""},
        BadLine{"id_not_string", R"({"id": 7, "args": ["x"]})",
                "\"id\" must be a string, not number"},
        BadLine{"empty_id", R"({"id": "", "args": ["x"]})", "\"id\" is empty"},
        BadLine{"id_with_space", R"({"id": "my task", "args": ["x"]})",
                "task id \"my task\" cannot be used in a container name"},
        BadLine{"id_leading_dash", R"({"id": "-a", "args": ["x"]})",
                "cannot be used in a container"},
        BadLine{"id_too_long", R"({"id": ")" + std::string(64, 'a') + R"(", "args": ["x"]})",
                "cannot be used in a container name"},
        BadLine{"duplicate_id", R"({"id": "ok", "args": ["x"]})",
                "\"ok\" is already used on line 2"},
        BadLine{"missing_args", R"({"id": "a"})", "has no \"args\""},
        BadLine{"args_empty", R"({"id": "a", "args": []})", "non-empty array of strings"},
        BadLine{"args_string", R"({"id": "a", "args": "make test"})", "non-empty array of strings"},
        BadLine{"arg_number", R"({"id": "a", "args": ["sleep", 3]})",
                "args[1] is number, not a string"},
        BadLine{"arg_nul", R"({"id": "a", "args": ["a\u0000b"]})", "args[0] contains a NUL"},
        BadLine{"env_array", R"({"id": "a", "args": ["x"], "env": ["A=1"]})",
                "\"env\" must be an object, not array"},
        BadLine{"env_bad_name", R"({"id": "a", "args": ["x"], "env": {"1A": "x"}})",
                "environment variable name \"1A\" is not valid"},
        BadLine{"env_name_with_equals", R"({"id": "a", "args": ["x"], "env": {"A=B": "x"}})",
                "name \"A=B\" is not valid"},
        BadLine{"env_number", R"({"id": "a", "args": ["x"], "env": {"N": 1}})",
                "env \"N\" is number, not a string"},
        BadLine{"env_nul", R"({"id": "a", "args": ["x"], "env": {"N": "\u0000"}})",
                "env \"N\" contains a NUL"},
        BadLine{"timeout_string", R"({"id": "a", "args": ["x"], "timeout": "5s"})",
                "\"timeout\" must be a number of seconds, not string"},
        BadLine{"timeout_bool", R"({"id": "a", "args": ["x"], "timeout": true})",
                "must be a number of seconds, not boolean"},
        BadLine{"timeout_zero", R"({"id": "a", "args": ["x"], "timeout": 0})",
                "\"timeout\" is 0 but must be positive"},
        BadLine{"timeout_negative", R"({"id": "a", "args": ["x"], "timeout": -1.5})",
                "\"timeout\" is -1.5 but must be positive"},
        BadLine{"timeout_huge", R"({"id": "a", "args": ["x"], "timeout": 1e300})", "is too large"}),
    [](const auto& test_info) { return test_info.param.name; });

TEST(ParseTaskFile, ReportsEveryProblemWithItsOwnLineAndReturnsNothing) {
  const auto result = parse(
      "{\"id\": \"a\", \"args\": [\"x\"]}\n"
      "{\"id\": \"b\"}\n"
      "{\"id\": \"c\", \"args\": [\"x\"]}\n"
      "{\"id\": \"c\", \"args\": [\"x\"], \"timout\": 1}\n");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message,
            "tasks.jsonl:2: the task has no \"args\" — add the command to run, e.g. \"args\": "
            "[\"make\", \"test\"]\n"
            "tasks.jsonl:4: unknown field \"timout\" — did you mean \"timeout\"? A task has only "
            "\"id\", \"args\", \"env\" and \"timeout\"");
}

TEST(ParseTaskFile, CapsTheNumberOfReportedProblems) {
  std::string text;
  for (int i = 0; i < 25; ++i) {
    text += "{\"args\": [\"x\"]}\n";
  }
  const auto result = parse(text);
  ASSERT_FALSE(result.has_value());
  const auto& message = result.error().message;
  EXPECT_THAT(message, HasSubstr("tasks.jsonl:10: "));
  EXPECT_THAT(message, ::testing::Not(HasSubstr("tasks.jsonl:11: ")));
  // 25 lines without an id: 10 shown, 15 more counted.
  EXPECT_THAT(message, HasSubstr("tasks.jsonl: … and 15 more problems"));
}

TEST(TaskId, AcceptsContainerNameCharactersOnly) {
  EXPECT_TRUE(is_valid_task_id("a"));
  EXPECT_TRUE(is_valid_task_id("0.a_b-c"));
  EXPECT_TRUE(is_valid_task_id(std::string(63, 'z')));
  EXPECT_FALSE(is_valid_task_id(std::string(64, 'z')));
  EXPECT_FALSE(is_valid_task_id("_a"));
  EXPECT_FALSE(is_valid_task_id("a/b"));
  EXPECT_FALSE(is_valid_task_id("é"));
}

}  // namespace
}  // namespace wharf::dispatch
