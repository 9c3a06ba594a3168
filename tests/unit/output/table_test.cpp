#include "wharf/output/table.hpp"

#include <gtest/gtest.h>

namespace wharf {
namespace {

TEST(Table, AlignsColumnsByCodePointsNotBytes) {
  Table table({"source", "value"});
  table.add_row({"git tag", "v1.2.3"});
  table.add_row({"VERSION ✓", "v1.2.3"});
  EXPECT_EQ(table.render(false),
            "source     value\n"
            "git tag    v1.2.3\n"
            "VERSION ✓  v1.2.3\n");
}

TEST(Table, MissingCellsShowADash) {
  Table table({"a", "b"});
  table.add_row({"x"});
  EXPECT_EQ(table.render(false), "a  b\nx  -\n");
}

TEST(Table, ColourOnlyWhenAsked) {
  EXPECT_EQ(paint("ok", Tone::good, false), "ok");
  EXPECT_EQ(paint("ok", Tone::good, true), "\x1b[32mok\x1b[0m");
}

}  // namespace
}  // namespace wharf
