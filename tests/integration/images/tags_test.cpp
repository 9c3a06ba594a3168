// `wharf images tags`: the registry's version tags newer than the pinned one, in version
// order (1.10.0 after 1.2.0-rc.1, not after 1.1.0 as text would have it).
#include <map>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "integration/images/images_fixture.hpp"

namespace wharf::images::test {
namespace {

using ::testing::HasSubstr;

/// The entry of `list` whose `key` is `value`; null when none is.
nlohmann::json find_entry(const nlohmann::json& list, const std::string& key,
                          const std::string& value) {
  for (const auto& entry : list) {
    if (entry.contains(key) && entry[key] == value) {
      return entry;
    }
  }
  return nullptr;
}

TEST_F(ImagesTest, TagsListsNewerVersionsInVersionOrder) {
  const auto repo = repository("app");
  const auto id = import_image(repo + ":1.0.0", "one image, many tags");
  for (const std::string tag : {"1.0.0", "1.1.0", "1.2.0-rc.1", "1.10.0", "latest"}) {
    ASSERT_EQ(docker({"tag", id, repo + ":" + tag}).exit_code, 0) << tag;
    (void)push(repo + ":" + tag);
  }
  ASSERT_FALSE(HasFailure());

  const auto all = wharf({"--json", "images", "tags", repo + ":1.0.0"});
  EXPECT_EQ(all.output.exit_code, 0) << all.output.out << all.output.err;
  ASSERT_TRUE(all.json.is_object()) << all.output.out << all.output.err;
  ASSERT_EQ(all.json["images"].size(), 1U) << all.json.dump(2);
  EXPECT_EQ(all.json["images"][0]["current"], "1.0.0");
  EXPECT_EQ(all.json["images"][0]["newer"],
            nlohmann::json::array({"1.1.0", "1.2.0-rc.1", "1.10.0"}))
      << all.json.dump(2);

  const auto stable = wharf({"--json", "images", "tags", "--stable", repo + ":1.0.0"});
  EXPECT_EQ(stable.output.exit_code, 0) << stable.output.out << stable.output.err;
  ASSERT_TRUE(stable.json.is_object()) << stable.output.out << stable.output.err;
  EXPECT_EQ(stable.json["images"][0]["newer"], nlohmann::json::array({"1.1.0", "1.10.0"}))
      << stable.json.dump(2);

  // From a newer pin, only what is newer still.
  const auto later = wharf({"--json", "images", "tags", repo + ":1.2.0-rc.1"});
  EXPECT_EQ(later.output.exit_code, 0) << later.output.err;
  ASSERT_TRUE(later.json.is_object()) << later.output.out;
  EXPECT_EQ(later.json["images"][0]["newer"], nlohmann::json::array({"1.10.0"}));
}

// A project whose images keep the v: its releases are the v tags, so a plain tag in the same
// repository and the floating v1.1 / v1 / latest are not newer releases, and prune leaves the
// tags that are not in the project's style alone.
TEST_F(ImagesTest, AVStyleProjectSeesOnlyItsVTags) {
  const auto root = write_project("v1.1.0");
  const auto repo = repository("app");
  const auto worker = repository("worker");
  std::map<std::string, std::string> ids;
  for (const std::string tag : {"v1.0.0", "v1.1.0", "v1.2.0", "1.3.0", "v1"}) {
    ids[tag] = import_image(repo + ":" + tag, "app " + tag);
    (void)push(repo + ":" + tag);
  }
  (void)import_image(worker + ":v1.1.0", "worker");
  (void)push(worker + ":v1.1.0");
  ASSERT_FALSE(HasFailure());

  const auto tags = wharf({"--json", "-C", root.string(), "images", "tags"});
  EXPECT_EQ(tags.output.exit_code, 0) << tags.output.out << tags.output.err;
  ASSERT_TRUE(tags.json.is_object()) << tags.output.out << tags.output.err;
  const auto app = find_entry(tags.json["images"], "repository", repo);
  EXPECT_EQ(app["current"], "v1.1.0") << tags.json.dump(2);
  EXPECT_EQ(app["newer"], nlohmann::json::array({"v1.2.0"})) << tags.json.dump(2);

  // Named on the command line, an image's own tag says its style.
  const auto named = wharf({"--json", "images", "tags", repo + ":v1.0.0"});
  EXPECT_EQ(named.output.exit_code, 0) << named.output.err;
  ASSERT_TRUE(named.json.is_object()) << named.output.out;
  EXPECT_EQ(named.json["images"][0]["newer"], nlohmann::json::array({"v1.1.0", "v1.2.0"}));

  const auto dry =
      wharf({"--json", "-C", root.string(), "images", "prune", "--keep", "1", "--dry-run"});
  EXPECT_EQ(dry.output.exit_code, 0) << dry.output.out << dry.output.err;
  ASSERT_TRUE(dry.json.is_object()) << dry.output.out << dry.output.err;
  const auto planned = [&](const std::string& tag) {
    return find_entry(dry.json["images"], "reference", repo + ":" + tag);
  };
  EXPECT_EQ(planned("v1.0.0")["action"], "would remove") << dry.json.dump(2);
  EXPECT_EQ(planned("v1.1.0")["reason"], "pinned") << dry.json.dump(2);
  EXPECT_THAT(std::string(planned("v1.2.0")["reason"]), HasSubstr("newest"));
  EXPECT_EQ(planned("1.3.0")["action"], "keep") << dry.json.dump(2);
  EXPECT_EQ(planned("1.3.0")["reason"], "not in this project's tag style (v)");
  EXPECT_EQ(planned("v1")["reason"], "not a version tag");
}

}  // namespace
}  // namespace wharf::images::test
