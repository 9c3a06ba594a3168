// `wharf images check` and `wharf images pull` against the real registries and engine: a tag
// moved in the registry is seen without pulling anything, a pull brings it in, the htpasswd
// registry works with config.json and refuses clearly without it, and bad input or a registry
// that is down fails only what it has to.
#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "integration/images/images_fixture.hpp"

namespace wharf::images::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST_F(ImagesTest, CheckSeesAMovedTagWithoutPullingAndPullBringsItIn) {
  const auto reference = repository("app") + ":1.0.0";
  // The registry ends up with B under the tag while the engine still has A there.
  const auto id_a = import_image(reference, "version A");
  const auto digest_a = push(reference);
  const auto id_b = import_image(reference, "version B");
  const auto digest_b = push(reference);
  ASSERT_NE(digest_a, digest_b);
  ASSERT_EQ(docker({"tag", id_a, reference}).exit_code, 0);
  ASSERT_EQ(docker({"rmi", id_b}).exit_code, 0);
  ASSERT_EQ(image_id(reference), id_a);
  ASSERT_EQ(image_id(id_b), "");
  ASSERT_FALSE(HasFailure());

  const auto before = engine_images();
  ASSERT_THAT(before, HasSubstr(id_a));
  const auto check = wharf({"--json", "images", "check", reference});
  EXPECT_EQ(check.output.exit_code, 1) << check.output.out << check.output.err;
  ASSERT_TRUE(check.json.is_object()) << check.output.out << check.output.err;
  ASSERT_EQ(check.json["images"].size(), 1U) << check.json.dump(2);
  const auto& state = check.json["images"][0];
  EXPECT_EQ(state["image"], reference);
  EXPECT_EQ(state["state"], "update_available") << state.dump(2);
  EXPECT_EQ(state["local"]["id"], id_a);
  EXPECT_EQ(state["local"]["outdated"], true);
  EXPECT_EQ(state["registry"]["digest"], digest_b);
  EXPECT_EQ(check.json["updates_available"], 1);
  EXPECT_EQ(check.json["exit_code"], 1);
  // Nothing was pulled: not one byte of the engine's image list changed, and B is not there.
  EXPECT_EQ(engine_images(), before);
  EXPECT_EQ(image_id(id_b), "");

  // The same in text mode: the table says so and that nothing was pulled.
  const auto text = wharf({"images", "check", reference});
  EXPECT_EQ(text.output.exit_code, 1) << text.output.err;
  EXPECT_THAT(text.output.out, HasSubstr("update available"));
  EXPECT_THAT(text.output.err, HasSubstr("Nothing was pulled"));
  EXPECT_EQ(engine_images(), before);

  const auto pull = wharf({"--json", "images", "pull", reference});
  EXPECT_EQ(pull.output.exit_code, 0) << pull.output.out << pull.output.err;
  ASSERT_TRUE(pull.json.is_object()) << pull.output.out << pull.output.err;
  EXPECT_EQ(pull.json["ok"], true);
  EXPECT_EQ(pull.json["updated"], 1);
  ASSERT_EQ(pull.json["images"].size(), 1U);
  EXPECT_EQ(pull.json["images"][0]["updated"], true) << pull.json.dump(2);
  EXPECT_EQ(pull.json["images"][0]["previous_id"], id_a);
  EXPECT_EQ(pull.json["images"][0]["id"], id_b);
  EXPECT_EQ(pull.json["images"][0]["digest"], digest_b);
  EXPECT_EQ(image_id(reference), id_b);

  const auto again = wharf({"--json", "images", "check", reference});
  EXPECT_EQ(again.output.exit_code, 0) << again.output.out << again.output.err;
  ASSERT_TRUE(again.json.is_object()) << again.output.out;
  EXPECT_EQ(again.json["images"][0]["state"], "up_to_date") << again.json.dump(2);
  EXPECT_EQ(again.json["images"][0]["local"]["digest"], digest_b);

  // A second pull finds nothing new.
  const auto repeat = wharf({"--json", "images", "pull", reference});
  EXPECT_EQ(repeat.output.exit_code, 0) << repeat.output.err;
  ASSERT_TRUE(repeat.json.is_object()) << repeat.output.out;
  EXPECT_EQ(repeat.json["images"][0]["updated"], false);
  EXPECT_THAT(repeat.output.err,
              HasSubstr("1 image: 0 pulled or updated, 1 already up to date, 0 failed."));
}

