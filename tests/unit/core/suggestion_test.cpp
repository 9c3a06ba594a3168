#include "wharf/core/suggestion.hpp"

#include <gtest/gtest.h>

namespace wharf {
namespace {

const std::vector<std::string> kCommands{"pin",     "release", "run",    "dispatch",
                                         "workers", "images",  "update", "rollback",
                                         "history", "status",  "logs",   "info"};

TEST(EditDistance, CountsInsertionsDeletionsSubstitutionsAndSwaps) {
  EXPECT_EQ(edit_distance("", ""), 0U);
  EXPECT_EQ(edit_distance("pin", "pin"), 0U);
  EXPECT_EQ(edit_distance("", "pin"), 3U);
  EXPECT_EQ(edit_distance("pin", ""), 3U);
  EXPECT_EQ(edit_distance("pni", "pin"), 1U) << "a swap of neighbours is one edit";
  EXPECT_EQ(edit_distance("chek", "check"), 1U);
  EXPECT_EQ(edit_distance("checkk", "check"), 1U);
  EXPECT_EQ(edit_distance("chack", "check"), 1U);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3U);
  EXPECT_EQ(edit_distance("PIN", "pin"), 0U) << "case does not count";
  EXPECT_EQ(edit_distance("ab", "ba"), 1U);
  EXPECT_EQ(edit_distance("abc", "ca"), 3U) << "optimal string alignment edits each part once";
}

TEST(NearestWord, SuggestsTheCommandATypoMeant) {
  EXPECT_EQ(nearest_word("pni", kCommands), "pin");
  EXPECT_EQ(nearest_word("updaet", kCommands), "update");
  EXPECT_EQ(nearest_word("dispach", kCommands), "dispatch");
  EXPECT_EQ(nearest_word("Status", kCommands), "status");
  EXPECT_EQ(nearest_word("rollbak", kCommands), "rollback");
  EXPECT_EQ(nearest_word("chek", {"status", "check", "pull", "validate", "prune", "tags"}),
            "check");
}

TEST(NearestWord, FallsBackToACommandTheWordBegins) {
  EXPECT_EQ(nearest_word("rel", kCommands), "release");
  EXPECT_EQ(nearest_word("disp", kCommands), "dispatch");
  EXPECT_EQ(nearest_word("r", kCommands), std::nullopt) << "one letter says too little";
}

TEST(NearestWord, SuggestsNothingFarFromEveryCandidate) {
  EXPECT_EQ(nearest_word("deploy", kCommands), std::nullopt);
  EXPECT_EQ(nearest_word("xyz", kCommands), std::nullopt);
  EXPECT_EQ(nearest_word("", kCommands), std::nullopt);
  EXPECT_EQ(nearest_word("pin", {}), std::nullopt);
}

TEST(NearestWord, PrefersTheNearestAndThenTheEarlierCandidate) {
  EXPECT_EQ(nearest_word("run", kCommands), "run");
  EXPECT_EQ(nearest_word("ran", {"run", "pan"}), "run");
  EXPECT_EQ(nearest_word("ran", {"pan", "run"}), "pan");
  EXPECT_EQ(nearest_word("--jsno", {"--json", "--no-color"}), "--json");
}

}  // namespace
}  // namespace wharf
