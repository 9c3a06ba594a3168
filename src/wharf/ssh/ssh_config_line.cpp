#include "wharf/ssh/ssh_config_line.hpp"

namespace wharf::ssh {
namespace {

// OpenSSH's WHITESPACE set; a form feed is only trimmed at the end of a line.
constexpr std::string_view kBlanks = " \t\r\n";

std::string_view trim_end(std::string_view text) {
  const auto end = text.find_last_not_of(" \t\r\n\f");
  return end == std::string_view::npos ? std::string_view{} : text.substr(0, end + 1);
}

std::string_view skip_blanks(std::string_view text) {
  const auto start = text.find_first_not_of(kBlanks);
  return start == std::string_view::npos ? std::string_view{} : text.substr(start);
}

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

}  // namespace

std::optional<KeywordAndRest> split_keyword(std::string_view line) {
  auto text = skip_blanks(trim_end(line));
  if (text.empty() || text.front() == '#') {
    return std::nullopt;
  }
  KeywordAndRest result;
  if (text.front() == '"') {
    // A quoted keyword is legal in OpenSSH; an unterminated one makes it skip the line.
    const auto close = text.find('"', 1);
    if (close == std::string_view::npos) {
      return std::nullopt;
    }
    result.keyword = text.substr(1, close - 1);
    result.rest = skip_blanks(text.substr(close + 1));
    return result;
  }
  const auto end = text.find_first_of(" \t\r\n=");
  result.keyword = text.substr(0, end);
  if (end == std::string_view::npos) {
    return result;
  }
  const bool ended_at_equals = text[end] == '=';
  auto rest = skip_blanks(text.substr(end + 1));
  // Only one '=' may separate keyword and value: `Port==22` leaves "=22" as the value.
  if (!ended_at_equals && rest.starts_with('=')) {
    rest = skip_blanks(rest.substr(1));
  }
  result.rest = rest;
  return result;
}

std::expected<std::vector<std::string>, std::string> split_arguments(std::string_view text) {
  std::vector<std::string> arguments;
  std::size_t i = 0;
  while (i < text.size()) {
    if (is_blank(text[i])) {
      ++i;
      continue;
    }
    if (text[i] == '#') {
      break;
    }
    std::string word;
    char quote = 0;
    std::size_t quote_start = 0;
    for (; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '\\' && i + 1 < text.size()) {
        const char next = text[i + 1];
        if (next == '\'' || next == '"' || next == '\\' || (quote == 0 && next == ' ')) {
          word += next;
          ++i;
        } else {
          word += c;  // An unknown escape keeps its backslash, as in OpenSSH.
        }
      } else if (quote == 0 && is_blank(c)) {
        break;
      } else if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
        quote_start = i;
      } else if (quote != 0 && c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    }
    if (quote != 0) {
      return std::unexpected("the " + std::string(quote == '"' ? "double" : "single") +
                             " quote before \"" + std::string(text.substr(quote_start + 1)) +
                             "\" is never closed");
    }
    arguments.push_back(std::move(word));
  }
  return arguments;
}

}  // namespace wharf::ssh
