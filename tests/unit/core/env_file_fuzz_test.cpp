// Seeded random tests of EnvFile: files built from the dotenv grammar (so the expected entries
// and each statement's byte range are known independently of the parser) and random byte soup
// (which must never crash the parser). For every file that parses, set() of a random value must
// read back as exactly one changed entry with every byte outside that statement untouched.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "wharf/core/env_file.hpp"

namespace wharf {
namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

class Generator {
 public:
  explicit Generator(std::uint32_t seed) : random_(seed) {}

  std::size_t below(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_);
  }
  bool chance(int percent) { return below(100) < static_cast<std::size_t>(percent); }

  std::string pick(std::string_view alphabet, std::size_t min_length, std::size_t max_length) {
    std::string out;
    const std::size_t length = min_length + below(max_length - min_length + 1);
    for (std::size_t i = 0; i < length; ++i) {
      out += alphabet[below(alphabet.size())];
    }
    return out;
  }

  std::string blanks(std::size_t max) { return pick(" \t", 0, max); }

  // A small pool so that keys repeat and "last occurrence wins" is exercised.
  std::string key() {
    static const std::vector<std::string> pool = {"A",      "IMAGE_TAG", "b.c-d", "_x",
                                                  "export", "exportY",   "K9"};
    return pool[below(pool.size())];
  }

  // Any byte string, biased toward the characters that matter to the syntax.
  std::string value() {
    if (chance(50)) {
      return pick("aZ09 \t#'\"\\$={}\n\r-_.:/@", 0, 12);
    }
    std::string out;
    const std::size_t length = below(10);
    for (std::size_t i = 0; i < length; ++i) {
      out += static_cast<char>(below(256));
    }
    return out;
  }

  std::mt19937& engine() { return random_; }

 private:
  std::mt19937 random_;
};

struct GeneratedStatement {
  std::string key;
  std::optional<std::string> value;
  std::size_t begin = 0;
  std::size_t end = 0;
};

struct GeneratedFile {
  std::string text;
  std::vector<GeneratedStatement> statements;

  [[nodiscard]] Entries entries() const {
    Entries result;
    for (const auto& statement : statements) {
      if (!statement.value) {
        continue;
      }
      auto found = std::ranges::find(result, statement.key, &Entries::value_type::first);
      if (found == result.end()) {
        result.emplace_back(statement.key, *statement.value);
      } else {
        found->second = *statement.value;
      }
    }
    return result;
  }
};

// Writes one `KEY=value` statement and returns the value the syntax gives it.
std::optional<std::string> write_statement(Generator& g, std::string& text,
                                           const std::string& key) {
  text += g.blanks(2);
  if (g.chance(20)) {
    text += "export" + g.pick(" \t", 1, 2);
  }
  text += key;
  if (g.chance(10)) {
    text += g.blanks(2);  // A bare key: it may only be followed by blanks.
    return std::nullopt;
  }
  text += g.blanks(2) + "=";
  std::string value;
  bool quoted = true;
  switch (g.below(3)) {
    case 0: {
      quoted = false;
      // No blanks, quotes or line breaks; '#' never first (after `= ` it would start a comment).
      value = g.pick("abcXYZ0129-_./:@=+,%#\\{}$", 0, 10);
      if (!value.empty() && value.front() == '#') {
        value.front() = 'h';
      }
      text += (value.empty() ? "" : g.blanks(2)) + value;
      break;
    }
    case 1:
      value = g.pick("ab #\"$\\\n\r\t=", 0, 10);
      text += g.blanks(2) + "'" + value + "'";
      break;
    default: {
      text += g.blanks(2) + "\"";
      for (std::size_t i = g.below(10); i > 0; --i) {
        static const std::vector<std::pair<std::string, std::string>> pieces = {
            {"a", "a"},    {" ", " "},     {"#", "#"},    {"'", "'"},     {"\n", "\n"},
            {"\\n", "\n"}, {"\\t", "\t"},  {"\\r", "\r"}, {"\\\\", "\\"}, {"\\\"", "\""},
            {"\\$", "$"},  {"\\q", "\\q"}, {"$X", "$X"},  {"=", "="}};
        const auto& [written, meaning] = pieces[g.below(pieces.size())];
        text += written;
        value += meaning;
      }
      text += "\"";
    }
  }
  text += g.blanks(2);
  if (g.chance(30)) {
    // After an unquoted value a comment needs a blank before its '#'.
    text += (quoted || text.back() == ' ' || text.back() == '\t' ? "" : " ") + std::string("# ") +
            g.pick("ab #'\"=", 0, 6);
  }
  return value;
}

