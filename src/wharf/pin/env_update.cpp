#include "wharf/pin/env_update.hpp"

#include "wharf/util/atomic_file.hpp"

namespace wharf {

Result<EnvFile> load_env_file(const std::filesystem::path& path) {
  auto content = read_text_file(path);
  if (!content) {
    return std::unexpected(std::move(content.error()));
  }
  return EnvFile::parse(std::move(*content), path.string());
}

Error missing_env_file(const pin::ProjectLayout& layout) {
  const auto env = layout.env_file().string();
  const auto elsewhere = ", or pass -C/--root with the folder of the project that has one";
  std::error_code ec;
  if (std::filesystem::exists(layout.env_template(), ec)) {
    return Error::make(ErrorKind::invalid_input, "no " + env +
                                                     ": run `wharf pin` to create it from " +
                                                     layout.env_template().string() + elsewhere);
  }
  return Error::make(ErrorKind::invalid_input,
                     "no " + env +
                         " (nor docker/.env.example to create it from): create it with "
                         "the stack's settings (IMAGE_TAG=…, WORKER_IMAGE=…)" +
                         elsewhere);
}

Result<bool> update_env_file(const std::filesystem::path& env_path,
                             const std::function<Result<void>(EnvFile&)>& edit,
                             const std::optional<std::filesystem::path>& template_path) {
  // write_file_atomically edits a symlinked file where it lives, so the lock goes there too.
  std::error_code error;
  std::filesystem::path real_path = env_path;
  if (std::filesystem::is_symlink(env_path, error)) {
    auto resolved = std::filesystem::weakly_canonical(env_path, error);
    if (!error) {
      real_path = std::move(resolved);
    }
  }
  std::filesystem::path directory = real_path.parent_path();
  if (directory.empty()) {
    directory = ".";
  }
  // The lock must cover the read as well as the write, or two writers could both read the old
  // text and the second rename would drop the first one's change.
  auto lock = DirectoryLock::acquire(directory);
  if (!lock) {
    return std::unexpected(std::move(lock.error()));
  }
  // Under the lock no other writer is between its write and its rename: any temporary file
  // there is the leftover of one that was killed.
  (void)remove_stale_temporaries(env_path);

  std::optional<std::string> on_disk;
  std::string content;
  std::filesystem::path source = env_path;
  if (auto read = read_text_file(env_path)) {
    on_disk = *read;
    content = std::move(*read);
  } else if (read.error().kind != ErrorKind::not_found) {
    return std::unexpected(std::move(read.error()));
  } else if (template_path) {
    auto from_template = read_text_file(*template_path);
    if (!from_template) {
      return std::unexpected(std::move(from_template.error()));
    }
    content = std::move(*from_template);
    source = *template_path;
  }

  auto file = EnvFile::parse(std::move(content), source.string());
  if (!file) {
    return std::unexpected(std::move(file.error()));
  }
  if (auto edited = edit(*file); !edited) {
    return std::unexpected(std::move(edited.error()));
  }
  const bool changed = on_disk ? file->text() != *on_disk : !file->text().empty();
  if (!changed) {
    return false;
  }
  if (auto written = write_file_atomically(env_path, file->text()); !written) {
    return std::unexpected(std::move(written.error()));
  }
  return true;
}

}  // namespace wharf
