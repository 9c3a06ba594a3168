#include "wharf/core/env_file_parser.hpp"

#include <algorithm>

namespace wharf {

using dotenv::excerpt;
using dotenv::is_blank;
using dotenv::is_key_start;
using dotenv::kByteOrderMark;

std::string dotenv::excerpt(std::string_view text) {
  constexpr std::size_t kMax = 40;
  std::string out(text.substr(0, std::min(text.find_first_of("\r\n"), kMax)));
  if (out.size() < text.size() && text.find_first_of("\r\n") > kMax) {
    out += "…";
  }
  return out;
}

namespace {

// Walks the text once, statement by statement, recording byte offsets so that set() can
// rewrite a value without re-serialising anything else.
class Reader {
 public:
  using Statement = EnvFileParser::Statement;
  using Quoting = EnvFileParser::Quoting;

  Reader(std::string_view text, std::string_view source) : text_(text), source_(source) {}

  Result<std::vector<Statement>> run() {
    if (text_.starts_with(kByteOrderMark)) {
      pos_ = kByteOrderMark.size();
    }
    while (pos_ < text_.size()) {
      const std::size_t line_begin = pos_;
      skip_blanks();
      if (at_end()) {
        break;
      }
      if (text_[pos_] == '\n') {
        ++pos_;
        ++line_;
        continue;
      }
      if (text_[pos_] == '#') {
        pos_ = end_of_line(pos_);
        continue;
      }
      auto statement = parse_statement(line_begin);
      if (!statement) {
        return std::unexpected(std::move(statement.error()));
      }
      statements_.push_back(std::move(*statement));
    }
    return std::move(statements_);
  }

 private:
  std::string_view text_;
  std::string_view source_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::vector<Statement> statements_;

  [[nodiscard]] bool at_end() const noexcept { return pos_ >= text_.size(); }
  [[nodiscard]] bool at_line_end() const noexcept { return at_end() || text_[pos_] == '\n'; }

  void skip_blanks() noexcept {
    while (!at_end() && is_blank(text_[pos_])) {
      ++pos_;
    }
  }

  [[nodiscard]] std::size_t end_of_line(std::size_t from) const noexcept {
    return std::min(text_.find('\n', from), text_.size());
  }

  // The end of the line's content: before its '\n' and the '\r' of a CRLF.
  [[nodiscard]] std::size_t content_end(std::size_t from) const noexcept {
    std::size_t end = end_of_line(from);
    if (end > from && text_[end - 1] == '\r' && end < text_.size()) {
      --end;
    }
    return end;
  }

  [[nodiscard]] std::unexpected<Error> error(std::size_t line, std::string_view what,
                                             std::string_view todo) const {
    return fail(ErrorKind::invalid_input, std::string(source_) + ":" + std::to_string(line) + ": " +
                                              std::string(what) + " — " + std::string(todo));
  }

  Result<Statement> parse_statement(std::size_t line_begin) {
    Statement statement;
    statement.span.line = line_;
    statement.span.begin = line_begin;

    // `export KEY=...` is shell syntax compose accepts; a key named `export` stays possible.
    if (text_.substr(pos_).starts_with("export") && pos_ + 6 < text_.size() &&
        is_blank(text_[pos_ + 6])) {
      std::size_t after = pos_ + 6;
      while (after < text_.size() && is_blank(text_[after])) {
        ++after;
      }
      if (after < text_.size() && is_key_start(text_[after])) {
        pos_ = after;
      }
    }

    const std::size_t key_begin = pos_;
    while (!at_end() && !is_blank(text_[pos_]) && text_[pos_] != '=' && text_[pos_] != '\n') {
      ++pos_;
    }
    statement.key = std::string(text_.substr(key_begin, pos_ - key_begin));
    statement.key_end = pos_;
    if (statement.key.empty()) {
      return error(line_,
                   "the line \"" + excerpt(text_.substr(line_begin)) + "\" has no name before '='",
                   "write it as KEY=VALUE, or start it with # to make it a comment");
    }
    if (!EnvFile::is_valid_key(statement.key)) {
      return error(line_, "\"" + excerpt(statement.key) + "\" is not a valid variable name",
                   "names start with a letter or _ and contain only letters, digits, _, . and - "
                   "(start the line with # to make it a comment)");
    }

    skip_blanks();
    if (at_line_end()) {
      statement.value_begin = statement.value_end = statement.key_end;
      statement.span.end = content_end(line_begin);
      return statement;
    }
    if (text_[pos_] != '=') {
      return error(line_,
                   "expected '=' after the name " + statement.key + " but found \"" +
                       excerpt(text_.substr(pos_)) + "\"",
                   "write the line as KEY=VALUE (quote a value that contains spaces), or start "
                   "it with # to make it a comment");
    }
    ++pos_;
    const std::size_t after_equals = pos_;
    skip_blanks();
    if (!at_end() && (text_[pos_] == '"' || text_[pos_] == '\'')) {
      return parse_quoted(std::move(statement));
    }
    return parse_unquoted(std::move(statement), after_equals);
  }

