#include "wharf/stack/project_variables.hpp"

#include <cstdlib>
#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace wharf::stack {
namespace {

// Variables with names no real environment has, set for one test and removed after it.
class ProjectVariables : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("WHARF_STACK_TEST_BOTH", "from-environment", 1);
    ::setenv("WHARF_STACK_TEST_ENV_ONLY", "environment-only", 1);
    ::setenv("WHARF_STACK_TEST_BARE", "bare-from-environment", 1);
    ::setenv("WHARF_STACK_TEST_EMPTY", "not-empty-in-environment", 1);
    ::unsetenv("WHARF_STACK_TEST_NOWHERE");
  }
  void TearDown() override {
    ::unsetenv("WHARF_STACK_TEST_BOTH");
    ::unsetenv("WHARF_STACK_TEST_ENV_ONLY");
    ::unsetenv("WHARF_STACK_TEST_BARE");
    ::unsetenv("WHARF_STACK_TEST_EMPTY");
  }

  static EnvFile env_file(const std::string& text =
                              "WHARF_STACK_TEST_BOTH=from-dotenv\n"
                              "WHARF_STACK_TEST_FILE_ONLY=file-only\n"
                              "WHARF_STACK_TEST_EMPTY=\n"
                              "WHARF_STACK_TEST_BARE\n") {
    auto parsed = EnvFile::parse(text, "docker/.env");
    EXPECT_TRUE(parsed) << parsed.error().message;
    return parsed.value_or(EnvFile{});
  }

  // The lookup for `env`, or one that knows nothing after recording a failure.
  static VariableLookup lookup_for(const EnvFile& env) {
    auto lookup = project_variables(env);
    EXPECT_TRUE(lookup) << lookup.error().message;
    return lookup.value_or(VariableLookup([](std::string_view) { return std::nullopt; }));
  }
};

TEST_F(ProjectVariables, TheDotEnvFileWinsOverTheEnvironment) {
  const VariableLookup lookup = lookup_for(env_file());
  EXPECT_EQ(lookup("WHARF_STACK_TEST_BOTH"), std::optional<std::string>("from-dotenv"));
  EXPECT_EQ(lookup("WHARF_STACK_TEST_FILE_ONLY"), std::optional<std::string>("file-only"));
  EXPECT_EQ(lookup("WHARF_STACK_TEST_ENV_ONLY"), std::optional<std::string>("environment-only"));
  EXPECT_EQ(lookup("WHARF_STACK_TEST_NOWHERE"), std::nullopt);
}

TEST_F(ProjectVariables, AnEmptyDotEnvValueIsAValueButABareKeyIsNot) {
  const VariableLookup lookup = lookup_for(env_file());
  EXPECT_EQ(lookup("WHARF_STACK_TEST_EMPTY"), std::optional<std::string>(""));
  EXPECT_EQ(lookup("WHARF_STACK_TEST_BARE"), std::optional<std::string>("bare-from-environment"));
}

TEST_F(ProjectVariables, OutlivesTheEnvFileItWasMadeFrom) {
  VariableLookup lookup;
  {
    const EnvFile env = env_file();
    lookup = lookup_for(env);
  }
  EXPECT_EQ(lookup("WHARF_STACK_TEST_FILE_ONLY"), std::optional<std::string>("file-only"));
}

TEST_F(ProjectVariables, SeesTheEnvironmentAsItIsWhenAsked) {
  const VariableLookup lookup = lookup_for(EnvFile{});
  EXPECT_EQ(lookup("WHARF_STACK_TEST_NOWHERE"), std::nullopt);
  ::setenv("WHARF_STACK_TEST_NOWHERE", "now-set", 1);
  EXPECT_EQ(lookup("WHARF_STACK_TEST_NOWHERE"), std::optional<std::string>("now-set"));
  ::unsetenv("WHARF_STACK_TEST_NOWHERE");
}

TEST_F(ProjectVariables, DotEnvValuesAreInterpolatedAsComposeReadsThem) {
  const VariableLookup lookup = lookup_for(
      env_file("IMAGE_TAG=1.2.3\n"
               "SUFFIX=${IMAGE_TAG}-x\n"
               "QUOTED=\"$IMAGE_TAG and \\$IMAGE_TAG and $$IMAGE_TAG\"\n"
               "LITERAL='${IMAGE_TAG}'\n"
               "FROM_ENV=${WHARF_STACK_TEST_ENV_ONLY}/${WHARF_STACK_TEST_NOWHERE:-fallback}\n"
               "BOTH=${WHARF_STACK_TEST_BOTH}\n"
               "WHARF_STACK_TEST_BOTH=from-dotenv\n"
               "AFTER=${WHARF_STACK_TEST_BOTH}\n"
               "LATER=${DEFINED_BELOW-unset}\n"
               "DEFINED_BELOW=x\n"));
  EXPECT_EQ(lookup("SUFFIX"), std::optional<std::string>("1.2.3-x"));
  // Double quotes interpolate; `\$` and `$$` are a literal `$`, as compose reads them.
  EXPECT_EQ(lookup("QUOTED"), std::optional<std::string>("1.2.3 and $IMAGE_TAG and $IMAGE_TAG"));
  EXPECT_EQ(lookup("LITERAL"), std::optional<std::string>("${IMAGE_TAG}"));
  EXPECT_EQ(lookup("FROM_ENV"), std::optional<std::string>("environment-only/fallback"));
  // A value sees the keys above it, then the environment; never the ones below.
  EXPECT_EQ(lookup("BOTH"), std::optional<std::string>("from-environment"));
  EXPECT_EQ(lookup("AFTER"), std::optional<std::string>("from-dotenv"));
  EXPECT_EQ(lookup("LATER"), std::optional<std::string>("unset"));
}

TEST_F(ProjectVariables, EveryByteOfAValueWithoutADollarIsKeptAsWritten) {
  // All byte values that a quoted value can hold without an escape (so not ", \\ or $), invalid
  // UTF-8 among them, and a file without a final newline.
  std::string bytes;
  for (int value = 0; value < 256; ++value) {
    const char c = static_cast<char>(value);
    if (c != '"' && c != '\\' && c != '$' && c != '\'') {
      bytes += c;
    }
  }
  const auto env = env_file("D=\"" + bytes + "\"\nS='" + bytes + "'");
  const VariableLookup lookup = lookup_for(env);
  EXPECT_TRUE(lookup("D") == bytes);
  EXPECT_TRUE(lookup("S") == bytes);
}

TEST_F(ProjectVariables, ABadExpressionInDotEnvNamesTheFileLineAndKey) {
  const auto bad = EnvFile::parse("A=1\nB=${A\n", "docker/.env");
  ASSERT_TRUE(bad) << bad.error().message;
  const auto refused = project_variables(*bad);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(refused.error().message.find("docker/.env:2: B"), std::string::npos)
      << refused.error().message;

  const auto required = EnvFile::parse("B=${WHARF_STACK_TEST_NOWHERE:?set it first}\n", "e");
  ASSERT_TRUE(required) << required.error().message;
  const auto missing = project_variables(*required);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("set it first"), std::string::npos)
      << missing.error().message;
}

}  // namespace
}  // namespace wharf::stack
