#include "wharf/stack/interpolation.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wharf::stack {
namespace {

using ::testing::HasSubstr;

// SET=value, EMPTY is set to "", UNSET is not set; names used in nesting have their own values.
VariableLookup fixed_lookup() {
  const std::map<std::string, std::string, std::less<>> values = {
      {"SET", "value"},
      {"EMPTY", ""},
      {"TAG", "1.2.3"},
      {"REPO", "127.0.0.1:5000/acme/app"},
      {"_x1", "under"}};
  return [values](std::string_view name) -> std::optional<std::string> {
    const auto found = values.find(name);
    if (found == values.end()) {
      return std::nullopt;
    }
    return found->second;
  };
}

struct ExpandCase {
  std::string text;
  std::string expected;
};

class ExpandsTo : public ::testing::TestWithParam<ExpandCase> {};

TEST_P(ExpandsTo, LikeCompose) {
  const auto& [text, expected] = GetParam();
  const auto result = interpolate(text, fixed_lookup(), "test.yml: x");
  ASSERT_TRUE(result) << text << ": " << result.error().message;
  EXPECT_EQ(*result, expected) << text;
}

INSTANTIATE_TEST_SUITE_P(
    Interpolation, ExpandsTo,
    ::testing::Values(
        // Plain text and escapes.
        ExpandCase{"", ""}, ExpandCase{"no variables", "no variables"}, ExpandCase{"$$", "$"},
        ExpandCase{"a$$b", "a$b"}, ExpandCase{"$${SET}", "${SET}"}, ExpandCase{"$$SET", "$SET"},
        ExpandCase{"$$$SET", "$value"}, ExpandCase{"lone } brace", "lone } brace"},
        // Unbraced and braced names.
        ExpandCase{"$SET", "value"}, ExpandCase{"${SET}", "value"}, ExpandCase{"$SET-x", "value-x"},
        ExpandCase{"$SET.x", "value.x"},
        ExpandCase{"$SETx", ""},  // The name is SETx, which is unset.
        ExpandCase{"${SET}x", "valuex"}, ExpandCase{"$UNSET", ""}, ExpandCase{"${UNSET}", ""},
        ExpandCase{"$_x1", "under"}, ExpandCase{"${REPO}:${TAG}", "127.0.0.1:5000/acme/app:1.2.3"},
        // Defaults: with a colon empty counts as unset, without it only unset does.
        ExpandCase{"${SET:-d}", "value"}, ExpandCase{"${EMPTY:-d}", "d"},
        ExpandCase{"${UNSET:-d}", "d"}, ExpandCase{"${SET-d}", "value"},
        ExpandCase{"${EMPTY-d}", ""}, ExpandCase{"${UNSET-d}", "d"}, ExpandCase{"${UNSET:-}", ""},
        ExpandCase{"${UNSET:-a b:c-d}", "a b:c-d"}, ExpandCase{"${UNSET:-a:-b}", "a:-b"},
        // Alternatives.
        ExpandCase{"${SET:+alt}", "alt"}, ExpandCase{"${EMPTY:+alt}", ""},
        ExpandCase{"${UNSET:+alt}", ""}, ExpandCase{"${SET+alt}", "alt"},
        ExpandCase{"${EMPTY+alt}", "alt"}, ExpandCase{"${UNSET+alt}", ""},
        // Required variables that have a value.
        ExpandCase{"${SET:?msg}", "value"}, ExpandCase{"${SET?msg}", "value"},
        ExpandCase{"${EMPTY?msg}", ""},  // Set, so `?` is satisfied although it is empty.
        // Nesting in defaults and alternatives.
        ExpandCase{"${UNSET:-${SET}}", "value"}, ExpandCase{"${UNSET:-${UNSET2:-${TAG}}}", "1.2.3"},
        ExpandCase{"${UNSET:-pre-${SET}-post}", "pre-value-post"},
        ExpandCase{"${UNSET:-$SET}", "value"}, ExpandCase{"${SET:-${UNSET}}", "value"},
        ExpandCase{"${SET:+[${TAG}]}", "[1.2.3]"}, ExpandCase{"${UNSET:-$$}", "$"},
        ExpandCase{"${UNSET:-{x}}", "{x}"},  // The first } closes; the second is text.
        ExpandCase{"${REPO}:${TAG:-latest}", "127.0.0.1:5000/acme/app:1.2.3"}));

struct ErrorCase {
  std::string text;
  std::string message;  // The whole expected message.
};

class FailsWith : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(FailsWith, ASentenceNamingTheProblem) {
  const auto& [text, message] = GetParam();
  const auto result = interpolate(text, fixed_lookup(), "test.yml:3: services.app.image");
  ASSERT_FALSE(result) << text << " gave " << *result;
  EXPECT_EQ(result.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(result.error().message, message);
}

INSTANTIATE_TEST_SUITE_P(
    Required, FailsWith,
    ::testing::Values(
        ErrorCase{"${UNSET:?set UNSET in docker/.env}",
                  "test.yml:3: services.app.image: required variable UNSET is missing a value: "
                  "set UNSET in docker/.env"},
        ErrorCase{"${EMPTY:?must not be empty}",
                  "test.yml:3: services.app.image: required variable EMPTY is missing a value: "
                  "must not be empty"},
        ErrorCase{"${UNSET?msg}",
                  "test.yml:3: services.app.image: required variable UNSET is missing a value: "
                  "msg"},
        ErrorCase{"${UNSET:?}",
                  "test.yml:3: services.app.image: required variable UNSET is missing a value — "
                  "give UNSET a value in the .env file or the environment"},
        // The message is interpolated, as compose prints it.
        ErrorCase{"${UNSET:?tag ${TAG} needs it}",
                  "test.yml:3: services.app.image: required variable UNSET is missing a value: "
                  "tag 1.2.3 needs it"},
        // Nested in a default that is used.
        ErrorCase{"${UNSET:-${UNSET2:?no default}}",
                  "test.yml:3: services.app.image: required variable UNSET2 is missing a value: "
                  "no default"},
        // As in compose, the default is interpolated even when SET makes it unused.
        ErrorCase{"${SET:-${UNSET2:?eager}}",
                  "test.yml:3: services.app.image: required variable UNSET2 is missing a value: "
                  "eager"}));

INSTANTIATE_TEST_SUITE_P(
    Malformed, FailsWith,
    ::testing::Values(
        ErrorCase{"${SET",
                  "test.yml:3: services.app.image: invalid interpolation in \"${SET\": "
                  "the ${ at character 1 is never closed with } — write a literal $ as $$"},
        ErrorCase{"a${",
                  "test.yml:3: services.app.image: invalid interpolation in \"a${\": the "
                  "${ at character 2 is never closed with } — write a literal $ as $$"},
        ErrorCase{"${UNSET:-${SET}",
                  "test.yml:3: services.app.image: invalid interpolation in \"${UNSET:-${SET}\": "
                  "the ${ at character 1 is never closed with } — write a literal $ as $$"},
        ErrorCase{"${}",
                  "test.yml:3: services.app.image: invalid interpolation in \"${}\": the "
                  "${ at character 1 has no variable name — write a literal $ as $$"},
        ErrorCase{"x${1A}",
                  "test.yml:3: services.app.image: invalid interpolation in "
                  "\"x${1A}\": the ${ at character 2 is followed by '1', but a "
                  "variable name starts with a letter or _ — write a literal $ as $$"},
        ErrorCase{"${A B}",
                  "test.yml:3: services.app.image: invalid interpolation in \"${A "
                  "B}\": the ${ at character 1 has ' ' after the name A, but only } or "
                  "one of :- - :? ? :+ + may follow it — write a literal $ as $$"},
        ErrorCase{"${A.B}",
                  "test.yml:3: services.app.image: invalid interpolation in "
                  "\"${A.B}\": the ${ at character 1 has '.' after the name A, but only "
                  "} or one of :- - :? ? :+ + may follow it — write a literal $ as $$"},
        ErrorCase{"${A:x}",
                  "test.yml:3: services.app.image: invalid interpolation in "
                  "\"${A:x}\": the ${ at character 1 has ':' after the name A, but only "
                  "} or one of :- - :? ? :+ + may follow it — write a literal $ as $$"},
        ErrorCase{"cost: 5$",
                  "test.yml:3: services.app.image: invalid interpolation in \"cost: "
                  "5$\": the $ at character 8 is not followed by a variable name or "
                  "{ — write a literal $ as $$"},
        ErrorCase{"$ 1",
                  "test.yml:3: services.app.image: invalid interpolation in \"$ 1\": the "
                  "$ at character 1 is not followed by a variable name or { — write a "
                  "literal $ as $$"},
        ErrorCase{"$1",
                  "test.yml:3: services.app.image: invalid interpolation in \"$1\": the $ "
                  "at character 1 is not followed by a variable name or { — write a "
                  "literal $ as $$"}));

TEST(Interpolation, RefusesNestingDeeperThanItCanFollow) {
  std::string text;
  for (int i = 0; i < 40; ++i) {
    text += "${A:-";
  }
  text += "x" + std::string(40, '}');
  const auto result = interpolate(text, fixed_lookup(), "deep");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::invalid_input);
  EXPECT_THAT(result.error().message, HasSubstr("nests more than 32 levels deep"));

