#include "wharf/dispatch/placement.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

namespace wharf::dispatch {
namespace {

using Tried = std::vector<std::size_t>;

TEST(Placement, PicksTheWorkerWithTheMostFreeSlotsTiesByOrder) {
  Placement placement({2, 3, 3}, 0);
  EXPECT_EQ(placement.limit(), 8U);
  EXPECT_EQ(placement.pick(), 1U);  // 3 free beats 2 free; worker 1 before worker 2
  placement.start(1);
  EXPECT_EQ(placement.pick(), 2U);  // now 2:3 free is the most
  placement.start(2);
  EXPECT_EQ(placement.pick(), 0U);  // all have 2 free: first one
  placement.start(0);
  EXPECT_EQ(placement.pick(), 1U);
}

TEST(Placement, NeverExceedsAWorkersSlots) {
  Placement placement({1, 2}, 0);
  placement.start(*placement.pick());
  placement.start(*placement.pick());
  placement.start(*placement.pick());
  EXPECT_EQ(placement.running(0), 1U);
  EXPECT_EQ(placement.running(1), 2U);
  EXPECT_FALSE(placement.pick().has_value());
  EXPECT_THROW(placement.start(0), std::logic_error);
  placement.finish(1);
  EXPECT_EQ(placement.pick(), 1U);
}

TEST(Placement, RespectsTheGlobalParallelLimit) {
  Placement placement({4, 4}, 3);
  EXPECT_EQ(placement.limit(), 3U);
  for (int i = 0; i < 3; ++i) {
    placement.start(*placement.pick());
  }
  EXPECT_EQ(placement.running(), 3U);
  EXPECT_FALSE(placement.pick().has_value());
  placement.finish(0);
  EXPECT_TRUE(placement.pick().has_value());
}

TEST(Placement, LimitAboveTotalSlotsIsCappedBySlots) {
  const Placement placement({1, 1}, 10);
  EXPECT_EQ(placement.limit(), 2U);
}

TEST(Placement, AvoidsWorkersTheTaskWasTriedOnWhileAnotherHasRoom) {
  Placement placement({4, 1}, 0);
  EXPECT_EQ(placement.pick(Tried{0}), 1U);  // fewer free slots, but untried
  placement.start(1);
  // The untried worker is full now: use the tried one rather than wait.
  EXPECT_EQ(placement.pick(Tried{0}), 0U);
  EXPECT_EQ(Placement({1}, 0).pick(Tried{0, 0}), 0U);  // the only worker, tried twice
}

TEST(Placement, LostWorkersGetNothingMore) {
  Placement placement({2, 1}, 0);
  placement.start(0);
  placement.mark_lost(0);
  EXPECT_TRUE(placement.lost(0));
  EXPECT_EQ(placement.pick(), 1U);
  placement.start(1);
  EXPECT_FALSE(placement.pick().has_value());
  EXPECT_TRUE(placement.can_ever_place());
  placement.mark_lost(1);
  EXPECT_FALSE(placement.can_ever_place());
  // Attempts already running on lost workers still return.
  placement.finish(0);
  placement.finish(1);
  EXPECT_EQ(placement.running(), 0U);
  EXPECT_FALSE(placement.pick().has_value());
  EXPECT_THROW(placement.finish(0), std::logic_error);
}

TEST(Placement, NoSlotsMeansNothingCanEverBePlaced) {
  EXPECT_FALSE(Placement({}, 0).can_ever_place());
  EXPECT_FALSE(Placement({0, 0}, 0).can_ever_place());
  EXPECT_FALSE(Placement({0, 0}, 0).pick().has_value());
  const Placement zero_slot_first({0, 1}, 0);
  EXPECT_EQ(zero_slot_first.pick(), 1U);
}

}  // namespace
}  // namespace wharf::dispatch
