// Fuzz-style tests for the two value parsers: tens of thousands of generated strings, from a
// fixed seed so every failure reproduces. Each input must be answered without crashing or
// throwing; accepted inputs must round-trip; and acceptance must agree with an independent
// oracle built from the specs' own regular expressions (semver.org's and distribution/
// reference's), so a hand-written parser bug cannot hide behind a matching hand-written test.
// SemVer's ordering has its own property test in semver_order_fuzz_test.cpp.
#include <algorithm>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "wharf/core/image_reference.hpp"
#include "wharf/core/semver.hpp"

#include "unit/core/fuzz_generator.hpp"

namespace wharf {
namespace {

using fuzz::Generator;

constexpr std::uint32_t kSeed = 20240611;
constexpr int kRandomInputs = 15'000;
constexpr int kMutatedInputs = 15'000;

// ---- SemVer ----

constexpr std::string_view kSemVerAlphabet = "0123456789....---++vVaZz_ x\n";

const std::regex& semver_oracle() {
  // semver.org's suggested regular expression, with wharf's optional 'v' in front.
  static const std::regex pattern(
      R"(v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*))"
      R"((?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?)"
      R"((?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?)");
  return pattern;
}

bool fits_uint64(const std::string& digits) {
  return digits.size() < 20 || (digits.size() == 20 && digits <= "18446744073709551615");
}

bool semver_oracle_accepts(const std::string& text) {
  std::smatch match;
  if (!std::regex_match(text, match, semver_oracle())) {
    return false;
  }
  return fits_uint64(match[1]) && fits_uint64(match[2]) && fits_uint64(match[3]);
}

std::string random_semver_tokens(Generator& gen) {
  static const std::string_view kTokens[] = {"0",
                                             "1",
                                             "7",
                                             "01",
                                             "12",
                                             "18446744073709551615",
                                             "18446744073709551616",
                                             ".",
                                             ".",
                                             ".",
                                             "-",
                                             "-",
                                             "+",
                                             "rc",
                                             "alpha",
                                             "0a",
                                             "x-y",
                                             "--",
                                             "v",
                                             "V",
                                             " ",
                                             "_",
                                             "00",
                                             "99999999999"};
  std::string out;
  const auto count = 1 + gen.below(12);
  for (std::size_t i = 0; i < count; ++i) {
    out += gen.pick(kTokens);
  }
  return out;
}

void check_semver_input(const std::string& text, int& accepted) {
  Result<SemVer> result = fail(ErrorKind::internal, "not run");
  try {
    result = SemVer::parse(text);
  } catch (const std::exception& error) {
    ADD_FAILURE() << "SemVer::parse threw on '" << text << "': " << error.what();
    return;
  }
  EXPECT_EQ(result.has_value(), semver_oracle_accepts(text))
      << "disagrees with the oracle: '" << text << "'";
  if (!result) {
    EXPECT_EQ(result.error().kind, ErrorKind::invalid_input) << text;
    EXPECT_NE(result.error().message.find("is not a semantic version: "), std::string::npos)
        << result.error().message;
    return;
  }
  ++accepted;
  const auto canonical = result->to_string();
  // Semver has exactly one spelling per value, apart from the optional 'v'.
  EXPECT_EQ(canonical, text.starts_with('v') ? text.substr(1) : text);
  const auto again = SemVer::parse(canonical);
  ASSERT_TRUE(again.has_value()) << canonical;
  EXPECT_TRUE(again->identical(*result)) << text;
  EXPECT_EQ(again->to_string(), canonical);
  const auto from_tag = SemVer::parse(result->tag_name());
  ASSERT_TRUE(from_tag.has_value()) << result->tag_name();
  EXPECT_TRUE(from_tag->identical(*result));
}

TEST(ParserFuzz, SemVerParseAgreesWithTheSpecRegexAndRoundTrips) {
  Generator gen(kSeed);
  static const std::string_view kSeeds[] = {"1.2.3",
                                            "v1.2.3",
                                            "1.2.3-dev.4",
                                            "1.2.3-rc.1+build.7",
                                            "0.0.0-0+0",
                                            "18446744073709551615.1.2-x-y.0a.--+001.b",
                                            "1.0.0-alpha.beta.1"};
  int accepted = 0;
  for (int i = 0; i < kRandomInputs; ++i) {
    check_semver_input(i % 2 == 0 ? gen.chars(kSemVerAlphabet, 24) : random_semver_tokens(gen),
                       accepted);
  }
  for (int i = 0; i < kMutatedInputs; ++i) {
    check_semver_input(gen.mutate(std::string(gen.pick(kSeeds)), kSemVerAlphabet), accepted);
  }
  RecordProperty("accepted", accepted);
  // The generators must reach the accepting paths too, or the round-trip checks test nothing.
  EXPECT_GT(accepted, (kRandomInputs + kMutatedInputs) / 20) << accepted << " accepted";
}

// ---- ImageReference ----

constexpr std::string_view kReferenceAlphabet = "abcz019AZ..//::-_@[]+x ";

// distribution/reference's grammar, written out from its regular expressions in two halves:
// the domain, and the rest (remote name, tag, digest).
struct ReferenceOracle {
  std::regex domain;
  std::regex remainder;
};

const ReferenceOracle& reference_oracle() {
  static const ReferenceOracle oracle = [] {
    const std::string component = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    const std::string host =
        "(?:" + component + "(?:\\." + component + ")*|\\[(?:[a-fA-F0-9:]+)\\])";
    const std::string path_component = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
    const std::string tag = "[\\w][\\w.-]{0,127}";
    const std::string digest =
        "([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*):([0-9a-fA-F]{32,})";
    return ReferenceOracle{std::regex(host + "(?::[0-9]+)?"),
                           std::regex("(" + path_component + "(?:/" + path_component +
                                      ")*)(?::" + tag + ")?(?:@" + digest + ")?")};
  }();
  return oracle;
}

// ParseNormalizedNamed: docker's domain split and library/ prefix, then the grammar, the name
// length limit and the digest lengths of the known algorithms. One deliberate difference:
// docker matches its whole-reference regex after splitting, which re-reads an invalid
// "domain" such as dock_er.io as a path component and accepts the reference with an empty
// domain; the oracle, like wharf, holds the split and requires the domain to be valid.
bool reference_oracle_accepts(const std::string& text) {
  static const std::regex image_id("[a-f0-9]{64}");
  if (text.empty() || std::regex_match(text, image_id)) {
    return false;
  }
  std::string domain = "docker.io";
  std::string remainder = text;
  if (const auto slash = text.find('/'); slash != std::string::npos) {
    const auto first = text.substr(0, slash);
    if (first.find_first_of(".:") != std::string::npos || first == "localhost") {
      domain = first;
      remainder = text.substr(slash + 1);
    }
  }
  if (domain == "index.docker.io") {
    domain = "docker.io";
  }
  if (domain == "docker.io" && remainder.find('/') == std::string::npos) {
    remainder = "library/" + remainder;
  }
  std::smatch match;
  if (!std::regex_match(domain, reference_oracle().domain) ||
      !std::regex_match(remainder, match, reference_oracle().remainder) ||
      domain.size() + 1 + static_cast<std::size_t>(match[1].length()) > 255) {
    return false;
  }
  if (match[2].matched) {
    const auto algorithm = match[2].str();
    const auto hex_length = match[3].length();
    if ((algorithm == "sha256" && hex_length != 64) ||
        (algorithm == "sha384" && hex_length != 96) ||
        (algorithm == "sha512" && hex_length != 128)) {
      return false;
    }
  }
  return true;
}

std::string random_reference_tokens(Generator& gen) {
  static const std::string digest64 = "@sha256:" + std::string(64, 'a');
  static const std::string digest63 = "@sha256:" + std::string(63, 'b');
  static const std::string digest_md5 = "@md5:" + std::string(32, 'C');
  static const std::string_view kTokens[] = {"nginx",     "a",
                                             "my-app",    "a__b",
                                             "a--b",      "a_",
                                             "_a",        "a.b",
                                             "/",         "/",
                                             "/",         ":",
                                             ":",         "localhost",
                                             "host.io",   "127.0.0.1",
                                             "[::1]",     "[fe80::1]",
                                             ":5000",     "1.0",
                                             "v1.2.3",    "latest",
                                             "-x",        ".x",
                                             "Up",        "index.docker.io",
                                             "docker.io", "library",
                                             "@",         digest64,
                                             digest63,    digest_md5,
                                             "sha256",    "-",
                                             "_",         "__",
                                             ".",         "9"};
  std::string out;
  const auto count = 1 + gen.below(8);
  for (std::size_t i = 0; i < count; ++i) {
    out += gen.pick(kTokens);
  }
  return out;
}

void expect_same_image(const ImageReference& a, const ImageReference& b, const std::string& why) {
  EXPECT_EQ(a.domain(), b.domain()) << why;
  EXPECT_EQ(a.path(), b.path()) << why;
  EXPECT_EQ(a.tag(), b.tag()) << why;
  EXPECT_EQ(a.digest(), b.digest()) << why;
}

void check_reference_input(const std::string& text, int& accepted) {
  Result<ImageReference> result = fail(ErrorKind::internal, "not run");
  try {
    result = ImageReference::parse(text);
  } catch (const std::exception& error) {
    ADD_FAILURE() << "ImageReference::parse threw on '" << text << "': " << error.what();
    return;
  }
  EXPECT_EQ(result.has_value(), reference_oracle_accepts(text))
      << "disagrees with the oracle: '" << text << "'"
      << (result ? "" : " (" + result.error().message + ")");
  if (!result) {
    EXPECT_EQ(result.error().kind, ErrorKind::invalid_input) << text;
    EXPECT_NE(result.error().message.find("is not a valid image reference: "), std::string::npos)
        << result.error().message;
    return;
  }
  ++accepted;
  EXPECT_LE(result->repository().size(), 255U) << text;
  EXPECT_TRUE(result->tag() || result->digest()) << text;
  const auto full = result->to_string();
  const auto again = ImageReference::parse(full);
  ASSERT_TRUE(again.has_value()) << full << ": " << again.error().message;
  expect_same_image(*again, *result, "to_string of '" + text + "'");
  EXPECT_EQ(again->to_string(), full);
  const auto familiar = ImageReference::parse(result->familiar());
  ASSERT_TRUE(familiar.has_value()) << result->familiar() << ": " << familiar.error().message;
  expect_same_image(*familiar, *result, "familiar of '" + text + "'");
  EXPECT_EQ(familiar->familiar(), result->familiar());
  if (result->tag()) {
    EXPECT_TRUE(is_valid_image_tag(*result->tag())) << text;
  }
}

TEST(ParserFuzz, ImageReferenceParseAgreesWithTheGrammarAndRoundTrips) {
  Generator gen(kSeed + 2);
  const std::string sha = std::string(64, 'f');
  const std::string seeds[] = {"nginx",
                               "nginx:1.25",
                               "user/app:1",
                               "docker.io/library/nginx",
                               "index.docker.io/a/b",
                               "localhost:5000/team/app:v1.2.3",
                               "127.0.0.1:5000/a:1@sha256:" + sha,
                               "[::1]:5000/a__b/c--d.e:_x",
                               "registry.example.com/a/b/c@sha512:" + sha + sha,
                               "docker.io/my.org/app:1",
                               "app@md5:" + sha.substr(0, 32)};
  int accepted = 0;
  for (int i = 0; i < kRandomInputs; ++i) {
    check_reference_input(
        i % 2 == 0 ? gen.chars(kReferenceAlphabet, 24) : random_reference_tokens(gen), accepted);
  }
  for (int i = 0; i < kMutatedInputs; ++i) {
    check_reference_input(gen.mutate(gen.pick(seeds), kReferenceAlphabet), accepted);
  }
  RecordProperty("accepted", accepted);
  EXPECT_GT(accepted, (kRandomInputs + kMutatedInputs) / 20) << accepted << " accepted";
}

}  // namespace
}  // namespace wharf
