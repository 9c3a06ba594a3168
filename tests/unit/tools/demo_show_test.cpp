// tools/demo.sh prints each command before it runs it: what it prints must be the command,
// quoting included, so it can be pasted into a shell and do the same thing.
#include <gtest/gtest.h>

#include "support/peers.hpp"

namespace wharf::test {
namespace {

// Defines demo.sh's own show() (its one-line definition, taken from the script) and runs
// `show printf …` with arguments a shell would mangle unquoted.
constexpr const char* kScript = R"sh(
set -euo pipefail
eval "$(grep -E '^show\(\) ' "$1")"
show printf '[%s]\n' 'a b' '$(echo not run)' "it's" '' '*' 'x;y' $'tab\there'
)sh";

TEST(DemoShow, PrintsACommandThatCanBePastedBack) {
  const auto demo = std::filesystem::path(WHARF_SOURCE_DIR) / "tools" / "demo.sh";
  const auto shown = run({"bash", "-c", kScript, "bash", demo.string()});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  const auto newline = shown.out.find('\n');
  ASSERT_NE(newline, std::string::npos) << shown.out;
  const auto line = shown.out.substr(0, newline);
  const auto ran = shown.out.substr(newline + 1);
  EXPECT_EQ(ran, "[a b]\n[$(echo not run)]\n[it's]\n[]\n[*]\n[x;y]\n[tab\there]\n");
  ASSERT_TRUE(line.starts_with("$ ")) << line;
  const TempDir empty;  // A '*' that is not quoted would expand to the files here.
  write_file(empty.path() / "a-file", "");
  const auto pasted = run({"bash", "-c", line.substr(2)}, empty.path());
  EXPECT_EQ(pasted.exit_code, 0) << line << "\n" << pasted.err;
  EXPECT_EQ(pasted.out, ran) << "what demo.sh showed: " << line;
}

}  // namespace
}  // namespace wharf::test
