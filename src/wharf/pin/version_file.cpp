#include "wharf/pin/version_file.hpp"

#include "wharf/util/atomic_file.hpp"

namespace wharf::pin {

Result<std::optional<SemVer>> read_version_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return std::optional<SemVer>{};
  }
  auto content = read_text_file(path);
  if (!content) {
    return std::unexpected(content.error());
  }
  // Tolerate a trailing newline (and CRLF from editors); anything else must be exactly one version.
  std::string text = *content;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' ||
                           text.back() == '\t')) {
    text.pop_back();
  }
  const auto fix =
      " — write a single version such as v1.2.3 into it (or delete it), then run "
      "wharf pin again";
  if (text.empty()) {
    return fail(ErrorKind::invalid_input, path.string() + ":1: the file is empty" + fix);
  }
  if (const auto newline = text.find('\n'); newline != std::string::npos) {
    return fail(
        ErrorKind::invalid_input,
        path.string() + ":2: the file has more than one line; it must hold only the version" + fix);
  }
  auto version = SemVer::parse(text);
  if (!version) {
    return fail(ErrorKind::invalid_input, path.string() + ":1: " + version.error().message + fix);
  }
  return std::optional<SemVer>(*version);
}

std::string version_file_content(const SemVer& version) {
  return version.tag_name() + "\n";
}

}  // namespace wharf::pin
