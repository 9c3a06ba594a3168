#include "wharf/engine/pull_progress.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wharf::engine {
namespace {

using ::testing::HasSubstr;

// A real stream from Docker 20.10 pulling a two-layer image, one layer already present.
constexpr std::string_view kPull =
    "{\"status\":\"Pulling from wharf/worker\",\"id\":\"1.0.0\"}\r\n"
    "{\"status\":\"Already exists\",\"progressDetail\":{},\"id\":\"aaa\"}\r\n"
    "{\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"bbb\"}\r\n"
    "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":500,\"total\":2000},"
    "\"progress\":\"[==>   ]\",\"id\":\"bbb\"}\r\n"
    "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":1500,\"total\":2000},"
    "\"progress\":\"[====> ]\",\"id\":\"bbb\"}\r\n"
    "{\"status\":\"Verifying Checksum\",\"progressDetail\":{},\"id\":\"bbb\"}\r\n"
    "{\"status\":\"Download complete\",\"progressDetail\":{},\"id\":\"bbb\"}\r\n"
    "{\"status\":\"Extracting\",\"progressDetail\":{\"current\":2000,\"total\":2000},"
    "\"id\":\"bbb\"}\r\n"
    "{\"status\":\"Pull complete\",\"progressDetail\":{},\"id\":\"bbb\"}\r\n"
    "{\"status\":\"Digest: sha256:0123abcd\"}\r\n"
    "{\"status\":\"Status: Downloaded newer image for r:5000/wharf/worker:1.0.0\"}\r\n";

TEST(PullProgress, AggregatesLayersAndBytesAcrossArbitraryChunks) {
  for (const std::size_t piece : {1, 5, 64, 4096}) {
    PullProgressParser parser("r:5000/wharf/worker:1.0.0");
    std::vector<PullProgress> seen;
    for (std::size_t i = 0; i < kPull.size(); i += piece) {
      const auto changed = parser.feed(kPull.substr(i, piece));
      ASSERT_TRUE(changed.has_value()) << changed.error().message;
      if (*changed) {
        seen.push_back(parser.progress());
      }
    }
    ASSERT_TRUE(parser.finish().has_value());
    const auto& final = parser.progress();
    EXPECT_EQ(final.layers_total, 2U);
    EXPECT_EQ(final.layers_done, 2U);
    EXPECT_EQ(final.bytes_total, 2000U);
    EXPECT_EQ(final.bytes_current, 2000U);
    EXPECT_EQ(final.digest, "sha256:0123abcd");
    EXPECT_EQ(final.status, "Status: Downloaded newer image for r:5000/wharf/worker:1.0.0");
    ASSERT_FALSE(seen.empty());
    if (piece == 4096) {
      continue;  // One chunk: only the final state is reported.
    }
    const bool saw_partial = std::ranges::any_of(seen, [](const PullProgress& p) {
      return p.bytes_current == 1500 && p.bytes_total == 2000 && p.layers_done == 1;
    });
    EXPECT_TRUE(saw_partial) << "piece size " << piece;
  }
}

TEST(PullProgress, SummaryIsOneLine) {
  PullProgress progress;
  progress.layers_total = 3;
  progress.layers_done = 1;
  progress.bytes_current = 1'250'000;
  progress.bytes_total = 3'400'000;
  EXPECT_EQ(progress.summary(), "1/3 layers, 1.2 MB of 3.4 MB");
  progress.layers_total = 0;
  progress.status = "Pulling from wharf/worker";
  EXPECT_EQ(progress.summary(), "Pulling from wharf/worker");
}

TEST(PullProgress, ErrorLineInsideTheStreamFailsNamingTheImage) {
  PullProgressParser parser("r:5000/wharf/worker:9.9.9");
  ASSERT_TRUE(parser.feed("{\"status\":\"Pulling from wharf/worker\",\"id\":\"9.9.9\"}\r\n"));
  const auto result = parser.feed(
      "{\"errorDetail\":{\"message\":\"manifest for r:5000/wharf/worker:9.9.9 not found: "
      "manifest unknown: manifest unknown\"},\"error\":\"manifest for "
      "r:5000/wharf/worker:9.9.9 not found: manifest unknown: manifest unknown\"}\r\n");
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, ErrorKind::not_found);
  EXPECT_THAT(result.error().message, HasSubstr("pulling r:5000/wharf/worker:9.9.9 failed"));
  EXPECT_THAT(result.error().message, HasSubstr("manifest unknown"));
}

TEST(PullProgress, ErrorDetailAloneAndOtherKinds) {
  PullProgressParser parser("img:1");
  const auto denied = parser.feed("{\"errorDetail\":{\"message\":\"unauthorized: login\"}}\n");
  ASSERT_FALSE(denied.has_value());
  EXPECT_EQ(denied.error().kind, ErrorKind::permission);
  EXPECT_THAT(denied.error().message, HasSubstr("unauthorized: login"));

  PullProgressParser anonymous("img:1");
  const auto no_login = anonymous.feed(
      "{\"error\":\"Head \\\"http://r/v2/w/manifests/1\\\": no basic auth credentials\"}\n");
  ASSERT_FALSE(no_login.has_value());
  EXPECT_EQ(no_login.error().kind, ErrorKind::permission);

  PullProgressParser other("img:1");
  const auto broken = other.finish();  // Empty stream: fine.
  EXPECT_TRUE(broken.has_value());
  const auto reset = other.feed("{\"error\":\"read: connection reset by peer\"}");
  ASSERT_TRUE(reset.has_value()) << "no newline yet";
  const auto finished = other.finish();
  ASSERT_FALSE(finished.has_value());
  EXPECT_EQ(finished.error().kind, ErrorKind::remote);
}

TEST(PullProgress, NonJsonLineIsAnError) {
  PullProgressParser parser("img:1");
  const auto result = parser.feed("<html>proxy error</html>\n");
  ASSERT_FALSE(result.has_value());
  EXPECT_THAT(result.error().message, HasSubstr("not JSON"));
  EXPECT_THAT(result.error().message, HasSubstr("img:1"));
}

}  // namespace
}  // namespace wharf::engine
