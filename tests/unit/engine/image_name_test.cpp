#include <gtest/gtest.h>

#include "wharf/engine/image_types.hpp"

namespace wharf::engine {
namespace {

TEST(ImageName, SplitsRepositoryAndTagWithoutMistakingThePort) {
  const auto check = [](std::string_view image, std::string_view repository, std::string_view tag) {
    const auto name = split_image_name(image);
    EXPECT_EQ(name.repository, repository) << image;
    EXPECT_EQ(name.tag, tag) << image;
  };
  check("busybox", "busybox", "latest");
  check("wharf/worker:dev", "wharf/worker", "dev");
  check("127.0.0.1:5000/wharf/worker", "127.0.0.1:5000/wharf/worker", "latest");
  check("127.0.0.1:5000/wharf/worker:1.0.0", "127.0.0.1:5000/wharf/worker", "1.0.0");
  check("r:5000/w@sha256:abc", "r:5000/w", "sha256:abc");
}

}  // namespace
}  // namespace wharf::engine
