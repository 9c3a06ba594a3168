#include "wharf/core/semver.hpp"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "wharf/core/image_reference.hpp"

namespace wharf {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

SemVer parsed(std::string_view text) {
  auto version = SemVer::parse(text);
  EXPECT_TRUE(version.has_value()) << text << ": " << version.error().message;
  return version.value_or(SemVer{});
}

// Expects `text` to be rejected as invalid_input and returns the message.
std::string rejection(std::string_view text) {
  const auto version = SemVer::parse(text);
  EXPECT_FALSE(version.has_value()) << "accepted '" << text << "' as " << *version;
  if (version) {
    return {};
  }
  EXPECT_EQ(version.error().kind, ErrorKind::invalid_input) << text;
  return version.error().message;
}

int sign(std::weak_ordering order) {
  return order < 0 ? -1 : (order > 0 ? 1 : 0);
}

TEST(SemVerParse, ReadsAPlainRelease) {
  const auto version = parsed("1.2.3");
  EXPECT_EQ(version.major(), 1U);
  EXPECT_EQ(version.minor(), 2U);
  EXPECT_EQ(version.patch(), 3U);
  EXPECT_THAT(version.prerelease(), IsEmpty());
  EXPECT_THAT(version.build(), IsEmpty());
  EXPECT_FALSE(version.is_prerelease());
  EXPECT_TRUE(version.identical(SemVer(1, 2, 3)));
}

TEST(SemVerParse, AcceptsOneLowercaseVPrefixAndDropsIt) {
  const auto version = parsed("v1.2.3");
  EXPECT_TRUE(version.identical(SemVer(1, 2, 3)));
  EXPECT_EQ(version.to_string(), "1.2.3");
  EXPECT_EQ(version.tag_name(), "v1.2.3");
}

TEST(SemVerParse, ReadsPreReleaseAndBuildIdentifiers) {
  const auto version = parsed("1.2.3-rc.1+build.7");
  EXPECT_THAT(version.prerelease(), ElementsAre("rc", "1"));
  EXPECT_THAT(version.build(), ElementsAre("build", "7"));
  EXPECT_TRUE(version.is_prerelease());

  const auto dev = parsed("1.2.3-dev.4");
  EXPECT_THAT(dev.prerelease(), ElementsAre("dev", "4"));
  EXPECT_THAT(dev.build(), IsEmpty());

  const auto build_only = parsed("1.2.3+001.0002.x-y");
  EXPECT_FALSE(build_only.is_prerelease());
  EXPECT_THAT(build_only.build(), ElementsAre("001", "0002", "x-y"));

  // '-' is an identifier character, so only the first '-' starts the pre-release and only
  // the first '+' starts the build metadata.
  const auto dashes = parsed("1.2.3----RC-SNAPSHOT.12.9.1--.12+788");
  EXPECT_THAT(dashes.prerelease(), ElementsAre("---RC-SNAPSHOT", "12", "9", "1--", "12"));
  EXPECT_THAT(dashes.build(), ElementsAre("788"));
}

TEST(SemVerParse, HoldsTheFullUint64Range) {
  const auto version = parsed("18446744073709551615.0.18446744073709551615");
  EXPECT_EQ(version.major(), 18446744073709551615ULL);
  EXPECT_EQ(version.patch(), 18446744073709551615ULL);
  EXPECT_EQ(version.to_string(), "18446744073709551615.0.18446744073709551615");
}

// The valid examples of semver.org's test suite that fit in 64-bit numbers.
TEST(SemVerParse, AcceptsEveryValidSpecExample) {
  for (const std::string_view text : {"0.0.4",
                                      "1.2.3",
                                      "10.20.30",
                                      "1.1.2-prerelease+meta",
                                      "1.1.2+meta",
                                      "1.1.2+meta-valid",
                                      "1.0.0-alpha",
                                      "1.0.0-beta",
                                      "1.0.0-alpha.beta",
                                      "1.0.0-alpha.beta.1",
                                      "1.0.0-alpha.1",
                                      "1.0.0-alpha0.valid",
                                      "1.0.0-alpha.0valid",
                                      "1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay",
                                      "1.0.0-rc.1+build.1",
                                      "2.0.0-rc.1+build.123",
                                      "1.2.3-beta",
                                      "10.2.3-DEV-SNAPSHOT",
                                      "1.2.3-SNAPSHOT-123",
                                      "1.0.0",
                                      "2.0.0",
                                      "1.1.7",
                                      "2.0.0+build.1848",
                                      "2.0.1-alpha.1227",
                                      "1.0.0-alpha+beta",
                                      "1.2.3----RC-SNAPSHOT.12.9.1--.12+788",
                                      "1.2.3----R-S.12.9.1--.12+meta",
                                      "1.2.3----RC-SNAPSHOT.12.9.1--.12",
                                      "1.0.0+0.build.1-rc.10000aaa-kk-0.1",
                                      "1.0.0-0A.is.legal",
                                      "1.0.0-x.7.z.92",
                                      "1.0.0-x-y-z.--",
                                      "1.0.0+21AF26D3----117B344092BD",
                                      "1.0.0-0",
                                      "1.0.0-0.3.7"}) {
    const auto version = SemVer::parse(text);
    ASSERT_TRUE(version.has_value()) << text << ": " << version.error().message;
    EXPECT_EQ(version->to_string(), text);
  }
}

// semver.org's invalid examples plus the ways a tag typically goes wrong in practice.
TEST(SemVerParse, RejectsEveryInvalidExample) {
  for (const std::string_view text : {"1",
                                      "1.2",
                                      "1.2.3-0123",
                                      "1.2.3-0123.0123",
                                      "1.1.2+.123",
                                      "+invalid",
                                      "-invalid",
                                      "-invalid+invalid",
                                      "-invalid.01",
                                      "alpha",
                                      "alpha.beta",
                                      "alpha.beta.1",
                                      "alpha.1",
                                      "alpha+beta",
                                      "alpha_beta",
                                      "alpha.",
                                      "alpha..",
                                      "beta",
                                      "1.0.0-alpha_beta",
                                      "-alpha.",
                                      "1.0.0-alpha..",
                                      "1.0.0-alpha..1",
                                      "1.0.0-alpha...1",
                                      "01.1.1",
                                      "1.01.1",
                                      "1.1.01",
                                      "1.2.3.DEV",
                                      "1.2-SNAPSHOT",
                                      "1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788",
                                      "1.2-RC-SNAPSHOT",
                                      "-1.0.3-gamma+b7718",
                                      "+justmeta",
                                      "9.8.7+meta+meta",
                                      "9.8.7-whatever+meta+meta",
                                      "",
                                      "v",
                                      "vv1.2.3",
                                      "V1.2.3",
                                      " 1.2.3",
                                      "1.2.3 ",
                                      "1.2.3\n",
                                      "1.2.3\r",
                                      "1..3",
                                      "1.2.",
                                      ".1.2.3",
                                      "1.2.3.4",
                                      "1.2.3-",
                                      "1.2.3+",
                                      "1.2.3-+build",
                                      "1.2.3-rc.1+",
                                      "1.2.3-rc.",
                                      "1.2.3+build.",
                                      "1.2.3-rc.01",
                                      "1.2.3-é",
                                      "18446744073709551616.0.0",
                                      "0.18446744073709551616.0",
                                      "0.0.99999999999999999999999",
                                      "1.2.3_build.7",
                                      "release-1.2.3",
                                      "latest"}) {
    (void)rejection(text);
  }
  using namespace std::string_view_literals;
  EXPECT_THAT(rejection("1.2.3-rc\0001"sv), HasSubstr("contains '\\x00'"));
}

TEST(SemVerParse, ExplainsWhatIsWrongWithTheText) {
  EXPECT_EQ(rejection("1.2"),
            "'1.2' is not a semantic version: expected MAJOR.MINOR.PATCH such as 1.2.3 (found 2 "
            "numbers)");
  EXPECT_EQ(rejection("01.2.3"),
            "'01.2.3' is not a semantic version: the major number '01' has a leading zero");
  EXPECT_EQ(rejection("1.2.3-"),
            "'1.2.3-' is not a semantic version: the pre-release after '-' is empty");
  EXPECT_EQ(rejection("1.2.3+"),
            "'1.2.3+' is not a semantic version: the build metadata after '+' is empty");
  EXPECT_THAT(rejection("1"), HasSubstr("(found 1 number)"));
  EXPECT_THAT(rejection("1.2.3.4"), HasSubstr("(found 4 numbers)"));
  EXPECT_THAT(rejection("1..3"), HasSubstr("the minor number is empty"));
  EXPECT_THAT(rejection("1.2.03"), HasSubstr("the patch number '03' has a leading zero"));
  EXPECT_THAT(rejection("1.18446744073709551616.0"),
              HasSubstr("the minor number '18446744073709551616' is larger than"));
  EXPECT_THAT(rejection("1.2.3-rc.01"),
              HasSubstr("the pre-release identifier '01' has a leading zero"));
  EXPECT_THAT(rejection("1.2.3-rc..1"),
              HasSubstr("the pre-release 'rc..1' has an empty identifier"));
  EXPECT_THAT(rejection("1.2.3-rc_1"), HasSubstr("the pre-release 'rc_1' contains '_'"));
  EXPECT_THAT(rejection("1.2.3+a+b"), HasSubstr("the build metadata 'a+b' contains '+'"));
  EXPECT_THAT(rejection(" 1.2.3"), HasSubstr("unexpected character ' '"));
  EXPECT_THAT(rejection("V1.2.3"), HasSubstr("lowercase 'v'"));
  EXPECT_THAT(rejection(""), HasSubstr("empty"));
  // Control characters are shown escaped so a stray CR from a CRLF file is visible.
  EXPECT_THAT(rejection("1.2.3\r"), StartsWith("'1.2.3\\x0D' is not a semantic version"));
  // A huge input is cut short in the message.
  EXPECT_LT(rejection(std::string(10'000, '9')).size(), 300U);
}

TEST(SemVerParse, ParseTagSkipsNonVersionTags) {
  const std::vector<std::string> git_tags = {"v1.2.3",  "latest",     "v1.2",         "1.3.0-rc.1",
                                             "nightly", "v2.0.0+b.1", "release-2024", "v01.0.0"};
  std::vector<std::string> versions;
  for (const auto& tag : git_tags) {
    if (const auto version = SemVer::parse_tag(tag)) {
      versions.push_back(version->to_string());
    }
  }
  EXPECT_THAT(versions, ElementsAre("1.2.3", "1.3.0-rc.1", "2.0.0+b.1"));
}

TEST(SemVerRender, TextAndTagName) {
  const auto version = parsed("v1.2.3-rc.1+build.7");
  EXPECT_EQ(version.to_string(), "1.2.3-rc.1+build.7");
  EXPECT_EQ(version.tag_name(), "v1.2.3-rc.1+build.7");
  // '+' cannot be in a docker tag: image tags are spelt by pin/tag_style (tests/unit/pin).
  EXPECT_FALSE(is_valid_image_tag(version.to_string()));
  EXPECT_EQ(SemVer().to_string(), "0.0.0");
}

TEST(SemVerOrder, FollowsTheSpecExampleChain) {
  const std::vector<std::string_view> chain = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
                                               "1.0.0-beta",  "1.0.0-beta.2",  "1.0.0-beta.11",
                                               "1.0.0-rc.1",  "1.0.0",         "1.0.1",
                                               "1.9.0",       "1.10.0",        "1.11.0",
                                               "2.0.0",       "2.1.0",         "2.1.1",
                                               "10.0.0"};
  for (std::size_t i = 0; i < chain.size(); ++i) {
    for (std::size_t j = 0; j < chain.size(); ++j) {
      const auto lhs = parsed(chain[i]);
      const auto rhs = parsed(chain[j]);
      EXPECT_EQ(sign(lhs <=> rhs), sign(i <=> j)) << lhs << " vs " << rhs;
      EXPECT_EQ(lhs == rhs, i == j) << lhs << " vs " << rhs;
    }
  }
  std::vector<SemVer> shuffled;
  for (const auto text : chain) {
    shuffled.push_back(parsed(text));
  }
  std::ranges::shuffle(shuffled, std::mt19937(7));
  std::ranges::sort(shuffled);
  for (std::size_t i = 0; i < chain.size(); ++i) {
    EXPECT_EQ(shuffled[i].to_string(), chain[i]);
  }
}

TEST(SemVerOrder, ComparesNumericIdentifiersOfAnySizeAsNumbers) {
  EXPECT_LT(parsed("1.0.0-2"), parsed("1.0.0-10"));
  EXPECT_LT(parsed("1.0.0-18446744073709551615"), parsed("1.0.0-18446744073709551616"));
  EXPECT_LT(parsed("1.0.0-99999999999999999999999"), parsed("1.0.0-100000000000000000000000"));
  EXPECT_LT(parsed("1.0.0-100000000000000000000000"), parsed("1.0.0-100000000000000000000001"));
  // Numeric identifiers are lower than alphanumeric ones, whatever their size.
  EXPECT_LT(parsed("1.0.0-99999999999999999999999"), parsed("1.0.0-0a"));
  EXPECT_LT(parsed("1.0.0-9"), parsed("1.0.0--"));
  // Alphanumeric identifiers compare in ASCII order: '-' < digits < upper < lower case.
  EXPECT_LT(parsed("1.0.0-Beta"), parsed("1.0.0-alpha"));
  EXPECT_LT(parsed("1.0.0-a-"), parsed("1.0.0-a0"));
  EXPECT_LT(parsed("1.0.0-a10"), parsed("1.0.0-a9"));
  // A longer list with an equal prefix is higher.
  EXPECT_LT(parsed("1.0.0-rc.1"), parsed("1.0.0-rc.1.0"));
  EXPECT_LT(parsed("1.0.0-rc"), parsed("1.0.0-rc.1"));
  // Core numbers compare as unsigned 64-bit numbers.
  EXPECT_LT(parsed("18446744073709551614.99.99"), parsed("18446744073709551615.0.0"));
  EXPECT_GT(parsed("0.0.1"), parsed("0.0.0"));
  EXPECT_GT(parsed("0.1.0"), parsed("0.0.99"));
}

TEST(SemVerOrder, IgnoresBuildMetadataButIdenticalDoesNot) {
  const auto a = parsed("1.0.0-rc.1+build.1");
  const auto b = parsed("1.0.0-rc.1+build.2");
  const auto c = parsed("1.0.0-rc.1");
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, c);
  EXPECT_TRUE((a <=> b) == 0);
  EXPECT_FALSE(a.identical(b));
  EXPECT_FALSE(a.identical(c));
  EXPECT_TRUE(a.identical(parsed("v1.0.0-rc.1+build.1")));
  EXPECT_LT(parsed("1.0.0-rc.1+zzz"), parsed("1.0.0-rc.2+aaa"));
  EXPECT_NE(parsed("1.0.0+a"), parsed("1.0.0-a"));
}

}  // namespace
}  // namespace wharf
