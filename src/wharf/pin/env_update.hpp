#pragma once

#include <filesystem>
#include <functional>
#include <optional>

#include "wharf/core/env_file.hpp"
#include "wharf/core/error.hpp"
#include "wharf/pin/project_layout.hpp"

namespace wharf {

/// Reads and parses a `.env` file. Errors name `path`: not_found when it does not exist,
/// invalid_input with "<path>:<line>: …" when it is malformed.
[[nodiscard]] Result<EnvFile> load_env_file(const std::filesystem::path& path);

/// What to say when a command needs the project's docker/.env and there is none (exit 2): one
/// sentence naming the file and what to do — run `wharf pin` when docker/.env.example can
/// create it, else create it — or pass -C/--root with the project that has one.
[[nodiscard]] Error missing_env_file(const pin::ProjectLayout& layout);

/// One locked read-modify-write of a `.env` file, safe against other wharf processes doing the
/// same at the same time (no lost update):
///   1. takes a DirectoryLock on the file's directory (which must exist) and removes the
///      temporary files a killed writer of `env_path` left there (remove_stale_temporaries);
///   2. reads `env_path`; if it does not exist, starts from `template_path` when given (e.g.
///      `.env.example`) or from an empty file;
///   3. parses it (a parse error names the file the bytes came from) and calls `edit`;
///   4. writes the result with write_file_atomically only when the bytes differ from the file
///      on disk (an absent file is written unless the result is empty).
/// Returns whether the file was written. When `edit` fails its error is returned and nothing is
/// written.
[[nodiscard]] Result<bool> update_env_file(
    const std::filesystem::path& env_path, const std::function<Result<void>(EnvFile&)>& edit,
    const std::optional<std::filesystem::path>& template_path = std::nullopt);

}  // namespace wharf
