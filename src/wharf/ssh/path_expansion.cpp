#include "wharf/ssh/path_expansion.hpp"

namespace wharf::ssh {

std::expected<std::string, std::string> expand_tilde(std::string_view text,
                                                     const std::filesystem::path& home) {
  if (!text.starts_with('~')) {
    return std::string(text);
  }
  if (text.size() > 1 && text[1] != '/') {
    const auto name = text.substr(1, text.find('/') - 1);
    return std::unexpected("\"~" + std::string(name) +
                           "\" names another user's home directory, which wharf does not look "
                           "up; write the full path");
  }
  if (home.empty()) {
    return std::unexpected(
        "\"~\" cannot be expanded because the home directory is unknown; set "
        "HOME or write the full path");
  }
  auto result = home.string();
  if (text.size() > 1) {
    // "~/x" keeps its slash; avoid "//x" when home is "/".
    if (result.ends_with('/')) {
      result.pop_back();
    }
    result += text.substr(1);
  }
  return result;
}

std::expected<std::string, std::string> expand_percent(std::string_view text,
                                                       const std::map<char, std::string>& tokens) {
  if (text.find("${") != std::string_view::npos) {
    return std::unexpected(
        "environment variables (${...}) are not expanded by wharf; write the value instead");
  }
  std::string result;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      result += text[i];
      continue;
    }
    if (i + 1 == text.size()) {
      return std::unexpected("a single % ends the value; write %% for a literal %");
    }
    const char token = text[++i];
    if (token == '%') {
      result += '%';
      continue;
    }
    const auto found = tokens.find(token);
    if (found == tokens.end()) {
      std::string accepted;
      for (const auto& [name, value] : tokens) {
        accepted += "%" + std::string(1, name) + " ";
      }
      return std::unexpected("%" + std::string(1, token) + " is not a token wharf expands here (" +
                             accepted + "and %% are)");
    }
    result += found->second;
  }
  return result;
}

}  // namespace wharf::ssh
