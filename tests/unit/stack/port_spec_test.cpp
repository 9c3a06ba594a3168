// compose's `ports:` entries, short and long syntax, as `up` and `config` will read them.
#include "wharf/stack/port_spec.hpp"

#include <gtest/gtest.h>

namespace wharf::stack {
namespace {

constexpr std::string_view kWhere = "docker/compose.yaml: service app: ports[0]";

PortSpec port(std::string_view text) {
  auto parsed = parse_port(text, kWhere);
  EXPECT_TRUE(parsed) << text << ": " << parsed.error().message;
  return parsed.value_or(PortSpec{});
}

std::string refusal(std::string_view text) {
  auto parsed = parse_port(text, kWhere);
  EXPECT_FALSE(parsed) << text << " was accepted as " << parsed->text();
  if (parsed) {
    return {};
  }
  EXPECT_EQ(parsed.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(parsed.error().message.rfind(std::string(kWhere) + ": invalid port \"", 0), 0U)
      << parsed.error().message;
  return parsed.error().message;
}

TEST(PortSpec, ShortSyntaxInEveryForm) {
  EXPECT_EQ(port("80").text(), "80/tcp");
  EXPECT_FALSE(port("80").published);
  EXPECT_EQ(port("8080:80").text(), "8080:80/tcp");
  EXPECT_EQ(port("8080:80/udp").protocol, "udp");
  EXPECT_EQ(port("127.0.0.1:8080:80").host_ip, "127.0.0.1");
  EXPECT_EQ(port("127.0.0.1::80").text(), "127.0.0.1::80/tcp");
  EXPECT_FALSE(port("127.0.0.1::80").published);
  EXPECT_EQ(port("[::1]:8080:80/sctp").text(), "[::1]:8080:80/sctp");
  EXPECT_EQ(port("[::1]:8080:80").host_ip, "::1");
  const auto range = port("8000-8010:9000-9010");
  EXPECT_EQ(range.published->first, 8000);
  EXPECT_EQ(range.published->last, 8010);
  EXPECT_EQ(range.target.size(), 11U);
  // A host range for one target port: the engine picks one port of it.
  EXPECT_EQ(port("8000-8010:80").text(), "8000-8010:80/tcp");
  EXPECT_EQ(port("65535:1").published->first, 65535);
}

TEST(PortSpec, BadShortSyntaxIsOneSentenceSayingWhatAndHow) {
  EXPECT_NE(refusal("").find("is not a port"), std::string::npos);
  EXPECT_NE(refusal("80/tcpx").find("\"tcpx\" is not tcp, udp or sctp"), std::string::npos);
  EXPECT_NE(refusal("0:80").find("is not a port"), std::string::npos);
  EXPECT_NE(refusal("65536:80").find("is not a port"), std::string::npos);
  EXPECT_NE(refusal("8080:http").find("\"http\" is not a port"), std::string::npos);
  EXPECT_NE(refusal("9000-8000:80").find("ends before it starts"), std::string::npos);
  EXPECT_NE(refusal("8000-8002:80-81").find("differ in length"), std::string::npos);
  EXPECT_NE(refusal("::1:8080:80").find("in brackets"), std::string::npos);
  EXPECT_NE(refusal("[::1]:80").find("both the published and the target"), std::string::npos);
  EXPECT_NE(refusal("[::1]8080:80").find("followed by a colon"), std::string::npos);
  EXPECT_NE(refusal("localhost:8080:80").find("is not an IP address"), std::string::npos);
  EXPECT_NE(refusal("8080:80 ").find("is not a port"), std::string::npos);
  EXPECT_NE(refusal("-1:80").find("is not a port"), std::string::npos);
  EXPECT_NE(refusal("80:").find("is not a port"), std::string::npos);
  // Every refusal says how the entry is written.
  EXPECT_NE(refusal("x").find("HOST_IP:PUBLISHED:TARGET"), std::string::npos);
}

TEST(PortSpec, ArbitraryBytesAreRefusedNeverMisread) {
  for (const std::string& text : {std::string("80\0", 3), std::string("\xff:80"),
                                  std::string("8080:80/\xe9"), std::string(300, ':')}) {
    (void)refusal(text);
  }
}

TEST(PortSpec, LongSyntax) {
  auto parsed = parse_port(LongPortFields{.target = "80",
                                          .published = "8080",
                                          .host_ip = "127.0.0.1",
                                          .protocol = "udp",
                                          .mode = "host"},
                           kWhere);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->text(), "127.0.0.1:8080:80/udp");
  parsed = parse_port(LongPortFields{.target = "80", .published = "8000-8005"}, kWhere);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->text(), "8000-8005:80/tcp");

  for (const auto& bad : {LongPortFields{}, LongPortFields{.target = "80-81"},
                          LongPortFields{.target = "80", .published = "x"},
                          LongPortFields{.target = "80", .host_ip = "nowhere"},
                          LongPortFields{.target = "80", .mode = "bridge"}}) {
    const auto refused = parse_port(bad, kWhere);
    ASSERT_FALSE(refused) << refused->text();
    EXPECT_NE(refused.error().message.find("the long form takes target"), std::string::npos)
        << refused.error().message;
  }
}

}  // namespace
}  // namespace wharf::stack
