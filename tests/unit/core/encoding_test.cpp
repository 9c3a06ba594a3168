#include "wharf/core/encoding.hpp"

#include <gtest/gtest.h>

namespace wharf {
namespace {

TEST(PercentEncode, KeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(percent_encode("aZ09-_.~"), "aZ09-_.~");
  EXPECT_EQ(percent_encode("repository:a/b:pull"), "repository%3Aa%2Fb%3Apull");
  EXPECT_EQ(percent_encode(" +&="), "%20%2B%26%3D");
}

TEST(Base64, EncodesWithEitherAlphabetAndOptionalPadding) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("fo", /*pad=*/false), "Zm8");
  EXPECT_EQ(base64_encode("\xfb\xff\xfe"), "+//+");
  EXPECT_EQ(base64_encode("\xfb\xff\xfe", true, Base64Alphabet::url), "-__-");
}

TEST(Base64, DecodesWhatItEncodesAndRejectsOtherCharacters) {
  const std::string bytes("\0\x01\xfe\xffuser:pass", 13);
  EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes);
  EXPECT_EQ(base64_decode("Zm8"), "fo");  // Missing padding is accepted.
  EXPECT_EQ(base64_decode("Zm9v\nYg=="), "foob");
  EXPECT_EQ(base64_decode("!!!"), std::nullopt);
}

}  // namespace
}  // namespace wharf
