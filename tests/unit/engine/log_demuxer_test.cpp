#include "wharf/engine/log_demuxer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wharf::engine {
namespace {

using ::testing::HasSubstr;

std::string frame(std::uint8_t stream, std::string_view payload) {
  std::string bytes{static_cast<char>(stream), 0, 0, 0};
  const auto size = static_cast<std::uint32_t>(payload.size());
  bytes.push_back(static_cast<char>((size >> 24) & 0xFF));
  bytes.push_back(static_cast<char>((size >> 16) & 0xFF));
  bytes.push_back(static_cast<char>((size >> 8) & 0xFF));
  bytes.push_back(static_cast<char>(size & 0xFF));
  return bytes + std::string(payload);
}

// Feeds `bytes` in pieces of `piece` bytes and returns what came out.
LogOutput demux(const std::string& bytes, std::size_t piece, bool raw = false) {
  LogDemuxer demuxer(raw);
  LogOutput output;
  const auto sink = collect_into(output);
  for (std::size_t i = 0; i < bytes.size(); i += piece) {
    const auto fed = demuxer.feed(std::string_view(bytes).substr(i, piece), sink);
    EXPECT_TRUE(fed.has_value()) << fed.error().message;
  }
  EXPECT_TRUE(demuxer.finish().has_value());
  return output;
}

TEST(LogDemuxer, SeparatesStdoutAndStderr) {
  const auto bytes = frame(1, "out 1\n") + frame(2, "err 1\n") + frame(1, "out 2\n");
  const auto output = demux(bytes, bytes.size());
  EXPECT_EQ(output.standard_output, "out 1\nout 2\n");
  EXPECT_EQ(output.standard_error, "err 1\n");
}

TEST(LogDemuxer, FramesSplitAtEveryPossibleBoundaryGiveTheSameResult) {
  const std::string big(70000, 'x');  // Longer than 16 bits of length.
  const auto bytes = frame(2, "é—UTF-8\n") + frame(1, big) + frame(1, "") + frame(2, "tail");
  for (const std::size_t piece : {1, 2, 3, 7, 8, 9, 4096}) {
    const auto output = demux(bytes, piece);
    EXPECT_EQ(output.standard_output, big) << "piece size " << piece;
    EXPECT_EQ(output.standard_error, "é—UTF-8\ntail") << "piece size " << piece;
  }
}

TEST(LogDemuxer, DeliversPayloadBeforeTheFrameIsComplete) {
  LogDemuxer demuxer(false);
  std::string seen;
  const auto sink = [&seen](LogStream, std::string_view bytes) { seen.append(bytes); };
  const auto bytes = frame(1, "hello world");
  ASSERT_TRUE(demuxer.feed(std::string_view(bytes).substr(0, 13), sink).has_value());
  EXPECT_EQ(seen, "hello");
  EXPECT_FALSE(demuxer.finish().has_value()) << "a frame is still open";
}

TEST(LogDemuxer, RawTtyOutputIsAllStdout) {
  const std::string bytes = "\x01\x02 plain tty output\r\n";
  const auto output = demux(bytes, 3, /*raw=*/true);
  EXPECT_EQ(output.standard_output, bytes);
  EXPECT_EQ(output.standard_error, "");
}

TEST(LogDemuxer, RejectsTtyOutputReadAsMultiplexed) {
  LogDemuxer demuxer(false);
  LogOutput output;
  const auto fed = demuxer.feed("hello, this is raw\n", collect_into(output));
  ASSERT_FALSE(fed.has_value());
  EXPECT_EQ(fed.error().kind, ErrorKind::remote);
  EXPECT_THAT(fed.error().message, HasSubstr("TTY"));
  EXPECT_FALSE(demuxer.feed(frame(1, "x"), collect_into(output)).has_value());
}

TEST(LogDemuxer, TruncatedStreamIsAnError) {
  LogDemuxer demuxer(false);
  LogOutput output;
  ASSERT_TRUE(demuxer.feed(frame(1, "abc").substr(0, 5), collect_into(output)).has_value());
  const auto finished = demuxer.finish();
  ASSERT_FALSE(finished.has_value());
  EXPECT_THAT(finished.error().message, HasSubstr("middle of a frame"));
}

TEST(LogDemuxer, StdinFramesAreNotCollected) {
  const auto output = demux(frame(0, "typed") + frame(1, "shown"), 5);
  EXPECT_EQ(output.standard_output, "shown");
  EXPECT_EQ(output.standard_error, "");
}

}  // namespace
}  // namespace wharf::engine
