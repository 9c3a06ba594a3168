#include "wharf/core/image_reference.hpp"

#include <optional>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wharf {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kSha256 = "sha256:" + std::string(32, 'a') + std::string(32, '7');

ImageReference parsed(std::string_view text) {
  auto reference = ImageReference::parse(text);
  EXPECT_TRUE(reference.has_value()) << text << ": " << reference.error().message;
  return reference.value_or(ImageReference{});
}

// Expects `text` to be rejected as invalid_input and returns the message.
std::string rejection(std::string_view text) {
  const auto reference = ImageReference::parse(text);
  EXPECT_FALSE(reference.has_value()) << "accepted '" << text << "' as " << *reference;
  if (reference) {
    return {};
  }
  EXPECT_EQ(reference.error().kind, ErrorKind::invalid_input) << text;
  return reference.error().message;
}

struct Normalized {
  std::string input;
  std::string domain;
  std::string path;
  std::optional<std::string> tag;
  std::optional<std::string> digest;
  bool explicit_tag;
  std::string full;
  std::string familiar;
};

TEST(ImageReferenceParse, NormalizesLikeDocker) {
  const std::string sha = kSha256;
  // A table reads best one case per line, so clang-format must not break it up.
  // clang-format off
  const Normalized cases[] = {
    // input, domain, path, tag, digest, explicit tag, to_string(), familiar()
    {"nginx", "docker.io", "library/nginx", "latest", {}, false, "docker.io/library/nginx:latest", "nginx:latest"},
    {"nginx:1.25", "docker.io", "library/nginx", "1.25", {}, true, "docker.io/library/nginx:1.25", "nginx:1.25"},
    {"user/app:1", "docker.io", "user/app", "1", {}, true, "docker.io/user/app:1", "user/app:1"},
    {"docker.io/nginx", "docker.io", "library/nginx", "latest", {}, false, "docker.io/library/nginx:latest", "nginx:latest"},
    {"index.docker.io/user/app", "docker.io", "user/app", "latest", {}, false, "docker.io/user/app:latest", "user/app:latest"},
    {"library/nginx:1", "docker.io", "library/nginx", "1", {}, true, "docker.io/library/nginx:1", "nginx:1"},
    {"docker.io/library/a/b", "docker.io", "library/a/b", "latest", {}, false, "docker.io/library/a/b:latest", "library/a/b:latest"},
    {"foo/bar/baz", "docker.io", "foo/bar/baz", "latest", {}, false, "docker.io/foo/bar/baz:latest", "foo/bar/baz:latest"},
    {"a.b", "docker.io", "library/a.b", "latest", {}, false, "docker.io/library/a.b:latest", "a.b:latest"},
    {"localhost", "docker.io", "library/localhost", "latest", {}, false, "docker.io/library/localhost:latest", "localhost:latest"},
    // A path whose first component looks like a host keeps docker.io in the familiar form.
    {"docker.io/my.org/app:1", "docker.io", "my.org/app", "1", {}, true, "docker.io/my.org/app:1", "docker.io/my.org/app:1"},
    {"a.b/c", "a.b", "c", "latest", {}, false, "a.b/c:latest", "a.b/c:latest"},
    {"localhost/app", "localhost", "app", "latest", {}, false, "localhost/app:latest", "localhost/app:latest"},
    {"localhost:5000/a/b:1.0", "localhost:5000", "a/b", "1.0", {}, true, "localhost:5000/a/b:1.0", "localhost:5000/a/b:1.0"},
    {"127.0.0.1:5000/a:1", "127.0.0.1:5000", "a", "1", {}, true, "127.0.0.1:5000/a:1", "127.0.0.1:5000/a:1"},
    {"[::1]:5000/app:v1", "[::1]:5000", "app", "v1", {}, true, "[::1]:5000/app:v1", "[::1]:5000/app:v1"},
    {"[fe80::1ff:FE23:4567:890a]/app", "[fe80::1ff:FE23:4567:890a]", "app", "latest", {}, false,
     "[fe80::1ff:FE23:4567:890a]/app:latest", "[fe80::1ff:FE23:4567:890a]/app:latest"},
    {"Registry.Example-1.com/team/sub/app:v1.2.3_build.7", "Registry.Example-1.com", "team/sub/app", "v1.2.3_build.7", {}, true,
     "Registry.Example-1.com/team/sub/app:v1.2.3_build.7", "Registry.Example-1.com/team/sub/app:v1.2.3_build.7"},
    {"host:5000/a/b:1.0@" + sha, "host:5000", "a/b", "1.0", sha, true, "host:5000/a/b:1.0@" + sha, "host:5000/a/b:1.0@" + sha},
    {"nginx@" + sha, "docker.io", "library/nginx", {}, sha, false, "docker.io/library/nginx@" + sha, "nginx@" + sha},
    {"team/a.b_c__d-e---f/x9:_T-.", "docker.io", "team/a.b_c__d-e---f/x9", "_T-.", {}, true,
     "docker.io/team/a.b_c__d-e---f/x9:_T-.", "team/a.b_c__d-e---f/x9:_T-."},
  };
  // clang-format on
  for (const auto& expected : cases) {
    SCOPED_TRACE(expected.input);
    const auto reference = parsed(expected.input);
    EXPECT_EQ(reference.domain(), expected.domain);
    EXPECT_EQ(reference.path(), expected.path);
    EXPECT_EQ(reference.tag(), expected.tag);
    EXPECT_EQ(reference.digest(), expected.digest);
    EXPECT_EQ(reference.has_explicit_tag(), expected.explicit_tag);
    EXPECT_EQ(reference.repository(), expected.domain + "/" + expected.path);
    EXPECT_EQ(reference.to_string(), expected.full);
    EXPECT_EQ(reference.familiar(), expected.familiar);
  }
}

