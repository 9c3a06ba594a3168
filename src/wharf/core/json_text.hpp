#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "wharf/core/error.hpp"

namespace wharf {

enum class JsonLayout {
  compact,  ///< One line: results lines, the history, a --json document on a pipe.
  indented  ///< Two-space indentation: a --json document on a terminal, the journal.
};

/// The one way wharf writes a JSON document for people and programs (--json on stdout, the
/// results file, the update journal and history). It never throws: strings are arbitrary
/// bytes (log lines, health output, paths) and JSON can only carry UTF-8, so each byte that
/// is not part of a UTF-8 character is written as U+FFFD.
[[nodiscard]] std::string json_text(const nlohmann::json& document,
                                    JsonLayout layout = JsonLayout::compact);

/// A request body for a peer (the Engine API), where a replaced byte would change what runs:
/// fails with ErrorKind::invalid_input, naming the field (as a JSON pointer) and the byte
/// offset, when a string is not UTF-8. Nothing is replaced.
[[nodiscard]] Result<std::string> json_request_body(const nlohmann::json& body);

}  // namespace wharf