  std::string shallow;
  for (int i = 0; i < 10; ++i) {
    shallow += "${A:-";
  }
  shallow += "x" + std::string(10, '}');
  const auto ok = interpolate(shallow, fixed_lookup(), "shallow");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(*ok, "x");
}

TEST(Interpolation, AsksTheLookupForEveryVariableItExpands) {
  std::vector<std::string> asked;
  const VariableLookup recording = [&asked](std::string_view name) -> std::optional<std::string> {
    asked.emplace_back(name);
    return std::nullopt;
  };
  const auto result = interpolate("$A ${B:-${C}} ${D+x}", recording, "x");
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(*result, "  ");
  // The default's C is expanded before B itself is looked up.
  EXPECT_EQ(asked, (std::vector<std::string>{"A", "C", "B", "D"}));
}

struct NamesCase {
  std::string text;
  std::vector<std::string> names;
};

class References : public ::testing::TestWithParam<NamesCase> {};

TEST_P(References, InOrderWithoutDuplicates) {
  const auto& [text, names] = GetParam();
  EXPECT_EQ(referenced_variables(text), names) << text;
}

INSTANTIATE_TEST_SUITE_P(
    ReferencedVariables, References,
    ::testing::Values(
        NamesCase{"", {}}, NamesCase{"plain:tag", {}}, NamesCase{"$$IMAGE_TAG", {}},
        NamesCase{"${APP_IMAGE:?set it}:${IMAGE_TAG:?run wharf pin}", {"APP_IMAGE", "IMAGE_TAG"}},
        NamesCase{"$A/$B:$A", {"A", "B"}}, NamesCase{"${A:-${B:-${C}}}", {"A", "B", "C"}},
        NamesCase{"${A:?needs $B}", {"A", "B"}}, NamesCase{"${A:+${B}}${B}${C-x}", {"A", "B", "C"}},
        NamesCase{"repo:${IMAGE_TAG-latest}", {"IMAGE_TAG"}},
        // Malformed: the names before the first bad expression.
        NamesCase{"$A ${B", {"A", "B"}}, NamesCase{"$A $ $C", {"A"}}));

TEST(ReferencedVariables, DoNotDependOnValues) {
  // A required variable without a value is still a reference, and no lookup is needed.
  EXPECT_EQ(referenced_variables("${MISSING:?x}"), (std::vector<std::string>{"MISSING"}));
}

}  // namespace
}  // namespace wharf::stack