TEST(ImageReferenceParse, AcceptsDigestsOfEveryAlgorithm) {
  const auto hex = [](std::size_t count, char digit) { return std::string(count, digit); };
  for (const std::string& digest :
       {"sha256:" + hex(64, 'F'), "sha256:" + hex(32, 'a') + hex(32, 'B'), "sha384:" + hex(96, '0'),
        "sha512:" + hex(128, 'e'), "md5:" + hex(32, '1'), "blake3:" + hex(64, 'c'),
        "sha256+b64u.x-y_z:" + hex(32, '9'), "X9:" + hex(40, 'd')}) {
    EXPECT_EQ(parsed("app@" + digest).digest(), digest);
  }
}

TEST(ImageReferenceParse, CountsTheNormalizedNameAgainstTheLimitOf255) {
  // "docker.io/library/" is 18 characters, so a bare name of 237 is exactly at the limit.
  EXPECT_EQ(parsed(std::string(237, 'x')).repository().size(), 255U);
  EXPECT_THAT(rejection(std::string(238, 'x')), HasSubstr("256 characters long"));
  EXPECT_TRUE(ImageReference::parse("h.io/" + std::string(250, 'y')).has_value());
  EXPECT_FALSE(ImageReference::parse("h.io/" + std::string(251, 'y')).has_value());
  // Tag and digest do not count.
  EXPECT_TRUE(
      ImageReference::parse(std::string(237, 'x') + ":" + std::string(128, 't') + "@" + kSha256)
          .has_value());
}

TEST(ImageReferenceParse, TakesTagsUpTo128Characters) {
  EXPECT_EQ(parsed("a:" + std::string(128, 'T')).tag(), std::string(128, 'T'));
  EXPECT_THAT(rejection("a:" + std::string(129, 'T')), HasSubstr("129 characters long"));
}

TEST(ImageReferenceParse, RefusesA64DigitHexNameBecauseDockerReadsItAsAnImageId) {
  EXPECT_THAT(rejection(std::string(64, 'a')), HasSubstr("image ID"));
  EXPECT_TRUE(ImageReference::parse(std::string(63, 'a')).has_value());
  EXPECT_TRUE(ImageReference::parse(std::string(65, 'a')).has_value());
  EXPECT_TRUE(ImageReference::parse(std::string(64, 'a') + ":1").has_value());
}

TEST(ImageReferenceParse, RejectsMalformedReferences) {
  for (const std::string& text : {std::string(),
                                  std::string("Nginx"),
                                  std::string("a//b"),
                                  std::string("a/"),
                                  std::string("/a"),
                                  std::string("localhost:5000/"),
                                  std::string(":1.0"),
                                  std::string("@") + kSha256,
                                  std::string("nginx:"),
                                  std::string("nginx:-x"),
                                  std::string("nginx:.x"),
                                  std::string("nginx:a+b"),
                                  std::string("nginx:a:b"),
                                  std::string("nginx:a/b"),
                                  std::string("nginx@"),
                                  std::string("nginx@sha256"),
                                  std::string("nginx@sha256:abc"),
                                  "nginx@" + kSha256 + "0",
                                  "nginx@" + kSha256.substr(0, kSha256.size() - 1),
                                  std::string("nginx@sha256:") + std::string(63, 'a') + "g",
                                  "nginx@1sha:" + std::string(32, 'a'),
                                  "nginx@sha-:" + std::string(32, 'a'),
                                  "nginx@md5:" + std::string(31, 'a'),
                                  "nginx@sha512:" + std::string(64, 'a'),
                                  "nginx@" + kSha256 + "@" + kSha256,
                                  std::string("-a"),
                                  std::string("a-"),
                                  std::string("a..b"),
                                  std::string("a___b"),
                                  std::string("a_.b"),
                                  std::string("a."),
                                  std::string(" nginx"),
                                  std::string("nginx "),
                                  std::string("ng inx"),
                                  std::string("nginx\n"),
                                  std::string("exa_mple.com/a"),
                                  std::string("-host.com/a"),
                                  std::string("host-.com/a"),
                                  std::string("a..b/c"),
                                  std::string(".a/b"),
                                  std::string("host:port/a"),
                                  std::string("host:/a"),
                                  std::string("host:5000:1/a"),
                                  std::string("[::1/a"),
                                  std::string("[::g]/a"),
                                  std::string("[]:5000/a"),
                                  std::string("[::1]x/a"),
                                  std::string("[::1]:/a"),
                                  std::string("User/app"),
                                  std::string("localhost/App"),
                                  std::string("a/b/"),
                                  std::string("user@host/a")}) {
    (void)rejection(text);
  }
}

