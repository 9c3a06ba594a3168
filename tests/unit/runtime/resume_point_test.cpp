#include "wharf/runtime/resume_point.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace wharf::runtime {
namespace {

constexpr UnixNanos kSecond = 1'000'000'000;

// Which of `times` a pass accepts.
std::vector<UnixNanos> pass(ResumePoint& point, const std::vector<UnixNanos>& times) {
  point.begin_pass();
  std::vector<UnixNanos> accepted;
  for (const auto time : times) {
    if (point.accept(time)) {
      accepted.push_back(time);
    }
  }
  return accepted;
}

TEST(ResumePointTest, TheFirstPassShowsEverythingEvenOutOfOrder) {
  ResumePoint point;
  EXPECT_EQ(point.since_seconds(), std::nullopt);
  const std::vector<UnixNanos> times{5 * kSecond + 10, 5 * kSecond + 5, 6 * kSecond + 1};
  EXPECT_EQ(pass(point, times), times);
  EXPECT_EQ(point.since_seconds(), 6);
}

TEST(ResumePointTest, ARereadFromTheWholeSecondShowsOnlyWhatIsNew) {
  ResumePoint point;
  (void)pass(point, {7 * kSecond + 100, 7 * kSecond + 200});
  ASSERT_EQ(point.since_seconds(), 7);
  // The engine repeats the second from its start; the line at 300 is new.
  EXPECT_EQ(pass(point, {7 * kSecond + 100, 7 * kSecond + 200, 7 * kSecond + 300, 8 * kSecond}),
            (std::vector<UnixNanos>{7 * kSecond + 300, 8 * kSecond}));
  EXPECT_EQ(pass(point, {7 * kSecond + 300, 8 * kSecond}), std::vector<UnixNanos>{});
}

TEST(ResumePointTest, CountsLinesThatShareTheLastTime) {
  ResumePoint point;
  const UnixNanos t = 9 * kSecond;
  (void)pass(point, {t, t});
  // Two lines at t were shown; the third at t in the re-read is new, and so is the next one.
  EXPECT_EQ(pass(point, {t, t, t, t}), (std::vector<UnixNanos>{t, t}));
  EXPECT_EQ(pass(point, {t, t, t, t, t}), (std::vector<UnixNanos>{t}));
}

TEST(ResumePointTest, AnEmptyPassKeepsThePoint) {
  ResumePoint point;
  (void)pass(point, {3 * kSecond});
  EXPECT_EQ(pass(point, {}), std::vector<UnixNanos>{});
  EXPECT_EQ(pass(point, {3 * kSecond, 4 * kSecond}), (std::vector<UnixNanos>{4 * kSecond}));
}

}  // namespace
}  // namespace wharf::runtime
