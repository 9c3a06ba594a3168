// The project's images (docker/.env + the compose file) against the real engine:
// `validate` names exactly what is missing, `status` describes each image and the containers
// using it, and `prune` removes only old version tags nobody needs.
#include <map>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "integration/images/images_fixture.hpp"

namespace wharf::images::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

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

/// Docker prints container names with or without the leading slash; compare without.
std::string bare_name(std::string name) {
  return name.starts_with('/') ? name.substr(1) : name;
}

TEST_F(ImagesTest, ValidateNamesTheMissingImageAndItsServiceOnly) {
  const auto root = write_project("1.0.0");
  const auto app = repository("app") + ":1.0.0";
  const auto worker = repository("worker") + ":1.0.0";
  (void)import_image(worker, "worker 1.0.0");
  ASSERT_FALSE(HasFailure());

  const auto missing = wharf({"-C", root.string(), "images", "validate"});
  EXPECT_EQ(missing.output.exit_code, 1) << missing.output.out << missing.output.err;
  const auto& err = missing.output.err;
  EXPECT_THAT(err, HasSubstr("1 of 2 required images is missing"));
  EXPECT_THAT(err, HasSubstr("pull it with `wharf images pull` "))
      << "the project's images: its own pull command";
  EXPECT_THAT(err, HasSubstr("missing: " + app + " (service app)"));
  EXPECT_THAT(err, Not(HasSubstr(worker)));
  EXPECT_THAT(err, Not(HasSubstr("scheduler")));

  const auto json = wharf({"--json", "-C", root.string(), "images", "validate"});
  EXPECT_EQ(json.output.exit_code, 1) << json.output.out << json.output.err;
  ASSERT_TRUE(json.json.is_object()) << json.output.out << json.output.err;
  EXPECT_EQ(json.json["ok"], false);
  EXPECT_EQ(json.json["checked"], 2);
  EXPECT_EQ(json.json["missing"],
            nlohmann::json::parse(R"([{"image":")" + app + R"(","role":"service app"}])"));

  (void)import_image(app, "app 1.0.0");
  const auto present = wharf({"-C", root.string(), "images", "validate"});
  EXPECT_EQ(present.output.exit_code, 0) << present.output.out << present.output.err;
  EXPECT_THAT(present.output.out, HasSubstr("all 2 required images are present"));
  const auto present_json = wharf({"--json", "-C", root.string(), "images", "validate"});
  EXPECT_EQ(present_json.output.exit_code, 0) << present_json.output.err;
  ASSERT_TRUE(present_json.json.is_object()) << present_json.output.out;
  EXPECT_EQ(present_json.json["ok"], true);
  EXPECT_EQ(present_json.json["missing"], nlohmann::json::array());
}

// Named images are pulled by name: the project's `wharf images pull` would pull others.
TEST_F(ImagesTest, ValidateOfNamedImagesSuggestsPullingExactlyTheMissingOnes) {
  const auto present = repository("here") + ":1.0.0";
  const auto absent = repository("absent") + ":1.0.0";
  const auto other = repository("other") + ":2.0.0";
  (void)import_image(present, "here");
  ASSERT_FALSE(HasFailure());
  const auto one = wharf({"images", "validate", present, absent});
  EXPECT_EQ(one.output.exit_code, 1) << one.output.err;
  EXPECT_THAT(one.output.err, HasSubstr("1 of 2 required images is missing"));
  EXPECT_THAT(one.output.err, HasSubstr("pull it with `wharf images pull " + absent + "`"));
  const auto two = wharf({"images", "validate", absent, present, other});
  EXPECT_EQ(two.output.exit_code, 1) << two.output.err;
  EXPECT_THAT(two.output.err, HasSubstr("2 of 3 required images are missing"));
  EXPECT_THAT(two.output.err,
              HasSubstr("pull them with `wharf images pull " + absent + " " + other + "`"));
  const auto fine = wharf({"images", "validate", present});
  EXPECT_EQ(fine.output.exit_code, 0) << fine.output.err;
  EXPECT_EQ(fine.output.out, "the required image is present.\n");
}

