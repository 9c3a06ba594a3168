#include "wharf/core/env_file.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wharf {
namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

Entries parse_entries(const std::string& content) {
  auto file = EnvFile::parse(content, "test.env");
  EXPECT_TRUE(file.has_value()) << (file ? "" : file.error().message);
  return file ? file->entries() : Entries{};
}

// ---- Parsing: what docker compose reads ------------------------------------------------------

struct ParseCase {
  const char* name;
  std::string content;
  Entries expected;
};

// Test names in ctest show the case name rather than the bytes of the struct.
void PrintTo(const ParseCase& c, std::ostream* out) {
  *out << c.name;
}

class EnvFileParse : public ::testing::TestWithParam<ParseCase> {};

TEST_P(EnvFileParse, ReadsWhatComposeReads) {
  EXPECT_EQ(parse_entries(GetParam().content), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Compose, EnvFileParse,
    ::testing::Values(
        ParseCase{"empty", "", {}}, ParseCase{"blank_lines", "\n\n  \t\n", {}},
        ParseCase{"comments", "# top\n   # indented\nA=1\n#B=2\n", {{"A", "1"}}},
        ParseCase{"no_final_newline", "A=1\nB=2", {{"A", "1"}, {"B", "2"}}},
        ParseCase{"export", "export A=1\nexport\tB=2\n", {{"A", "1"}, {"B", "2"}}},
        ParseCase{"key_named_export", "export=1\n", {{"export", "1"}}},
        ParseCase{"key_starting_with_export", "exportX=1\n", {{"exportX", "1"}}},
        ParseCase{"spaces_around", "  A  =  1  \n", {{"A", "1"}}},
        ParseCase{"inner_spaces_kept", "A=  spaced  value  \n", {{"A", "spaced  value"}}},
        ParseCase{"inline_comment", "A=value # comment\n", {{"A", "value"}}},
        ParseCase{"inline_comment_tab", "A=value\t#comment\n", {{"A", "value"}}},
        ParseCase{"hash_inside_word", "A=a#b\n", {{"A", "a#b"}}},
        ParseCase{"hash_right_after_equals", "A=#x\n", {{"A", "#x"}}},
        ParseCase{"comment_after_equals", "A= #x\nB=\t# y\n", {{"A", ""}, {"B", ""}}},
        ParseCase{"empty_value", "A=\nB=\t\n", {{"A", ""}, {"B", ""}}},
        ParseCase{"equals_in_value", "A=b=c=d\n", {{"A", "b=c=d"}}},
        ParseCase{"single_quoted_literal", "A='$X \\n #x \"y\"'\n", {{"A", "$X \\n #x \"y\""}}},
        ParseCase{
            "single_quoted_multiline", "A='one\ntwo'\nB=3\n", {{"A", "one\ntwo"}, {"B", "3"}}},
        ParseCase{"single_quoted_comment", "A='x'#c\nB='y'  # c\n", {{"A", "x"}, {"B", "y"}}},
        ParseCase{"double_quoted_escapes",
                  "A=\"n\\nt\\tr\\rb\\\\q\\\"d\\$\"\n",
                  {{"A", "n\nt\tr\rb\\q\"d$"}}},
        ParseCase{"double_quoted_unknown_escape", "A=\"\\q\\x\"\n", {{"A", "\\q\\x"}}},
        ParseCase{"double_quoted_hash", "A=\"a # b\" # c\n", {{"A", "a # b"}}},
        ParseCase{
            "double_quoted_multiline", "A=\"one\ntwo\"\nB=3", {{"A", "one\ntwo"}, {"B", "3"}}},
        ParseCase{"quoted_equals", "A=\"x=y\"\nB='p=q'\n", {{"A", "x=y"}, {"B", "p=q"}}},
        ParseCase{"quoted_empty", "A=\"\"\nB=''\n", {{"A", ""}, {"B", ""}}},
        ParseCase{"no_expansion", "A=${B}\nB=\"$A\"\n", {{"A", "${B}"}, {"B", "$A"}}},
        ParseCase{"bare_key_has_no_value", "A\nB=1\n  C  \n", {{"B", "1"}}},
        ParseCase{"bare_key_does_not_hide", "A=1\nA\n", {{"A", "1"}}},
        ParseCase{"export_bare_key", "export A\n", {}},
        ParseCase{"crlf",
                  "A=1\r\nB=two words\r\n# c\r\nC='x'\r\n",
                  {{"A", "1"}, {"B", "two words"}, {"C", "x"}}},
        ParseCase{"crlf_inline_comment", "A=1 # c\r\n", {{"A", "1"}}},
        ParseCase{"bom",
                  "\xEF\xBB\xBF"
                  "A=1\n",
                  {{"A", "1"}}},
        ParseCase{"last_wins_first_order", "A=1\nB=2\nA=3\n", {{"A", "3"}, {"B", "2"}}},
        ParseCase{"key_characters", "a.b-c_D9=1\n_x=2\n", {{"a.b-c_D9", "1"}, {"_x", "2"}}},
        ParseCase{
            "utf8_value", "A=caf\xC3\xA9 \xE2\x80\xA6\n", {{"A", "caf\xC3\xA9 \xE2\x80\xA6"}}}),
    [](const auto& test_case) { return std::string(test_case.param.name); });

TEST(EnvFile, AssignmentsSayWhatComposeInterpolates) {
  auto file =
      EnvFile::parse("A=${X}\nB\nC='${X}'\nD=\"\\$X ${X} \\\\ \\n \\q\"\nA=2\n", "test.env");
  ASSERT_TRUE(file) << file.error().message;
  const auto assignments = file->assignments();
  ASSERT_EQ(assignments.size(), 4U);  // The bare B gives no value.
  EXPECT_EQ(assignments[0].key, "A");
  EXPECT_EQ(assignments[0].line, 1U);
  EXPECT_EQ(assignments[0].interpolation, "${X}");
  EXPECT_EQ(assignments[1].key, "C");
  EXPECT_EQ(assignments[1].value, "${X}");
  EXPECT_EQ(assignments[1].interpolation, std::nullopt);  // Single quotes are literal.
  EXPECT_EQ(assignments[2].key, "D");
  EXPECT_EQ(assignments[2].value, "$X ${X} \\ \n \\q");
  // `\$` is a literal `$`, which interpolation spells `$$`; other escapes are decoded.
  EXPECT_EQ(assignments[2].interpolation, "$$X ${X} \\ \n \\q");
  EXPECT_EQ(assignments[3].key, "A");
  EXPECT_EQ(assignments[3].line, 5U);
  EXPECT_EQ(assignments[3].value, "2");
}

TEST(EnvFile, GetHasAndLastOccurrence) {
  auto file = EnvFile::parse("A=1\nB\nA=2\nC=\n", "test.env");
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(file->get("A"), "2");
  EXPECT_EQ(file->get("C"), "");
  EXPECT_TRUE(file->has("C"));
  EXPECT_FALSE(file->has("B"));
  EXPECT_EQ(file->get("B"), std::nullopt);
  EXPECT_EQ(file->get("D"), std::nullopt);
}

TEST(EnvFile, SpanOfNamesTheLastStatement) {
  const std::string text = "A=1\nB='x\ny' # c\r\nC=3\nA=4 # d";
  auto file = EnvFile::parse(text, "test.env");
  ASSERT_TRUE(file) << file.error().message;
  auto b = file->span_of("B");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->line, 2U);
  EXPECT_EQ(text.substr(b->begin, b->end - b->begin), "B='x\ny' # c");
  auto a = file->span_of("A");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->line, 5U);
  EXPECT_EQ(text.substr(a->begin, a->end - a->begin), "A=4 # d");
  EXPECT_FALSE(file->span_of("Z"));
}

