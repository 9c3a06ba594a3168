#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wharf/core/error.hpp"

namespace wharf {

/// The text of a `.env` file as `docker compose` reads it, with an editor that changes one value
/// and leaves every other byte alone. This is a pure value type: it never touches the disk (see
/// wharf/pin/env_update.hpp for the locked read-modify-write).
///
/// The syntax accepted is compose's dotenv syntax:
///   - blank lines and full-line comments (`#` after optional whitespace);
///   - `KEY=VALUE`, optionally prefixed by `export `, with whitespace allowed around the key and
///     the `=`; keys match [A-Za-z_][A-Za-z0-9_.-]*;
///   - unquoted values: trailing whitespace is trimmed and an inline comment starts at whitespace
///     followed by `#` (`a#b` is the value "a#b", `a #b` is "a");
///   - single-quoted values are literal (no escapes) and may span lines;
///   - double-quoted values understand \n \t \r \\ \" \$ (any other backslash is kept as
///     written), may span lines and keep `#`;
///   - after a closing quote only whitespace and an optional `#` comment may follow;
///   - a bare `KEY` line (no `=`): compose fills it from the process environment; EnvFile never
///     looks at the environment, so such a line gives no value (as in compose when the variable is
///     unset) and does not hide an earlier `KEY=...`;
///   - LF or CRLF line endings, a missing final newline and a UTF-8 byte order mark.
///
/// Values are kept literally: `${VAR}` is *not* expanded here, so an edit round-trips byte for
/// byte. compose does expand unquoted and double-quoted values (which is why set() writes a `$`
/// only where compose keeps it literal); assignments() gives what a reader needs to expand
/// them as compose does (wharf/stack/project_variables.hpp).
class EnvFile {
 public:
  /// Where the statement that defines a key sits in text(): the 1-based line it starts on and the
  /// byte range from the start of that line to the end of the statement (its inline comment
  /// included, its line ending excluded).
  struct Span {
    std::size_t line = 0;
    std::size_t begin = 0;
    std::size_t end = 0;
  };

  /// An empty file (parse("", "<empty>")).
  EnvFile() = default;

  /// Parses `content`. On a malformed line returns an invalid_input error whose message is
  /// "<source_name>:<line>: <what is wrong> — <what to do>". `source_name` (usually the path)
  /// is kept for later error messages.
  [[nodiscard]] static Result<EnvFile> parse(std::string content, std::string source_name);

  /// The effective value of `key`: the last `KEY=...` in the file, or nullopt when no line gives
  /// it a value (absent, or only bare `KEY` lines).
  [[nodiscard]] std::optional<std::string> get(std::string_view key) const;

  /// True when get(key) has a value.
  [[nodiscard]] bool has(std::string_view key) const;

  /// Every key that has a value, in the order of its first appearance, with its effective (last)
  /// value.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> entries() const;

  /// One `KEY=value` statement as compose evaluates it, in file order.
  struct Assignment {
    std::string key;
    std::string value;  ///< As written, quotes and escapes decoded, not interpolated.
    /// What compose interpolates (`$$` for a literal `$`), or nullopt for a single-quoted
    /// value, which compose keeps literal.
    std::optional<std::string> interpolation;
    std::size_t line = 0;  ///< 1-based, where the statement starts.
  };

  /// Every statement that gives a value, in file order (a key may appear more than once; the
  /// last one wins), for a reader that evaluates the file as compose does. Bare `KEY` lines are
  /// left out.
  [[nodiscard]] std::vector<Assignment> assignments() const;

  /// Where the last statement naming `key` (bare or with a value) is, or nullopt if none does.
  [[nodiscard]] std::optional<Span> span_of(std::string_view key) const;

  /// Gives `key` the value `value`, byte-exactly:
  ///   - if the key occurs, only the value of its last occurrence is rewritten; the quoting style
  ///     is kept when it can represent the value (single quotes cannot hold `'`; unquoted cannot
  ///     hold whitespace, quotes, `$` or a leading `#`), otherwise the value is written in double
  ///     quotes with escapes. A bare `KEY` becomes `KEY=value`;
  ///   - otherwise `KEY=value` is appended with the file's dominant line ending; a file without a
  ///     final newline keeps having none.
  /// Fails with invalid_input (and changes nothing) when `key` is not a valid key.
  [[nodiscard]] Result<void> set(std::string_view key, std::string_view value);

  /// The exact bytes of the file, including every edit made so far.
  [[nodiscard]] const std::string& text() const { return text_; }

  /// The name given to parse(), used in error messages.
  [[nodiscard]] const std::string& source_name() const { return source_name_; }

  /// True when `key` matches [A-Za-z_][A-Za-z0-9_.-]*.
  [[nodiscard]] static bool is_valid_key(std::string_view key) noexcept;

 private:
  friend class EnvFileParser;  // Reads statements_ (wharf/core/env_file_parser.hpp).

  enum class Quoting { none, single, double_quotes };

  /// One statement as the parser found it, with the byte offsets set() needs.
  struct Statement {
    std::string key;
    std::optional<std::string> value;  ///< nullopt for a bare `KEY` line.
    /// The value as compose interpolates it: unquoted as written, double-quoted with its
    /// escapes decoded except `\$`, which becomes `$$` (a literal `$`); nullopt when the value
    /// is literal (single-quoted) or absent.
    std::optional<std::string> interpolation;
    Quoting quoting = Quoting::none;
    Span span;
    std::size_t key_end = 0;      ///< Just past the key: where `=value` goes for a bare key.
    std::size_t value_begin = 0;  ///< The value token, quotes included.
    std::size_t value_end = 0;
  };

  std::string text_;
  std::string source_name_ = "<empty>";
  std::vector<Statement> statements_;

  [[nodiscard]] const Statement* last_statement(std::string_view key) const;
};

}  // namespace wharf