TEST(ImageReferenceParse, ExplainsWhatIsWrongAndWhatIsValid) {
  EXPECT_EQ(rejection("Nginx:1.0"),
            "'Nginx:1.0' is not a valid image reference: repository name must be lowercase "
            "(found 'Nginx', use 'nginx'). A valid one looks like nginx:1.25, team/app:v1.2.3 or "
            "localhost:5000/team/app:v1.2.3@sha256:<64 hex digits>.");
  EXPECT_THAT(rejection(""), StartsWith("an empty string is not a valid image reference"));
  EXPECT_THAT(rejection("a//b"), HasSubstr("the repository path 'a//b' has an empty component"));
  EXPECT_THAT(rejection("team/app/"), HasSubstr("empty component"));
  EXPECT_THAT(rejection("localhost:5000/"), HasSubstr("the repository name is missing"));
  EXPECT_THAT(rejection("my--app_/x"), HasSubstr("the path component 'my--app_' is not valid"));
  EXPECT_THAT(rejection("app:"), HasSubstr("the tag after ':' is empty"));
  EXPECT_THAT(rejection("app:-rc"), HasSubstr("the tag '-rc' starts with '-'"));
  EXPECT_THAT(rejection("app:1.2.3+build.7"),
              HasSubstr("contains '+'; a tag may only use letters, digits, '_', '.' and '-' "
                        "(write a semantic version's '+' as '_'"));
  EXPECT_THAT(rejection("app@sha256:abc"),
              HasSubstr("the sha256 digest 'sha256:abc' has 3 hex digits instead of 64"));
  EXPECT_THAT(rejection("team/app@sha256:a"),
              HasSubstr("the sha256 digest 'sha256:a' has 1 hex digit instead of 64"));
  EXPECT_THAT(rejection("app@sha256"), HasSubstr("has no ':' after its algorithm"));
  EXPECT_THAT(rejection("app@md5:abc"), HasSubstr("a digest has at least 32"));
  // A first component with '.' is a registry even when it would be a valid path component.
  EXPECT_THAT(rejection("my_org.x/app"),
              HasSubstr("the registry host 'my_org.x' is not a valid host name"));
  EXPECT_THAT(rejection("exa_mple.com/a"),
              HasSubstr("the registry host 'exa_mple.com' is not a valid host name"));
  EXPECT_THAT(rejection("host:port/a"), HasSubstr("the registry port 'port' in 'host:port'"));
  EXPECT_THAT(rejection("[::1/a"), HasSubstr("has no ']'"));
  EXPECT_THAT(rejection("app\r"), StartsWith("'app\\x0D' is not a valid image reference"));
}

TEST(ImageReferenceWithTag, ReplacesTagAndDropsTheOldDigest) {
  const auto pinned = parsed("localhost:5000/team/app:v1.0.0@" + kSha256);
  const auto retagged = pinned.with_tag("v1.1.0");
  ASSERT_TRUE(retagged.has_value()) << retagged.error().message;
  EXPECT_EQ(retagged->to_string(), "localhost:5000/team/app:v1.1.0");
  EXPECT_FALSE(retagged->digest().has_value());

  const auto implied = parsed("nginx");
  const auto explicit_latest = implied.with_tag("latest");
  ASSERT_TRUE(explicit_latest.has_value());
  EXPECT_TRUE(explicit_latest->has_explicit_tag());
  EXPECT_EQ(*explicit_latest, parsed("nginx:latest"));
  // Same text, but one tag was implied: operator== tells them apart.
  EXPECT_NE(implied, *explicit_latest);
  EXPECT_EQ(implied.to_string(), explicit_latest->to_string());

  const auto bad = implied.with_tag("1.2.3+b");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().kind, ErrorKind::invalid_input);
  EXPECT_THAT(bad.error().message, StartsWith("cannot tag 'nginx:latest' with '1.2.3+b'"));
  const auto empty = implied.with_tag("");
  ASSERT_FALSE(empty.has_value());
  EXPECT_THAT(empty.error().message, HasSubstr("empty tag"));
}

TEST(IsValidImageTag, FollowsDockersTagGrammar) {
  for (const std::string& tag :
       {std::string("latest"), std::string("v1.2.3-rc.1_build.7"), std::string("_"),
        std::string("0"), std::string("A.-_"), std::string(128, 'x')}) {
    EXPECT_TRUE(is_valid_image_tag(tag)) << tag;
  }
  for (const std::string& tag :
       {std::string(), std::string(".a"), std::string("-a"), std::string("a+b"), std::string("a b"),
        std::string("a/b"), std::string("a:b"), std::string("ä"), std::string(129, 'x')}) {
    EXPECT_FALSE(is_valid_image_tag(tag)) << tag;
  }
}

}  // namespace
}  // namespace wharf