GeneratedFile generate(Generator& g) {
  GeneratedFile file;
  if (g.chance(5)) {
    file.text += "\xEF\xBB\xBF";
  }
  const std::string_view eol = g.chance(30) ? "\r\n" : "\n";
  const std::size_t lines = g.below(8);
  for (std::size_t i = 0; i < lines; ++i) {
    const std::size_t begin = file.text.size();
    switch (g.below(6)) {
      case 0:
        file.text += g.blanks(3);
        break;
      case 1:
        file.text += g.blanks(2) + "#" + g.pick("ab =#'\"", 0, 8);
        break;
      default: {
        GeneratedStatement statement{g.key(), std::nullopt, begin, 0};
        statement.value = write_statement(g, file.text, statement.key);
        statement.end = file.text.size();
        file.statements.push_back(std::move(statement));
      }
    }
    const bool last = i + 1 == lines;
    if (!last || g.chance(70)) {
      file.text += g.chance(90) ? eol : (eol == "\n" ? "\r\n" : "\n");
    }
  }
  return file;
}

void set_random_value_and_check(Generator& g, EnvFile file, const std::string& key,
                                std::optional<std::pair<std::size_t, std::size_t>> span) {
  const std::string before = file.text();
  Entries expected = file.entries();
  const std::string value = g.value();
  auto existing = std::ranges::find(expected, key, &Entries::value_type::first);
  const bool bare = existing == expected.end() && span.has_value();
  if (existing != expected.end()) {
    existing->second = value;
  } else {
    expected.emplace_back(key, value);
  }

  auto result = file.set(key, value);
  ASSERT_TRUE(result) << result.error().message << "\nfile: " << before;
  auto reread = EnvFile::parse(file.text(), "fuzz.env");
  ASSERT_TRUE(reread) << reread.error().message << "\nedited: " << file.text();
  if (bare) {
    auto got = reread->entries();
    std::ranges::sort(got);
    std::ranges::sort(expected);
    EXPECT_EQ(got, expected) << "file: " << before;
  } else {
    EXPECT_EQ(reread->entries(), expected) << "file: " << before;
  }

  const std::string& after = file.text();
  if (span) {
    const auto [begin, end] = *span;
    const std::size_t tail = before.size() - end;
    ASSERT_GE(after.size(), begin + tail);
    EXPECT_EQ(after.substr(0, begin), before.substr(0, begin));
    EXPECT_EQ(after.substr(after.size() - tail), before.substr(end));
  } else {
    EXPECT_EQ(after.substr(0, before.size()), before) << "an append changed existing bytes";
  }
}

TEST(EnvFileFuzz, GrammarFilesParseAndEditExactly) {
  Generator g(20260301);
  for (int round = 0; round < 4000; ++round) {
    const GeneratedFile generated = generate(g);
    auto file = EnvFile::parse(generated.text, "fuzz.env");
    ASSERT_TRUE(file) << file.error().message << "\nfile: " << generated.text;
    ASSERT_EQ(file->entries(), generated.entries()) << "file: " << generated.text;

    const std::string key = g.chance(80) ? g.key() : "NEW_" + std::to_string(round);
    std::optional<std::pair<std::size_t, std::size_t>> span;
    for (const auto& statement : generated.statements) {
      if (statement.key == key) {
        span = std::pair(statement.begin, statement.end);
      }
    }
    auto reported = file->span_of(key);
    ASSERT_EQ(reported.has_value(), span.has_value());
    if (span) {
      EXPECT_EQ(reported->begin, span->first) << "file: " << generated.text;
      EXPECT_EQ(reported->end, span->second) << "file: " << generated.text;
    }
    set_random_value_and_check(g, std::move(*file), key, span);
    if (HasFailure()) {
      return;  // One readable failure beats thousands.
    }
  }
}

TEST(EnvFileFuzz, ByteSoupNeverCrashesAndEditsWhatParses) {
  Generator g(7);
  int parsed = 0;
  for (int round = 0; round < 50000; ++round) {
    std::string soup;
    const std::size_t length = g.below(40);
    for (std::size_t i = 0; i < length; ++i) {
      constexpr std::string_view kSyntax = "A=#'\"\\ \t\r\nx_1e$.";
      soup += g.chance(85) ? kSyntax[g.below(kSyntax.size())] : static_cast<char>(g.below(256));
    }
    auto file = EnvFile::parse(soup, "soup.env");
    if (!file) {
      EXPECT_EQ(file.error().kind, ErrorKind::invalid_input);
      EXPECT_TRUE(file.error().message.starts_with("soup.env:")) << file.error().message;
      continue;
    }
    ++parsed;
    const auto entries = file->entries();
    const std::string key =
        !entries.empty() && g.chance(80) ? entries[g.below(entries.size())].first : "x_1";
    std::optional<std::pair<std::size_t, std::size_t>> span;
    if (auto reported = file->span_of(key)) {
      span = std::pair(reported->begin, reported->end);
    }
    set_random_value_and_check(g, std::move(*file), key, span);
    if (HasFailure()) {
      return;
    }
  }
  // The soup must reach the editor often enough for the property to mean something.
  EXPECT_GT(parsed, 4000);
}

}  // namespace
}  // namespace wharf
