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

  static EnvFile env_file() {
    auto parsed = EnvFile::parse(
        "WHARF_STACK_TEST_BOTH=from-dotenv\n"
        "WHARF_STACK_TEST_FILE_ONLY=file-only\n"
        "WHARF_STACK_TEST_EMPTY=\n"
        "WHARF_STACK_TEST_BARE\n",
        "docker/.env");
    EXPECT_TRUE(parsed) << parsed.error().message;
    return parsed.value_or(EnvFile{});
  }
};

TEST_F(ProjectVariables, TheDotEnvFileWinsOverTheEnvironment) {
  const VariableLookup lookup = project_variables(env_file());
  EXPECT_EQ(lookup("WHARF_STACK_TEST_BOTH"), std::optional<std::string>("from-dotenv"));
  EXPECT_EQ(lookup("WHARF_STACK_TEST_FILE_ONLY"), std::optional<std::string>("file-only"));
  EXPECT_EQ(lookup("WHARF_STACK_TEST_ENV_ONLY"), std::optional<std::string>("environment-only"));
  EXPECT_EQ(lookup("WHARF_STACK_TEST_NOWHERE"), std::nullopt);
}

TEST_F(ProjectVariables, AnEmptyDotEnvValueIsAValueButABareKeyIsNot) {
  const VariableLookup lookup = project_variables(env_file());
  EXPECT_EQ(lookup("WHARF_STACK_TEST_EMPTY"), std::optional<std::string>(""));
  EXPECT_EQ(lookup("WHARF_STACK_TEST_BARE"), std::optional<std::string>("bare-from-environment"));
}

TEST_F(ProjectVariables, OutlivesTheEnvFileItWasMadeFrom) {
  VariableLookup lookup;
  {
    const EnvFile env = env_file();
    lookup = project_variables(env);
  }
  EXPECT_EQ(lookup("WHARF_STACK_TEST_FILE_ONLY"), std::optional<std::string>("file-only"));
}

TEST_F(ProjectVariables, SeesTheEnvironmentAsItIsWhenAsked) {
  const VariableLookup lookup = project_variables(EnvFile{});
  EXPECT_EQ(lookup("WHARF_STACK_TEST_NOWHERE"), std::nullopt);
  ::setenv("WHARF_STACK_TEST_NOWHERE", "now-set", 1);
  EXPECT_EQ(lookup("WHARF_STACK_TEST_NOWHERE"), std::optional<std::string>("now-set"));
  ::unsetenv("WHARF_STACK_TEST_NOWHERE");
}

}  // namespace
}  // namespace wharf::stack
