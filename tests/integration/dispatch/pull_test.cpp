// --pull against the registry peer: `missing` contacts the registry only while the engine
// lacks the image; `always` contacts it every time.

#include <algorithm>
#include <thread>

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include "integration/dispatch/dispatch_fixture.hpp"

namespace wharf::backends::test {
namespace {

using namespace std::chrono_literals;

std::size_t line_count(const std::string& path) {
  const auto text = wharf::test::read_file(path);
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

class PullTest : public DispatchTest {
 protected:
  void SetUp() override {
    DispatchTest::SetUp();
    ASSERT_FALSE(HasFailure());
    registry_log_ = wharf::test::peer_env("WHARF_TEST_REGISTRY_LOG");
    image_ = wharf::test::peer_env("WHARF_TEST_WORKER_REPO") + ":1.1.0";
    ASSERT_FALSE(HasFailure());
    remove_image();
    ASSERT_FALSE(engine_->image_inspect(image_)) << image_ << " is still on the engine";
    wharf::test::write_file(path("tasks.jsonl"), R"({"id": "a", "args": ["true"]})"
                                                 "\n");
  }
  void TearDown() override { remove_image(); }

  void remove_image() {
    engine::ImageRemoveOptions options;
    options.force = true;
    (void)engine_->image_remove(image_, options);
  }

  [[nodiscard]] wharf::test::CommandOutput dispatch(const std::string& policy) const {
    return wharf(
        {"dispatch", "--tasks", path("tasks.jsonl").string(), "--image", image_, "--pull", policy});
  }

  // The registry writes its access log as it serves; give a line a moment to land.
  [[nodiscard]] std::size_t settled_log_lines() const {
    std::this_thread::sleep_for(300ms);
    return line_count(registry_log_);
  }

  std::string registry_log_;
  std::string image_;
};

TEST_F(PullTest, MissingPullsOnceThenNeverContactsTheRegistry) {
  const auto before = settled_log_lines();
  const auto first = dispatch("missing");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(engine_->image_inspect(image_));
  const auto after_first = settled_log_lines();
  EXPECT_GT(after_first, before) << "the first run should have pulled from the registry";

  const auto second = dispatch("missing");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const auto after_second = settled_log_lines();
  EXPECT_EQ(after_second, after_first) << "the image was present: no registry contact allowed";
  std::cout << "registry log lines: " << before << " -> " << after_first << " -> " << after_second
            << "\n";
}

TEST_F(PullTest, ResultsCarryTheRegistryDigestOfAPulledImage) {
  const auto out = wharf({"dispatch", "--tasks", path("tasks.jsonl").string(), "--image", image_,
                          "--results", path("results.jsonl").string()});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  auto info = engine_->image_inspect(image_);
  ASSERT_TRUE(info) << info.error().message;
  ASSERT_FALSE(info->repo_digests.empty());
  const auto result = nlohmann::json::parse(wharf::test::read_file(path("results.jsonl")));
  const auto digest = result.at("image_digest").get<std::string>();
  // The manifest digest, as in "repo@sha256:…", and not the image ID (the config digest).
  EXPECT_THAT(info->repo_digests, ::testing::Contains(::testing::EndsWith("@" + digest)));
  EXPECT_NE(digest, info->id);
}

TEST_F(PullTest, AlwaysContactsTheRegistryEvenWhenPresent) {
  ASSERT_EQ(dispatch("missing").exit_code, 0);
  const auto before = settled_log_lines();
  const auto again = dispatch("always");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_GT(settled_log_lines(), before);
}

TEST_F(PullTest, NeverRunsAPresentImageWithoutContactingTheRegistry) {
  ASSERT_EQ(dispatch("missing").exit_code, 0);
  const auto before = settled_log_lines();
  const auto again = dispatch("never");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(settled_log_lines(), before);
}

}  // namespace
}  // namespace wharf::backends::test
