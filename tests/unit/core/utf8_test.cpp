#include "wharf/core/utf8.hpp"

#include <gtest/gtest.h>

#include "fuzz_generator.hpp"

namespace wharf {
namespace {

TEST(Utf8, AcceptsTextInEveryLength) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ASCII\n\t"));
  EXPECT_TRUE(is_valid_utf8(std::string("nul\0inside", 10)));
  EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9"));                // 2 bytes: é
  EXPECT_TRUE(is_valid_utf8("\xE2\x98\x83 \xE6\x97\xA5"));  // 3 bytes: ☃ 日
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x90\xB3"));           // 4 bytes: 🐳
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));           // U+10FFFF, the last one
}

TEST(Utf8, FindsTheFirstByteThatIsNotPartOfACharacter) {
  EXPECT_EQ(first_invalid_utf8("caf\xE9"), 3U);           // Latin-1 é
  EXPECT_EQ(first_invalid_utf8("ok\xFF"), 2U);            // never in UTF-8
  EXPECT_EQ(first_invalid_utf8("\x80"), 0U);              // a lone continuation byte
  EXPECT_EQ(first_invalid_utf8("a\xC3"), 1U);             // cut short at the end
  EXPECT_EQ(first_invalid_utf8("\xC3(x"), 0U);            // cut short inside
  EXPECT_EQ(first_invalid_utf8("\xC0\x80"), 0U);          // overlong NUL
  EXPECT_EQ(first_invalid_utf8("\xE0\x80\xAF"), 0U);      // overlong '/'
  EXPECT_EQ(first_invalid_utf8("\xED\xA0\x80"), 0U);      // a UTF-16 surrogate
  EXPECT_EQ(first_invalid_utf8("\xF4\x90\x80\x80"), 0U);  // above U+10FFFF
  EXPECT_EQ(first_invalid_utf8("\xF5\x80\x80\x80"), 0U);
}

TEST(Utf8, AgreesWithADecodeAndReencodeOfRandomBytes) {
  // A reference check: the bytes are UTF-8 exactly when decoding them code point by code
  // point and encoding them again gives the same bytes (checked here the slow, obvious way).
  fuzz::Generator random(20261203);
  for (int round = 0; round < 20000; ++round) {
    std::string bytes(random.below(8), '\0');
    for (auto& byte : bytes) {
      // Mostly bytes near the interesting boundaries.
      static constexpr unsigned char kBytes[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F,
                                                 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0,
                                                 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
      byte = static_cast<char>(random.pick(kBytes));
    }
    bool valid = true;
    for (std::size_t i = 0; i < bytes.size() && valid;) {
      const auto lead = static_cast<unsigned char>(bytes[i]);
      const std::size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
      if ((lead >= 0x80 && lead < 0xC0) || lead > 0xF7 || i + length > bytes.size()) {
        valid = false;
        break;
      }
      std::uint32_t code = length == 1 ? lead : lead & (0x7FU >> length);
      for (std::size_t k = 1; k < length; ++k) {
        const auto next = static_cast<unsigned char>(bytes[i + k]);
        if ((next & 0xC0U) != 0x80U) {
          valid = false;
        }
        code = (code << 6) | (next & 0x3FU);
      }
      const std::size_t shortest = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      if (shortest != length || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
        valid = false;
      }
      i += length;
    }
    EXPECT_EQ(is_valid_utf8(bytes), valid) << testing::PrintToString(bytes);
  }
}

TEST(Utf8, PrefixNeverSplitsACharacter) {
  const std::string text =
      "ab\xE2\x98\x83"
      "cd";  // a b ☃ c d
  EXPECT_EQ(utf8_prefix(text, 100), text);
  EXPECT_EQ(utf8_prefix(text, 2), "ab");
  EXPECT_EQ(utf8_prefix(text, 3), "ab");
  EXPECT_EQ(utf8_prefix(text, 4), "ab");
  EXPECT_EQ(utf8_prefix(text, 5), "ab\xE2\x98\x83");
  EXPECT_EQ(utf8_prefix(text, 0), "");
  EXPECT_EQ(utf8_prefix("\xE2\x98\x83", 1), "");
  // Bytes that are not UTF-8 are cut where asked.
  EXPECT_EQ(utf8_prefix("\x80\x80\x80\x80\x80", 2), "\x80\x80");
}

}  // namespace
}  // namespace wharf