// ---- Parse errors --------------------------------------------------------------------------

struct ErrorCase {
  const char* name;
  std::string content;
  int line;
  const char* what;
};

// Test names in ctest show the case name rather than the bytes of the struct.
void PrintTo(const ErrorCase& c, std::ostream* out) {
  *out << c.name;
}

class EnvFileParseError : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(EnvFileParseError, NamesFileLineProblemAndFix) {
  auto file = EnvFile::parse(GetParam().content, "dir/.env");
  ASSERT_FALSE(file) << "parsed: " << GetParam().content;
  EXPECT_EQ(file.error().kind, ErrorKind::invalid_input);
  const std::string prefix = "dir/.env:" + std::to_string(GetParam().line) + ": ";
  EXPECT_THAT(file.error().message, ::testing::StartsWith(prefix));
  EXPECT_THAT(file.error().message, ::testing::HasSubstr(GetParam().what));
  EXPECT_THAT(file.error().message, ::testing::HasSubstr(" — "));
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, EnvFileParseError,
    ::testing::Values(
        ErrorCase{"words", "foo bar\n", 1, "expected '=' after the name foo but found \"bar\""},
        ErrorCase{"no_name", "A=1\n=x\n", 2, "has no name before '='"},
        ErrorCase{"digit_first", "1KEY=x", 1, "\"1KEY\" is not a valid variable name"},
        ErrorCase{"non_ascii_name",
                  "\xC3\x9c"
                  "BER=1\n",
                  1, "is not a valid variable name"},
        ErrorCase{"quoted_name", "\"A\"=1\n", 1, "is not a valid variable name"},
        ErrorCase{"hash_in_name", "A#B=1\n", 1, "is not a valid variable name"},
        ErrorCase{"bare_with_comment", "A # c\n", 1, "expected '=' after the name A"},
        ErrorCase{"unterminated_single", "X=1\nA='open\nB=2\n", 2,
                  "the single-quoted value of A is never closed"},
        ErrorCase{"unterminated_double", "A=\"x\\\"\n", 1,
                  "the double-quoted value of A is never closed"},
        ErrorCase{"text_after_quote", "A=\"x\" y\n", 1,
                  "unexpected text \"y\" after the closing quote of A"},
        ErrorCase{"counts_lines_in_values", "A=1\nB='x\ny'\nC=\"p\nq\"\nfoo bar\n", 6,
                  "expected '='"},
        ErrorCase{"counts_crlf_lines", "A=1\r\n\r\n# c\r\nfoo bar\r\n", 4, "expected '='"}),
    [](const auto& test_case) { return std::string(test_case.param.name); });

