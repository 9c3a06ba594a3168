#include "wharf/core/json_text.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace wharf {
namespace {

using ::testing::HasSubstr;

TEST(JsonText, WritesBytesThatAreNotUtf8AsReplacementCharactersInsteadOfThrowing) {
  // A health check's output cut in the middle of a character, and a Latin-1 log line.
  const nlohmann::json document = {{"health", "ok \xE2\x98"}, {"log", {"caf\xE9"}}};
  EXPECT_THROW((void)document.dump(), nlohmann::json::type_error);
  std::string text;
  ASSERT_NO_THROW(text = json_text(document));
  EXPECT_EQ(text, "{\"health\":\"ok \xEF\xBF\xBD\",\"log\":[\"caf\xEF\xBF\xBD\"]}");
  EXPECT_TRUE(nlohmann::json::accept(text));
  EXPECT_EQ(json_text(nlohmann::json{{"a", 1}}, JsonLayout::indented), "{\n  \"a\": 1\n}");
}

TEST(JsonText, ARequestBodyWithBytesThatAreNotUtf8IsRefusedNamingTheField) {
  const nlohmann::json body = {{"Image", "w:1"}, {"Cmd", {"printf", "caf\xE9\n"}}};
  const auto text = json_request_body(body);
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().kind, ErrorKind::invalid_input);
  EXPECT_THAT(text.error().message, HasSubstr("/Cmd/1"));
  EXPECT_THAT(text.error().message, HasSubstr("byte 0xE9 at offset 3"));

  const auto fine = json_request_body(nlohmann::json{{"Cmd", {"echo", "café"}}});
  ASSERT_TRUE(fine) << fine.error().message;
  EXPECT_EQ(*fine, "{\"Cmd\":[\"echo\",\"café\"]}");
}

TEST(JsonText, KeysAreCheckedToo) {
  const auto text = json_request_body(nlohmann::json{{"Labels", {{"k\xFF/x", "v"}}}});
  ASSERT_FALSE(text);
  EXPECT_THAT(text.error().message, HasSubstr("/Labels/k"));
}

}  // namespace
}  // namespace wharf
