// `wharf images tags`: the registry's version tags newer than the pinned one, in version
// order (1.10.0 after 1.2.0-rc.1, not after 1.1.0 as text would have it).
#include <gtest/gtest.h>

#include "integration/images/images_fixture.hpp"

namespace wharf::images::test {
namespace {

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

}  // namespace
}  // namespace wharf::images::test