// ---- Byte-exact edits ----------------------------------------------------------------------

// Applies set() and checks the exact bytes, then the round-trip property: reading the result
// gives the old entries with only `key` changed (or appended).
void expect_edit(const std::string& before, const std::string& key, const std::string& value,
                 const std::string& after) {
  SCOPED_TRACE("before: " + before);
  auto file = EnvFile::parse(before, "test.env");
  ASSERT_TRUE(file) << file.error().message;
  Entries expected = file->entries();
  const bool bare = !file->has(key) && file->span_of(key).has_value();
  auto existing = std::ranges::find(expected, key, &std::pair<std::string, std::string>::first);
  if (existing != expected.end()) {
    existing->second = value;
  } else {
    expected.emplace_back(key, value);
  }
  auto result = file->set(key, value);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(file->text(), after);
  EXPECT_EQ(file->get(key), value);
  if (bare) {
    // A bare key gains its value where it stands, so only the order may differ from `expected`.
    EXPECT_THAT(parse_entries(file->text()), ::testing::UnorderedElementsAreArray(expected));
  } else {
    EXPECT_EQ(parse_entries(file->text()), expected);
  }
}

TEST(EnvFileSet, RewritesOnlyTheValue) {
  expect_edit("A=1\n", "A", "2", "A=2\n");
  expect_edit("# top\nA=1 # keep me\nB=2\n", "A", "v2", "# top\nA=v2 # keep me\nB=2\n");
  expect_edit("export A=1\n", "A", "2", "export A=2\n");
  expect_edit("A  =  old  # c\n", "A", "new", "A  =  new  # c\n");
  expect_edit("A=x=y\n", "A", "p=q", "A=p=q\n");
  expect_edit("A=a#b\n", "A", "c#d", "A=c#d\n");
}

TEST(EnvFileSet, KeepsOrSwitchesQuoting) {
  expect_edit("A='old'\n", "A", "new value", "A='new value'\n");
  expect_edit("A='old'\n", "A", "it's", "A=\"it's\"\n");
  expect_edit("A='old'\n", "A", "two\nlines", "A='two\nlines'\n");
  expect_edit("A=\"old\" # c\n", "A", "new", "A=\"new\" # c\n");
  expect_edit("A=\"a#b\"\n", "A", "c # d", "A=\"c # d\"\n");
  expect_edit("A=\"x\"\n", "A", "q\"b\\s$t\n\t\r", "A=\"q\\\"b\\\\s\\$t\\n\\t\\r\"\n");
  expect_edit("A=1 # c\n", "A", "has space", "A=\"has space\" # c\n");
  expect_edit("A=1\n", "A", "$HOME", "A=\"\\$HOME\"\n");
  expect_edit("A=1\n", "A", "#x", "A=\"#x\"\n");
  expect_edit("A=1\n", "A", "it's", "A=\"it's\"\n");
  expect_edit("A=1\n", "A", "", "A=\n");
  expect_edit("A='old'\n", "A", "", "A=''\n");
}

TEST(EnvFileSet, EmptyValues) {
  expect_edit("A= # c\n", "A", "v", "A=v # c\n");
  expect_edit("A=\n", "A", "v", "A=v\n");
  expect_edit("A=   \n", "A", "v", "A=v   \n");
}