TEST_F(ImagesTest, HtpasswdRegistryNeedsTheCredentialsInDockerConfig) {
  const auto reference = repository_on(auth_registry_, "app") + ":1.0.0";
  const auto id = import_image(reference, "behind a login");
  const auto digest = push(reference);  // The peers' own config is logged in.
  ASSERT_EQ(docker({"rmi", reference}).exit_code, 0);
  ASSERT_FALSE(HasFailure());

  // wharf's DOCKER_CONFIG is an empty directory: no config.json at all.
  const auto refused = wharf({"--json", "images", "check", reference});
  EXPECT_EQ(refused.output.exit_code, 3) << refused.output.out << refused.output.err;
  ASSERT_TRUE(refused.json.is_object()) << refused.output.out << refused.output.err;
  const auto& state = refused.json["images"][0];
  EXPECT_EQ(state["state"], "error") << state.dump(2);
  ASSERT_TRUE(state["error"].is_string()) << state.dump(2);
  const std::string sentence = state["error"];
  EXPECT_THAT(sentence, HasSubstr("refused access (HTTP 401)"));
  EXPECT_THAT(sentence, HasSubstr("no credentials"));
  EXPECT_THAT(sentence, HasSubstr(auth_registry_));
  // Without --json the sentence is printed too.
  const auto refused_text = wharf({"images", "check", reference});
  EXPECT_EQ(refused_text.output.exit_code, 3);
  EXPECT_THAT(refused_text.output.out + refused_text.output.err,
              HasSubstr("refused access (HTTP 401)"));
  // The engine has no login of its own either, so wharf's pull fails the same way.
  const auto refused_pull = wharf({"--json", "images", "pull", reference});
  EXPECT_EQ(refused_pull.output.exit_code, 3) << refused_pull.output.out;
  EXPECT_THAT(refused_pull.output.err, HasSubstr("credentials"));
  EXPECT_EQ(image_id(reference), "");

  write_auth_config();
  const auto check = wharf({"--json", "images", "check", reference});
  EXPECT_EQ(check.output.exit_code, 1) << check.output.out << check.output.err;
  ASSERT_TRUE(check.json.is_object()) << check.output.out << check.output.err;
  EXPECT_EQ(check.json["images"][0]["state"], "update_available") << check.json.dump(2);
  EXPECT_EQ(check.json["images"][0]["local"]["present"], false);
  EXPECT_EQ(check.json["images"][0]["registry"]["digest"], digest);

  // The pull carries the login to the engine as X-Registry-Auth.
  const auto pull = wharf({"--json", "images", "pull", reference});
  EXPECT_EQ(pull.output.exit_code, 0) << pull.output.out << pull.output.err;
  ASSERT_TRUE(pull.json.is_object()) << pull.output.out << pull.output.err;
  EXPECT_EQ(pull.json["images"][0]["ok"], true) << pull.json.dump(2);
  EXPECT_EQ(pull.json["images"][0]["updated"], true);
  EXPECT_EQ(image_id(reference), id);

  const auto after = wharf({"--json", "images", "check", reference});
  EXPECT_EQ(after.output.exit_code, 0) << after.output.out << after.output.err;
  ASSERT_TRUE(after.json.is_object()) << after.output.out;
  EXPECT_EQ(after.json["images"][0]["state"], "up_to_date") << after.json.dump(2);
}

TEST_F(ImagesTest, MalformedReferenceExitsTwoBeforeAnyNetworkCall) {
  // A network call fails with exit 3 here (the engine socket does not exist, the named
  // registry does not resolve), so exit 2 means the input was refused before any was made.
  const std::map<std::string, std::string> unreachable{{"DOCKER_HOST", "unix:///nonexistent"}};
  const std::string good = "wharf-no-such-registry.invalid/team/app:1.0.0";
  const std::vector<std::string> commands{"check", "pull", "status", "validate", "tags"};
  for (const auto& command : commands) {
    SCOPED_TRACE(command);
    // The malformed one comes last: every reference is parsed before anything is asked.
    for (const std::string malformed : {"Not A/Valid::Ref", "team/app@sha256:123", "team/app:"}) {
      const auto result = wharf({"images", command, good, malformed}, unreachable);
      EXPECT_EQ(result.output.exit_code, 2) << result.output.out << result.output.err;
      EXPECT_THAT(result.output.err,
                  HasSubstr("'" + malformed + "' is not a valid image reference"));
      EXPECT_THAT(result.output.err, Not(HasSubstr("nonexistent")));
      EXPECT_EQ(result.output.out, "");
    }
    // The control: the good reference alone does reach for the network, and fails otherwise.
    const auto control = wharf({"images", command, good}, unreachable);
    EXPECT_EQ(control.output.exit_code, 3) << control.output.out << control.output.err;
  }
}

TEST_F(ImagesTest, RegistryThatIsDownFailsOnlyItsImage) {
  const auto good = repository("app") + ":1.0.0";
  const auto good_id = import_image(good, "reachable");
  const auto good_digest = push(good);
  const auto down_registry = closed_registry();
  const auto down = repository_on(down_registry, "app") + ":1.0.0";
  ASSERT_FALSE(HasFailure());

  const auto check = wharf({"--json", "images", "check", good, down});
  EXPECT_EQ(check.output.exit_code, 3) << check.output.out << check.output.err;
  ASSERT_TRUE(check.json.is_object()) << check.output.out << check.output.err;
  ASSERT_EQ(check.json["images"].size(), 2U) << check.json.dump(2);
  const auto& reachable = check.json["images"][0];
  EXPECT_EQ(reachable["image"], good);
  EXPECT_EQ(reachable["state"], "up_to_date") << reachable.dump(2);
  EXPECT_EQ(reachable["local"]["id"], good_id);
  EXPECT_EQ(reachable["registry"]["digest"], good_digest);
  const auto& unreachable = check.json["images"][1];
  EXPECT_EQ(unreachable["image"], down);
  EXPECT_EQ(unreachable["state"], "error") << unreachable.dump(2);
  ASSERT_TRUE(unreachable["error"].is_string()) << unreachable.dump(2);
  EXPECT_THAT(std::string(unreachable["error"]), HasSubstr("cannot connect"));
  EXPECT_THAT(std::string(unreachable["error"]), HasSubstr(down_registry));
  EXPECT_EQ(check.json["errors"], 1);
  EXPECT_EQ(check.json["exit_code"], 3);

  // In text mode the failed image's sentence is printed and the good one still reported.
  const auto text = wharf({"images", "check", good, down});
  EXPECT_EQ(text.output.exit_code, 3);
  const auto all = text.output.out + text.output.err;
  EXPECT_THAT(all, HasSubstr("cannot connect"));
  EXPECT_THAT(all, HasSubstr(down_registry));
  EXPECT_THAT(text.output.out, HasSubstr("up to date"));
}

}  // namespace
}  // namespace wharf::images::test
