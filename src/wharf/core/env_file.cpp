#include "wharf/core/env_file.hpp"

#include <algorithm>
#include <unordered_map>

#include "wharf/core/env_file_parser.hpp"

namespace wharf {
namespace {

using dotenv::excerpt;
using dotenv::is_blank;
using dotenv::is_key_char;
using dotenv::is_key_start;
using dotenv::kByteOrderMark;

// An unquoted value is read up to the end of the line, loses trailing blanks, ends at a
// blank followed by '#', and is expanded by compose when it holds '$'. A value is written
// unquoted only when it survives all of that unchanged.
bool fits_unquoted(std::string_view value) noexcept {
  if (!value.empty() && value.front() == '#') {
    return false;  // After `KEY= ` the '#' would start a comment.
  }
  return std::ranges::none_of(
      value, [](char c) { return is_blank(c) || c == '\n' || c == '"' || c == '\'' || c == '$'; });
}

std::string double_quoted(std::string_view value) {
  std::string out = "\"";
  for (const char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      // compose expands `$` in double quotes; the escape keeps it literal there too.
      case '$':
        out += "\\$";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += c;
    }
  }
  out += '"';
  return out;
}

std::string_view dominant_line_ending(std::string_view text) noexcept {
  std::size_t crlf = 0;
  std::size_t lf = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      (i > 0 && text[i - 1] == '\r' ? crlf : lf) += 1;
    }
  }
  return crlf > lf ? "\r\n" : "\n";
}

}  // namespace

Result<EnvFile> EnvFile::parse(std::string content, std::string source_name) {
  auto statements = EnvFileParser::parse(content, source_name);
  if (!statements) {
    return std::unexpected(std::move(statements.error()));
  }
  EnvFile file;
  file.text_ = std::move(content);
  file.source_name_ = std::move(source_name);
  file.statements_ = std::move(*statements);
  return file;
}

bool EnvFile::is_valid_key(std::string_view key) noexcept {
  return !key.empty() && is_key_start(key.front()) &&
         std::ranges::all_of(key.substr(1), [](char c) { return is_key_char(c); });
}

const EnvFile::Statement* EnvFile::last_statement(std::string_view key) const {
  const auto found =
      std::ranges::find(statements_.rbegin(), statements_.rend(), key,
                        [](const Statement& s) -> std::string_view { return s.key; });
  return found == statements_.rend() ? nullptr : &*found;
}

std::optional<std::string> EnvFile::get(std::string_view key) const {
  for (auto it = statements_.rbegin(); it != statements_.rend(); ++it) {
    if (it->key == key && it->value) {
      return it->value;
    }
  }
  return std::nullopt;
}

bool EnvFile::has(std::string_view key) const {
  return get(key).has_value();
}

std::vector<std::pair<std::string, std::string>> EnvFile::entries() const {
  std::vector<std::pair<std::string, std::string>> result;
  std::unordered_map<std::string_view, std::size_t> index;
  for (const auto& statement : statements_) {
    if (!statement.value) {
      continue;
    }
    const auto [it, inserted] = index.try_emplace(statement.key, result.size());
    if (inserted) {
      result.emplace_back(statement.key, *statement.value);
    } else {
      result[it->second].second = *statement.value;
    }
  }
  return result;
}

std::vector<EnvFile::Assignment> EnvFile::assignments() const {
  std::vector<Assignment> found;
  for (const auto& statement : statements_) {
    if (statement.value) {
      found.push_back(
          {statement.key, *statement.value, statement.interpolation, statement.span.line});
    }
  }
  return found;
}

std::optional<EnvFile::Span> EnvFile::span_of(std::string_view key) const {
  const Statement* statement = last_statement(key);
  return statement == nullptr ? std::nullopt : std::optional<Span>(statement->span);
}

Result<void> EnvFile::set(std::string_view key, std::string_view value) {
  if (!is_valid_key(key)) {
    return fail(ErrorKind::invalid_input,
                "cannot set \"" + excerpt(key) + "\" in " + source_name_ +
                    ": it is not a valid variable name — names start with a letter or _ and "
                    "contain only letters, digits, _, . and -");
  }
  std::string updated;
  if (const Statement* statement = last_statement(key)) {
    std::string token;
    switch (statement->value ? statement->quoting : Quoting::none) {
      case Quoting::none:
        token = fits_unquoted(value) ? std::string(value) : double_quoted(value);
        break;
      case Quoting::single:
        token = value.find('\'') == std::string_view::npos ? "'" + std::string(value) + "'"
                                                           : double_quoted(value);
        break;
      case Quoting::double_quotes:
        token = double_quoted(value);
        break;
    }
    if (!statement->value) {
      token.insert(0, "=");
    }
    updated = text_;
    updated.replace(statement->value_begin, statement->value_end - statement->value_begin, token);
  } else {
    const std::string_view eol = dominant_line_ending(text_);
    const std::string line =
        std::string(key) + "=" + (fits_unquoted(value) ? std::string(value) : double_quoted(value));
    const bool empty = text_.empty() || text_ == kByteOrderMark;
    updated = empty || text_.ends_with('\n') ? text_ + line + std::string(eol)
                                             : text_ + std::string(eol) + line;
  }
  // Re-reading the result proves the edit did what it claims before anything is kept.
  auto reparsed = parse(std::move(updated), source_name_);
  if (!reparsed || reparsed->get(key) != value) {
    return fail(ErrorKind::internal,
                "setting " + std::string(key) + " in " + source_name_ +
                    " produced text that does not read back as the new value; the file was not "
                    "changed — please report this as a wharf bug with the file attached");
  }
  *this = std::move(*reparsed);
  return {};
}

}  // namespace wharf