TEST(EnvFileSet, MultiLineValuesAndLineEndings) {
  expect_edit("A=\"l1\nl2\"\nB=1\n", "A", "x", "A=\"x\"\nB=1\n");
  expect_edit("A='l1\r\nl2' # c\r\nB=1\r\n", "A", "x", "A='x' # c\r\nB=1\r\n");
  expect_edit("A=1\r\nB=2\r\n", "B", "3", "A=1\r\nB=3\r\n");
  expect_edit("A=1\r\nB=2 # c\r\n", "B", "3 4", "A=1\r\nB=\"3 4\" # c\r\n");
  expect_edit("A=1\nB=2", "B", "3", "A=1\nB=3");
  expect_edit(
      "\xEF\xBB\xBF"
      "A=1\n",
      "A", "2",
      "\xEF\xBB\xBF"
      "A=2\n");
}

TEST(EnvFileSet, EditsTheLastOccurrence) {
  expect_edit("A=1\nB=2\nA=3\n", "A", "4", "A=1\nB=2\nA=4\n");
  expect_edit("A=1\nA=2 # c\nB=3", "A", "9", "A=1\nA=9 # c\nB=3");
}

TEST(EnvFileSet, BareKeyGetsAValue) {
  expect_edit("A\n", "A", "v", "A=v\n");
  expect_edit("export A  \n", "A", "v w", "export A=\"v w\"  \n");
  expect_edit("A=1\nA\n", "A", "2", "A=1\nA=2\n");
}

TEST(EnvFileSet, AppendsAbsentKeys) {
  expect_edit("A=1\n", "B", "2", "A=1\nB=2\n");
  expect_edit("A=1", "B", "2", "A=1\nB=2");
  expect_edit("A=1\r\nC=3\r\n", "B", "2", "A=1\r\nC=3\r\nB=2\r\n");
  expect_edit("A=1\r\nC=3", "B", "2", "A=1\r\nC=3\r\nB=2");
  expect_edit("A=1\r\nC=3\nD=4\r\n", "B", "2", "A=1\r\nC=3\nD=4\r\nB=2\r\n");
  expect_edit("", "B", "2", "B=2\n");
  expect_edit("\xEF\xBB\xBF", "B", "2",
              "\xEF\xBB\xBF"
              "B=2\n");
  expect_edit("# only a comment", "B", "a b", "# only a comment\nB=\"a b\"");
  expect_edit("A='x\ny'", "B", "2", "A='x\ny'\nB=2");
}

TEST(EnvFileSet, RejectsInvalidKeysAndChangesNothing) {
  for (const std::string key : {"", "1A", "A B", "A=B", "A#", "\xC3\x9c"}) {
    auto file = EnvFile::parse("A=1\n", "dir/.env");
    ASSERT_TRUE(file);
    auto result = file->set(key, "x");
    ASSERT_FALSE(result) << key;
    EXPECT_EQ(result.error().kind, ErrorKind::invalid_input);
    EXPECT_THAT(result.error().message, ::testing::HasSubstr("dir/.env"));
    EXPECT_THAT(result.error().message, ::testing::HasSubstr("not a valid variable name"));
    EXPECT_EQ(file->text(), "A=1\n");
  }
}

TEST(EnvFileSet, SuccessiveEditsKeepEverythingElse) {
  const std::string original =
      "# Stack settings\r\n"
      "export REGISTRY=registry.local:5000   # where images live\r\n"
      "IMAGE_TAG='v1.2.3'\r\n"
      "\r\n"
      "GREETING=\"hello # not a comment\"\r\n"
      "IMAGE_TAG=v1.2.4 # the effective one";
  auto file = EnvFile::parse(original, ".env");
  ASSERT_TRUE(file);
  ASSERT_TRUE(file->set("IMAGE_TAG", "v2.0.0"));
  ASSERT_TRUE(file->set("REGISTRY", "127.0.0.1:5001"));
  ASSERT_TRUE(file->set("NEW_KEY", "x"));
  EXPECT_EQ(file->text(),
            "# Stack settings\r\n"
            "export REGISTRY=127.0.0.1:5001   # where images live\r\n"
            "IMAGE_TAG='v1.2.3'\r\n"
            "\r\n"
            "GREETING=\"hello # not a comment\"\r\n"
            "IMAGE_TAG=v2.0.0 # the effective one\r\n"
            "NEW_KEY=x");
}

}  // namespace
}  // namespace wharf
