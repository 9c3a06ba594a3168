#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "wharf/core/error.hpp"
#include "wharf/output/table.hpp"

namespace wharf {

struct ConsoleOptions {
  bool json = false;           ///< --json: stdout carries exactly one JSON document.
  bool color = false;          ///< ANSI colour on stdout (TTY and not NO_COLOR / --no-color).
  bool stdout_is_tty = false;  ///< Live progress lines only on a terminal.
  bool stderr_is_tty = false;
};

/// The one place that knows where output goes and in which form. Commands hand it data
/// (a table, a JSON document, a sentence); it decides about JSON, colour and TTY.
class Console {
 public:
  explicit Console(ConsoleOptions options) : options_(options) {}

  [[nodiscard]] const ConsoleOptions& options() const { return options_; }
  [[nodiscard]] bool json() const { return options_.json; }

  /// Human output on stdout; suppressed in --json mode (the JSON document is the output).
  void line(std::string_view text) const;
  void table(const Table& table) const;
  /// The JSON document for --json mode, pretty-printed on a TTY, compact on a pipe.
  void json(const nlohmann::json& document) const;
  /// A note for humans on stderr (never pollutes stdout for scripts).
  void note(std::string_view text) const;
  /// Reports an error on stderr as "wharf: error: <message>".
  void error(const Error& error) const;

  [[nodiscard]] std::string paint(std::string_view text, Tone tone) const;

 private:
  ConsoleOptions options_;
};

}  // namespace wharf