TEST_F(ImagesTest, StatusListsEachImageAndTheContainersUsingIt) {
  const auto root = write_project("1.0.0");
  const auto app = repository("app") + ":1.0.0";
  const auto worker = repository("worker") + ":1.0.0";
  const auto app_id = import_image(app, "app 1.0.0");
  const auto app_digest = push(app);
  const auto worker_id = import_image(worker, "worker 1.0.0");
  const auto container = test_name_ + "-app";
  create_container(container, app);
  ASSERT_FALSE(HasFailure());

  const auto status = wharf({"--json", "-C", root.string(), "images", "status"});
  EXPECT_EQ(status.output.exit_code, 0) << status.output.out << status.output.err;
  ASSERT_TRUE(status.json.is_object()) << status.output.out << status.output.err;
  EXPECT_EQ(status.json["project"], test_name_);
  const auto& images = status.json["images"];
  ASSERT_EQ(images.size(), 2U) << images.dump(2);

  const auto app_entry = find_entry(images, "image", app);
  ASSERT_TRUE(app_entry.is_object()) << images.dump(2);
  EXPECT_EQ(app_entry["present"], true);
  EXPECT_EQ(app_entry["id"], app_id);
  EXPECT_EQ(app_entry["digest"], app_digest);
  EXPECT_EQ(app_entry["pinned"], true);
  EXPECT_EQ(app_entry["services"], nlohmann::json::array({"app"}));
  ASSERT_EQ(app_entry["containers"].size(), 1U) << app_entry.dump(2);
  const auto& used_by = app_entry["containers"][0];
  EXPECT_EQ(bare_name(used_by["name"]), container);
  EXPECT_EQ(used_by["state"], "created");
  EXPECT_EQ(used_by["created_from"], app);
  EXPECT_EQ(used_by["image_id"], app_id);
  EXPECT_EQ(used_by["current"], true);

  const auto worker_entry = find_entry(images, "image", worker);
  ASSERT_TRUE(worker_entry.is_object()) << images.dump(2);
  EXPECT_EQ(worker_entry["present"], true);
  EXPECT_EQ(worker_entry["id"], worker_id);
  EXPECT_EQ(worker_entry["digest"], nullptr);  // Imported here, never pushed or pulled.
  EXPECT_EQ(worker_entry["worker"], true);
  EXPECT_EQ(worker_entry["services"], nlohmann::json::array({"scheduler"}));
  EXPECT_EQ(worker_entry["containers"], nlohmann::json::array());

  // The table names the same container and its state.
  const auto text = wharf({"-C", root.string(), "images", "status"});
  EXPECT_EQ(text.output.exit_code, 0) << text.output.err;
  EXPECT_THAT(text.output.out, HasSubstr(container + " (created)"));
}

TEST_F(ImagesTest, PruneKeepsTheNewestThePinnedAndTheUsedTags) {
  const auto root = write_project("1.2.0");
  const auto repo = repository("app");
  std::map<std::string, std::string> ids;
  for (const std::string tag : {"1.0.0", "1.1.0", "1.2.0", "1.3.0"}) {
    ids[tag] = import_image(repo + ":" + tag, "app " + tag);
  }
  const auto container = test_name_ + "-old";
  create_container(container, repo + ":1.1.0");
  ASSERT_FALSE(HasFailure());
  const auto before = engine_images();
  for (const auto& [tag, id] : ids) {
    ASSERT_THAT(before, HasSubstr(id + " " + repo + ":" + tag)) << before;
  }

  const auto dry =
      wharf({"--json", "-C", root.string(), "images", "prune", "--keep", "1", "--dry-run"});
  EXPECT_EQ(dry.output.exit_code, 0) << dry.output.out << dry.output.err;
  ASSERT_TRUE(dry.json.is_object()) << dry.output.out << dry.output.err;
  EXPECT_EQ(dry.json["dry_run"], true);
  EXPECT_EQ(dry.json["removed"], 0);
  const auto planned = [&](const std::string& tag) {
    return find_entry(dry.json["images"], "reference", repo + ":" + tag);
  };
  EXPECT_EQ(planned("1.0.0")["action"], "would remove") << dry.json.dump(2);
  EXPECT_EQ(planned("1.0.0")["remove"], true);
  for (const std::string tag : {"1.1.0", "1.2.0", "1.3.0"}) {
    EXPECT_EQ(planned(tag)["action"], "keep") << tag << "\n" << dry.json.dump(2);
  }
  EXPECT_THAT(std::string(planned("1.1.0")["reason"]), HasSubstr(container));
  EXPECT_EQ(planned("1.2.0")["reason"], "pinned");
  EXPECT_THAT(std::string(planned("1.3.0")["reason"]), HasSubstr("newest"));
  EXPECT_EQ(engine_images(), before);

  const auto dry_text = wharf({"-C", root.string(), "images", "prune", "--keep", "1", "--dry-run"});
  EXPECT_EQ(dry_text.output.exit_code, 0) << dry_text.output.err;
  EXPECT_THAT(dry_text.output.out, testing::ContainsRegex(repo + ":1\\.0\\.0 .*would remove"));
  EXPECT_THAT(dry_text.output.err, HasSubstr("1 tag would be removed (dry run)"));
  EXPECT_EQ(engine_images(), before);

  const auto real = wharf({"--json", "-C", root.string(), "images", "prune", "--keep", "1"});
  EXPECT_EQ(real.output.exit_code, 0) << real.output.out << real.output.err;
  ASSERT_TRUE(real.json.is_object()) << real.output.out << real.output.err;
  EXPECT_EQ(real.json["removed"], 1) << real.json.dump(2);
  EXPECT_EQ(real.json["ok"], true);
  EXPECT_EQ(find_entry(real.json["images"], "reference", repo + ":1.0.0")["action"], "removed");
  EXPECT_EQ(image_id(repo + ":1.0.0"), "");
  EXPECT_EQ(image_id(ids["1.0.0"]), "");  // Its only tag is gone, so the image is too.
  for (const std::string tag : {"1.1.0", "1.2.0", "1.3.0"}) {
    EXPECT_EQ(image_id(repo + ":" + tag), ids[tag]) << tag;
  }
  // Exactly that one line left the list.
  std::string expected;
  std::istringstream lines(before);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(repo + ":1.0.0") == std::string::npos) {
      expected += line + "\n";
    }
  }
  EXPECT_EQ(engine_images(), expected);
}

}  // namespace
}  // namespace wharf::images::test