  Result<Statement> parse_unquoted(Statement statement, std::size_t after_equals) {
    const std::size_t line_end = end_of_line(pos_);
    std::size_t value_end = line_end;
    for (std::size_t i = pos_; i < line_end; ++i) {
      // text_[after_equals - 1] is '=', so i - 1 is always inside the text.
      if (text_[i] == '#' && is_blank(text_[i - 1])) {
        value_end = i;
        break;
      }
    }
    while (value_end > pos_ && is_blank(text_[value_end - 1])) {
      --value_end;
    }
    statement.value = std::string(text_.substr(pos_, value_end - pos_));
    statement.interpolation = statement.value;
    // An empty value is anchored right after '=' so that writing one there keeps the blanks
    // that separate it from an inline comment.
    statement.value_begin = statement.value->empty() ? after_equals : pos_;
    statement.value_end = statement.value->empty() ? after_equals : value_end;
    statement.span.end = content_end(statement.span.begin);
    pos_ = line_end;
    return statement;
  }

  Result<Statement> parse_quoted(Statement statement) {
    const char quote = text_[pos_];
    const std::size_t start_line = line_;
    statement.quoting = quote == '"' ? Quoting::double_quotes : Quoting::single;
    statement.value_begin = pos_;
    std::string value;
    std::string interpolation;  // The value with `\$` as `$$`, as compose expands it.
    std::size_t i = pos_ + 1;
    bool closed = false;
    while (i < text_.size()) {
      const char c = text_[i];
      if (c == quote) {
        closed = true;
        break;
      }
      if (c == '\\' && quote == '"' && i + 1 < text_.size()) {
        const char next = text_[i + 1];
        switch (next) {
          case 'n':
            value += '\n';
            break;
          case 't':
            value += '\t';
            break;
          case 'r':
            value += '\r';
            break;
          case '\\':
          case '"':
            value += next;
            break;
          case '$':
            value += next;
            interpolation += '$';  // With the one added below: `$$`, a literal `$`.
            break;
          default:
            value += c;
            interpolation += c;
            value += next;  // Unknown escapes stay as written, like compose.
        }
        interpolation += value.back();
        line_ += next == '\n' ? 1 : 0;
        i += 2;
        continue;
      }
      line_ += c == '\n' ? 1 : 0;
      value += c;
      interpolation += c;
      ++i;
    }
    if (!closed) {
      const std::string kind = quote == '"' ? "double-quoted" : "single-quoted";
      return error(start_line, "the " + kind + " value of " + statement.key + " is never closed",
                   std::string("add the closing ") + quote +
                       " (a quoted value may span several lines, but it must end" +
                       (quote == '"' ? "; \\\" inside it does not end it)" : ")"));
    }
    statement.value = std::move(value);
    if (quote == '"') {
      statement.interpolation = std::move(interpolation);
    }
    statement.value_end = i + 1;
    pos_ = i + 1;
    skip_blanks();
    if (!at_end() && text_[pos_] == '#') {
      pos_ = end_of_line(pos_);
    }
    if (!at_line_end()) {
      return error(line_,
                   "unexpected text \"" + excerpt(text_.substr(pos_)) +
                       "\" after the closing quote of " + statement.key,
                   "remove it, or put it after a # to make it a comment");
    }
    // pos_ is now at the line's '\n' (or the end); a '\r' before it belongs to the line ending.
    statement.span.end = pos_;
    if (pos_ < text_.size() && pos_ > statement.value_end && text_[pos_ - 1] == '\r') {
      --statement.span.end;
    }
    return statement;
  }
};

}  // namespace

Result<std::vector<EnvFileParser::Statement>> EnvFileParser::parse(std::string_view text,
                                                                   std::string_view source) {
  return Reader(text, source).run();
}

}  // namespace wharf
