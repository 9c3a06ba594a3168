#include "wharf/pin/tag_style.hpp"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "wharf/core/image_reference.hpp"

#include "support/peers.hpp"

namespace wharf::pin {
namespace {

using test::TempDir;
using test::write_file;
using ::testing::HasSubstr;

SemVer version(const char* text) {
  return *SemVer::parse(text);
}

EnvFile env(const std::string& text, const std::string& name = "/p/docker/.env") {
  auto parsed = EnvFile::parse(text, name);
  EXPECT_TRUE(parsed) << parsed.error().message;
  return parsed ? *parsed : EnvFile();
}

TEST(TagStyle, ImageTagsKeepOrDropTheVAndWritePlusAsUnderscore) {
  EXPECT_EQ(image_tag(version("v1.2.3"), TagStyle::plain), "1.2.3");
  EXPECT_EQ(image_tag(version("v1.2.3"), TagStyle::v), "v1.2.3");
  EXPECT_EQ(image_tag(version("v1.2.3-rc.1+build.7"), TagStyle::plain), "1.2.3-rc.1_build.7");
  EXPECT_EQ(image_tag(version("v1.2.3-rc.1+build.7"), TagStyle::v), "v1.2.3-rc.1_build.7");
  EXPECT_EQ(floating_tag("1.2", TagStyle::plain), "1.2");
  EXPECT_EQ(floating_tag("1", TagStyle::v), "v1");
}

TEST(TagStyle, EveryVersionRoundTripsThroughAValidDockerTagInBothStyles) {
  for (const char* text : {"0.0.0", "v1.2.3", "1.2.3-rc.1", "v1.2.3-rc.1+build.7", "2.0.0+001",
                           "v10.20.30-alpha.beta-1.0+exp.sha.5114f85", "1.0.0-0A.is.legal"}) {
    const auto original = version(text);
    for (const auto style : {TagStyle::plain, TagStyle::v}) {
      const auto tag = image_tag(original, style);
      EXPECT_TRUE(is_valid_image_tag(tag)) << tag;
      const auto back = version_of_image_tag(tag, style);
      ASSERT_TRUE(back.has_value()) << tag;
      EXPECT_TRUE(back->identical(original)) << tag;
      EXPECT_EQ(style_of_tag(tag), style) << tag;
    }
  }
}

TEST(TagStyle, ReadingATagBackAcceptsEitherStyleUnlessOneIsAsked) {
  EXPECT_EQ(version_of_image_tag("v1.2.3"), version("1.2.3"));
  EXPECT_EQ(version_of_image_tag("1.2.3"), version("1.2.3"));
  EXPECT_TRUE(version_of_image_tag("1.2.3_b.1")->identical(version("1.2.3+b.1")));
  EXPECT_EQ(version_of_image_tag("v1.2.3", TagStyle::plain), std::nullopt);
  EXPECT_EQ(version_of_image_tag("1.2.3", TagStyle::v), std::nullopt);
  // A '+' is not a docker tag's spelling, so it is not read as one.
  EXPECT_EQ(version_of_image_tag("1.2.3+b.1", TagStyle::plain), std::nullopt);
  for (const char* none : {"dev", "latest", "v1.2", "v1", "1", "", "V1.2.3", "1.2.3_a_b"}) {
    EXPECT_EQ(version_of_image_tag(none), std::nullopt) << none;
  }
}

TEST(TagStyle, TheStyleOfATagIsItsFirstCharacters) {
  EXPECT_EQ(style_of_tag("v1.0.0"), TagStyle::v);
  EXPECT_EQ(style_of_tag("v1"), TagStyle::v);
  EXPECT_EQ(style_of_tag("1.0.0"), TagStyle::plain);
  EXPECT_EQ(style_of_tag("1"), TagStyle::plain);
  for (const char* silent : {"dev", "latest", "", "v", "vx1", "${TAG}", "version"}) {
    EXPECT_EQ(style_of_tag(silent), std::nullopt) << silent;
  }
}

TEST(TagStyle, TheKeyWinsOverTheImageTagAndAnEmptyKeyIsUnset) {
  auto style = declared_tag_style(env("IMAGE_TAG=1.0.0\nWHARF_TAG_STYLE=v\n"));
  ASSERT_TRUE(style && *style);
  EXPECT_EQ((*style)->style, TagStyle::v);
  EXPECT_EQ((*style)->source, "WHARF_TAG_STYLE in /p/docker/.env");

  style = declared_tag_style(env("WHARF_TAG_STYLE=\nIMAGE_TAG=v1.0.0\n"));
  ASSERT_TRUE(style && *style);
  EXPECT_EQ((*style)->style, TagStyle::v);
  EXPECT_EQ((*style)->source, "IMAGE_TAG v1.0.0 in /p/docker/.env");

  style = declared_tag_style(env("IMAGE_TAG=dev\n"));
  ASSERT_TRUE(style);
  EXPECT_FALSE(style->has_value());
}

TEST(TagStyle, AnInvalidKeyNamesTheFileTheLineAndTheAllowedValues) {
  const auto style = declared_tag_style(env("IMAGE_TAG=1.0.0\n\nWHARF_TAG_STYLE=V\n"));
  ASSERT_FALSE(style);
  EXPECT_EQ(style.error().kind, ErrorKind::invalid_input);
  EXPECT_THAT(style.error().message, HasSubstr("/p/docker/.env:3:"));
  EXPECT_THAT(style.error().message, HasSubstr("'V'"));
  EXPECT_THAT(style.error().message, HasSubstr("WHARF_TAG_STYLE=v "));
  EXPECT_THAT(style.error().message, HasSubstr("WHARF_TAG_STYLE=plain"));
}

TEST(TagStyle, TheProjectAsksEnvThenTheExampleThenDefaultsToPlain) {
  TempDir dir;
  const ProjectLayout layout{dir.path()};
  std::filesystem::create_directories(layout.docker_dir());

  auto style = project_tag_style(layout);
  ASSERT_TRUE(style) << style.error().message;
  EXPECT_EQ(style->style, TagStyle::plain);
  EXPECT_EQ(style->source, "the default");

  write_file(layout.env_template(), "IMAGE_TAG=v0.0.0\n");
  style = project_tag_style(layout);
  ASSERT_TRUE(style) << style.error().message;
  EXPECT_EQ(style->style, TagStyle::v);
  EXPECT_THAT(style->source, HasSubstr(".env.example"));

  // .env saying nothing (a dev pin) leaves the example to decide; .env saying something wins.
  write_file(layout.env_file(), "IMAGE_TAG=dev\n");
  style = project_tag_style(layout);
  ASSERT_TRUE(style) << style.error().message;
  EXPECT_EQ(style->style, TagStyle::v);
  write_file(layout.env_file(), "IMAGE_TAG=1.0.0\n");
  style = project_tag_style(layout);
  ASSERT_TRUE(style) << style.error().message;
  EXPECT_EQ(style->style, TagStyle::plain);

  // A .env the caller has read already is used as it is.
  const auto given = env("WHARF_TAG_STYLE=v\n", layout.env_file().string());
  style = project_tag_style(layout, &given);
  ASSERT_TRUE(style) << style.error().message;
  EXPECT_EQ(style->style, TagStyle::v);

  write_file(layout.env_file(), "IMAGE_TAG=dev\n");
  write_file(layout.env_template(), "WHARF_TAG_STYLE=both\n");
  style = project_tag_style(layout);
  ASSERT_FALSE(style);
  EXPECT_THAT(style.error().message, HasSubstr(".env.example:1:"));
}

}  // namespace
}  // namespace wharf::pin
