#include "wharf/runtime/log_merge.hpp"

#include <gtest/gtest.h>

#include "wharf/runtime/log_line.hpp"

namespace wharf::runtime {
namespace {

using engine::LogStream;
using Clock = ReorderBuffer::Clock;
using namespace std::chrono_literals;

LogLine line(std::size_t source, UnixNanos time, std::string text) {
  return LogLine{.source = source, .time = time, .timestamp = {}, .text = std::move(text)};
}

std::vector<std::string> texts(const std::vector<LogLine>& lines) {
  std::vector<std::string> result;
  for (const auto& entry : lines) {
    result.push_back(entry.text);
  }
  return result;
}

std::vector<LogLine> assemble(const std::vector<std::pair<LogStream, std::string>>& chunks,
                              bool finish = true) {
  LineAssembler assembler(3);
  std::vector<LogLine> lines;
  const LogLineHandler keep = [&](LogLine entry) { lines.push_back(std::move(entry)); };
  for (const auto& [stream, bytes] : chunks) {
    assembler.feed(stream, bytes, keep);
  }
  if (finish) {
    assembler.finish(keep);
  }
  return lines;
}

TEST(LineAssemblerTest, SplitsTimestampFromTextAcrossArbitraryChunks) {
  const auto lines = assemble({{LogStream::standard_output, "2024-05-01T12:00:00.5Z hel"},
                               {LogStream::standard_output, "lo\n2024-05-01T12:00:0"},
                               {LogStream::standard_output, "1Z world\r\n"}});
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines[0].source, 3U);
  EXPECT_EQ(lines[0].text, "hello");
  EXPECT_EQ(lines[0].timestamp, "2024-05-01T12:00:00.5Z");
  EXPECT_EQ(lines[0].time, *parse_rfc3339("2024-05-01T12:00:00.5Z"));
  EXPECT_EQ(lines[1].text, "world");  // "\r\n" ends the line too.
  EXPECT_EQ(lines[1].time, *parse_rfc3339("2024-05-01T12:00:01Z"));
}

TEST(LineAssemblerTest, KeepsStdoutAndStderrLinesApartWhenTheirFramesInterleave) {
  const auto lines = assemble({{LogStream::standard_output, "2024-05-01T12:00:00Z out "},
                               {LogStream::standard_error, "2024-05-01T12:00:01Z err\n"},
                               {LogStream::standard_output, "line\n"}});
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines[0].text, "err");
  EXPECT_EQ(lines[0].stream, LogStream::standard_error);
  EXPECT_EQ(lines[1].text, "out line");
  EXPECT_EQ(lines[1].stream, LogStream::standard_output);
}

TEST(LineAssemblerTest, GivesAnUnstampedLineItsPredecessorsTimeAndFlushesTheRestAtTheEnd) {
  const auto lines = assemble({{LogStream::standard_output, "2024-05-01T12:00:07Z first\n"},
                               {LogStream::standard_output, "no stamp here\n"},
                               {LogStream::standard_output, "2024-05-01T12:00:08Z unfinished"}});
  ASSERT_EQ(lines.size(), 3U);
  EXPECT_EQ(lines[1].text, "no stamp here");
  EXPECT_EQ(lines[1].time, lines[0].time);
  EXPECT_EQ(lines[1].timestamp, "");
  EXPECT_EQ(lines[2].text, "unfinished");
  EXPECT_EQ(
      assemble({{LogStream::standard_output, "2024-05-01T12:00:08Z unfinished"}}, false).size(),
      0U);
}

TEST(SortByTimeTest, MergesSeveralContainersAndKeepsTiesInTheirOrder) {
  std::vector<LogLine> lines{line(0, 10, "a1"), line(0, 30, "a2"), line(0, 30, "a3"),
                             line(1, 5, "b1"),  line(1, 30, "b2"), line(1, 40, "b3"),
                             line(2, 20, "c1")};
  sort_by_time(lines);
  EXPECT_EQ(texts(lines), (std::vector<std::string>{"b1", "a1", "c1", "a2", "a3", "b2", "b3"}));
}

TEST(SortByTimeTest, NeverSwapsTwoLinesOfOneContainerWithTheSameTime) {
  std::vector<LogLine> lines;
  for (int i = 0; i < 50; ++i) {
    lines.push_back(line(static_cast<std::size_t>(i % 2), 100, std::to_string(i)));
  }
  sort_by_time(lines);
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(lines[static_cast<std::size_t>(i)].text, std::to_string(i));
  }
}

TEST(ReorderBufferTest, PrintsLinesThatArriveOutOfOrderInTimeOrderAfterTheHold) {
  ReorderBuffer buffer(100ms);
  const auto start = Clock::now();
  buffer.push(line(1, 200, "b at 200"), start);
  buffer.push(line(0, 100, "a at 100"), start + 20ms);  // Older, arrived later.
  EXPECT_TRUE(buffer.pop_ready(start + 50ms).empty());
  EXPECT_EQ(buffer.next_due(), start + 100ms);
  // "b" is due; "a" is older, so it leaves with it, first.
  EXPECT_EQ(texts(buffer.pop_ready(start + 100ms)),
            (std::vector<std::string>{"a at 100", "b at 200"}));
  EXPECT_TRUE(buffer.empty());
  EXPECT_EQ(buffer.next_due(), std::nullopt);
}

TEST(ReorderBufferTest, HoldsNewerLinesThatAreNotDueYet) {
  ReorderBuffer buffer(100ms);
  const auto start = Clock::now();
  buffer.push(line(0, 100, "early"), start);
  buffer.push(line(1, 300, "late"), start + 80ms);
  EXPECT_EQ(texts(buffer.pop_ready(start + 100ms)), (std::vector<std::string>{"early"}));
  EXPECT_EQ(buffer.next_due(), start + 180ms);
  buffer.push(line(0, 200, "middle"), start + 120ms);
  EXPECT_EQ(texts(buffer.pop_ready(start + 180ms)), (std::vector<std::string>{"middle", "late"}));
}

TEST(ReorderBufferTest, StillPrintsALineThatArrivedAfterNewerOnesWerePrinted) {
  ReorderBuffer buffer(10ms);
  const auto start = Clock::now();
  buffer.push(line(0, 500, "new"), start);
  EXPECT_EQ(texts(buffer.pop_ready(start + 10ms)), (std::vector<std::string>{"new"}));
  buffer.push(line(1, 100, "very late"), start + 20ms);
  EXPECT_EQ(texts(buffer.pop_ready(start + 30ms)), (std::vector<std::string>{"very late"}));
}

TEST(ReorderBufferTest, PopAllEmptiesItInTimeOrder) {
  ReorderBuffer buffer(1h);
  const auto now = Clock::now();
  buffer.push(line(0, 3, "c"), now);
  buffer.push(line(1, 1, "a"), now);
  buffer.push(line(0, 2, "b"), now);
  EXPECT_EQ(texts(buffer.pop_all()), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(buffer.empty());
}

}  // namespace
}  // namespace wharf::runtime
