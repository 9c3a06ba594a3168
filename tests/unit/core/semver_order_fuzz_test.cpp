// Property test of SemVer precedence on a random sample: it must be a consistent total
// preorder (antisymmetric, transitive, == agreeing with <=>) and agree with an independent
// key built from the rules of semver 2.0.0 §11.
#include <algorithm>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "wharf/core/semver.hpp"

#include "unit/core/fuzz_generator.hpp"

namespace wharf {
namespace {

using fuzz::Generator;

constexpr std::uint32_t kSeed = 20240612;

// An independent precedence key: numbers zero-padded so they compare as text, each
// identifier tagged numeric (0) or alphanumeric (1), a release ranked above pre-releases,
// and std::vector's lexicographic order supplying "a shorter list is lower".
using PrecedenceKey = std::tuple<std::uint64_t, std::uint64_t, std::uint64_t, int,
                                 std::vector<std::pair<int, std::string>>>;

PrecedenceKey precedence_key(const SemVer& version) {
  std::vector<std::pair<int, std::string>> identifiers;
  for (const auto& identifier : version.prerelease()) {
    const bool numeric =
        std::ranges::all_of(identifier, [](char c) { return c >= '0' && c <= '9'; });
    identifiers.emplace_back(
        numeric ? 0 : 1,
        numeric ? std::string(40 - identifier.size(), '0') + identifier : identifier);
  }
  return {version.major(), version.minor(), version.patch(), version.is_prerelease() ? 0 : 1,
          identifiers};
}

SemVer random_comparable_version(Generator& gen) {
  static const std::string_view kCores[] = {"0.0.0", "0.0.1", "1.0.0", "1.9.0", "1.10.0"};
  static const std::string_view kIdentifiers[] = {"0",
                                                  "1",
                                                  "2",
                                                  "10",
                                                  "11",
                                                  "99999999999999999999999",
                                                  "100000000000000000000000",
                                                  "alpha",
                                                  "beta",
                                                  "Beta",
                                                  "rc",
                                                  "a-",
                                                  "a0",
                                                  "-",
                                                  "0a"};
  std::string text(gen.pick(kCores));
  const auto identifiers = gen.below(4);
  for (std::size_t i = 0; i < identifiers; ++i) {
    text += (i == 0 ? "-" : ".");
    text += gen.pick(kIdentifiers);
  }
  if (gen.chance(30)) {
    text += gen.chance(50) ? "+b.1" : "+b.2";
  }
  auto version = SemVer::parse(text);
  EXPECT_TRUE(version.has_value()) << text;
  return version.value_or(SemVer{});
}

TEST(ParserFuzz, SemVerPrecedenceIsAConsistentTotalPreorder) {
  Generator gen(kSeed);
  std::vector<SemVer> sample;
  for (int i = 0; i < 300; ++i) {
    sample.push_back(random_comparable_version(gen));
  }
  std::vector<PrecedenceKey> keys;
  for (const auto& version : sample) {
    keys.push_back(precedence_key(version));
  }
  for (std::size_t i = 0; i < sample.size(); ++i) {
    for (std::size_t j = 0; j < sample.size(); ++j) {
      const auto& a = sample[i];
      const auto& b = sample[j];
      const auto ab = a <=> b;
      const auto ba = b <=> a;
      // Antisymmetry, and == agreeing with <=>.
      ASSERT_EQ(ab<0, ba> 0) << a << " vs " << b;
      ASSERT_EQ(ab == 0, ba == 0) << a << " vs " << b;
      ASSERT_EQ(a == b, ab == 0) << a << " vs " << b;
      // The same answer as the independent key.
      ASSERT_EQ(ab < 0, keys[i] < keys[j]) << a << " vs " << b;
      ASSERT_EQ(ab == 0, keys[i] == keys[j]) << a << " vs " << b;
    }
  }
  // Transitivity over every triple of a smaller subset.
  const std::size_t subset = 80;
  for (std::size_t i = 0; i < subset; ++i) {
    for (std::size_t j = 0; j < subset; ++j) {
      if (sample[i] > sample[j]) {
        continue;
      }
      for (std::size_t k = 0; k < subset; ++k) {
        if (sample[j] <= sample[k]) {
          ASSERT_LE(sample[i], sample[k])
              << sample[i] << " <= " << sample[j] << " <= " << sample[k];
          if (sample[i] < sample[j] || sample[j] < sample[k]) {
            ASSERT_LT(sample[i], sample[k]);
          }
        }
      }
    }
  }
  std::ranges::sort(sample);
  EXPECT_TRUE(std::ranges::is_sorted(sample, [](const SemVer& a, const SemVer& b) {
    return precedence_key(a) < precedence_key(b);
  }));
}

}  // namespace
}  // namespace wharf
