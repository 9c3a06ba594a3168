#include "wharf/core/wording.hpp"

#include <gtest/gtest.h>

namespace wharf {
namespace {

TEST(Counted, PutsTheNounInTheRightNumber) {
  EXPECT_EQ(counted(0, "commit"), "0 commits");
  EXPECT_EQ(counted(1, "commit"), "1 commit");
  EXPECT_EQ(counted(2, "commit"), "2 commits");
  EXPECT_EQ(counted(1, "entry", "entries"), "1 entry");
  EXPECT_EQ(counted(3, "entry", "entries"), "3 entries");
  EXPECT_EQ(counted(1, "required image"), "1 required image");
}

TEST(Clause, DropsTheFullStopSoTheSentenceCanGoOn) {
  EXPECT_EQ(clause("the image is not in the registry."), "the image is not in the registry");
  EXPECT_EQ(clause("no full stop"), "no full stop");
  EXPECT_EQ(clause("trailing space. "), "trailing space");
  EXPECT_EQ(clause("waiting..."), "waiting...") << "an ellipsis is not a full stop";
  EXPECT_EQ(clause("a question?"), "a question?");
  EXPECT_EQ(clause(""), "");
  EXPECT_EQ(std::string(clause("tag.")) + " — rolling back", "tag — rolling back");
}

TEST(Sentence, EndsWithExactlyOneFullStop) {
  EXPECT_EQ(sentence("done"), "done.");
  EXPECT_EQ(sentence("done."), "done.");
  EXPECT_EQ(sentence("really?"), "really?");
  EXPECT_EQ(sentence("stop!"), "stop!");
  EXPECT_EQ(sentence(""), "");
}

}  // namespace
}  // namespace wharf
