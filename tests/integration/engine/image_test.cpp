// Images: pull from the private registry with progress, errors from the pull, inspect,
// list and remove.

#include <gmock/gmock.h>

#include "integration/engine/engine_fixture.hpp"

namespace wharf::engine::test {
namespace {

using ::testing::HasSubstr;

TEST_F(EngineTest, PullReportsProgressAndLeavesTheImage) {
  const auto repository = wharf::test::peer_env("WHARF_TEST_WORKER_REPO");
  ASSERT_FALSE(HasFailure());
  const auto image = repository + ":1.0.0";
  // Start from an engine without the image so the layers really travel. (Another tag of the
  // same image, or a container using it, keeps it; the pull then has no layers to report.)
  const auto before = client_->image_inspect(image);
  const auto removed = client_->image_remove(image);
  const bool fresh = !before.has_value() ||
                     (removed.has_value() && !client_->image_inspect(before->id).has_value());
  std::cout << "pulling " << (fresh ? "an absent" : "a still present") << " image\n";

  std::vector<PullProgress> reports;
  PullOptions options;
  options.on_progress = [&reports](const PullProgress& progress) { reports.push_back(progress); };
  const auto start = std::chrono::steady_clock::now();
  auto pulled = client_->image_pull(image, options);
  std::cout << "pull of " << image << ": " << since(start).count() << " ms\n";
  ASSERT_TRUE(pulled.has_value()) << pulled.error().message;
  ASSERT_FALSE(reports.empty());
  EXPECT_THAT(pulled->digest, ::testing::StartsWith("sha256:"));
  EXPECT_THAT(pulled->status, HasSubstr(image));
  if (fresh) {
    EXPECT_GE(pulled->progress.layers_total, 1U);
    EXPECT_EQ(pulled->progress.layers_done, pulled->progress.layers_total);
    EXPECT_THAT(pulled->status, HasSubstr("Downloaded newer image"));
  }

  auto info = client_->image_inspect(image);
  ASSERT_TRUE(info.has_value()) << info.error().message;
  EXPECT_THAT(info->repo_tags, ::testing::Contains(image));
  EXPECT_THAT(info->repo_digests, ::testing::Contains(repository + "@" + pulled->digest));

  auto listed = client_->image_list(ImageListOptions{repository, {}, false});
  ASSERT_TRUE(listed.has_value()) << listed.error().message;
  EXPECT_TRUE(std::ranges::any_of(
      *listed, [&](const ImageSummary& summary) { return summary.id == info->id; }));

  // Again: up to date, over the same connection.
  const auto again_start = std::chrono::steady_clock::now();
  auto again = client_->image_pull(image);
  std::cout << "up-to-date pull: " << since(again_start).count() << " ms\n";
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_THAT(again->status, HasSubstr("Image is up to date"));
  EXPECT_EQ(again->digest, pulled->digest);
}

TEST_F(EngineTest, PullOfAMissingTagNamesTheImage) {
  const auto repository = wharf::test::peer_env("WHARF_TEST_WORKER_REPO");
  ASSERT_FALSE(HasFailure());
  const auto image = repository + ":9.9.9-missing";
  auto pulled = client_->image_pull(image);
  ASSERT_FALSE(pulled.has_value());
  EXPECT_EQ(pulled.error().kind, ErrorKind::not_found);
  EXPECT_THAT(pulled.error().message, HasSubstr(image));
  std::cout << "missing tag: " << pulled.error().message << "\n";
}

TEST_F(EngineTest, PullFromAnUnreachableRegistryFails) {
  auto pulled = client_->image_pull("127.0.0.1:1/wharf/worker:1.0.0");
  ASSERT_FALSE(pulled.has_value());
  EXPECT_THAT(pulled.error().message, HasSubstr("127.0.0.1:1/wharf/worker:1.0.0"));
  std::cout << "unreachable registry: " << pulled.error().message << "\n";
}

TEST_F(EngineTest, PullFromARegistryThatNeedsALogin) {
  const auto registry = wharf::test::peer_env("WHARF_TEST_AUTH_REGISTRY");
  const auto user = wharf::test::peer_env("WHARF_TEST_AUTH_USER");
  const auto password = wharf::test::peer_env("WHARF_TEST_AUTH_PASSWORD");
  ASSERT_FALSE(HasFailure());
  const auto image = registry + "/wharf/worker:1.1.0";

  const auto anonymous = client_->image_pull(image);
  ASSERT_FALSE(anonymous.has_value());
  EXPECT_EQ(anonymous.error().kind, ErrorKind::permission) << anonymous.error().message;
  EXPECT_THAT(anonymous.error().message, HasSubstr(image));
  std::cout << "anonymous: " << anonymous.error().message << "\n";

  PullOptions wrong;
  wrong.auth = RegistryAuth{user, password + "-wrong", registry, {}};
  const auto refused = client_->image_pull(image, wrong);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().kind, ErrorKind::permission) << refused.error().message;
  std::cout << "wrong password: " << refused.error().message << "\n";

  PullOptions right;
  right.auth = RegistryAuth{user, password, registry, {}};
  auto pulled = client_->image_pull(image, right);
  ASSERT_TRUE(pulled.has_value()) << pulled.error().message;
  EXPECT_THAT(pulled->digest, ::testing::StartsWith("sha256:"));
  EXPECT_TRUE(client_->image_inspect(image).has_value());
}

TEST_F(EngineTest, InspectOfAMissingImageIsNotFound) {
  const auto missing = client_->image_inspect("wharf/not-here:1.2.3");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
  EXPECT_EQ(missing.error().http_status, 404);
  EXPECT_THAT(missing.error().message, HasSubstr("wharf/not-here:1.2.3"));

  const auto bad = client_->image_inspect("what?ever");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().kind, ErrorKind::invalid_input);
}

TEST_F(EngineTest, LocalWorkerImageIsThere) {
  auto info = client_->image_inspect(kWorkerImage);
  ASSERT_TRUE(info.has_value()) << info.error().message;
  EXPECT_THAT(info->id, ::testing::StartsWith("sha256:"));
}

}  // namespace
}  // namespace wharf::engine::test
