#include "wharf/stack/interpolation.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>

namespace wharf::stack {
namespace {

// Far deeper than any real file nests defaults, and shallow enough that hostile text cannot
// exhaust the stack through the recursion below.
constexpr int max_nesting = 32;

[[nodiscard]] bool is_name_start(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

[[nodiscard]] bool is_name_char(char c) noexcept {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

/// What follows the name inside `${NAME…}`.
enum class Operator { none, default_if_unset, alternate_if_set, required_if_unset };

/// One left-to-right pass over the text. With a lookup it expands; without one it only records
/// the names it meets (for referenced_variables), treating every variable as unset and never
/// failing on a required one.
class Expander {
 public:
  Expander(std::string_view text, const VariableLookup* lookup, std::string_view where)
      : text_(text), lookup_(lookup), where_(where) {}

  /// Outside any `${`, a `}` is ordinary text, so this always consumes the whole text.
  [[nodiscard]] Result<std::string> run() { return expand(0, false); }

  [[nodiscard]] std::vector<std::string> take_names() { return std::move(names_); }

 private:
  std::string_view text_;
  const VariableLookup* lookup_;
  std::string_view where_;
  std::size_t pos_ = 0;
  std::vector<std::string> names_;

  /// Expands up to the end of the text or, inside `${…}`, up to (not past) the `}` that closes it.
  [[nodiscard]] Result<std::string> expand(int depth, bool inside_braces) {
    std::string out;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '}' && inside_braces) {
        return out;
      }
      if (c != '$') {
        out += c;
        ++pos_;
        continue;
      }
      auto value = substitution(depth);
      if (!value) {
        return value;
      }
      out += *value;
    }
    return out;
  }

  /// Expands the `$…` at pos_ and moves past it.
  [[nodiscard]] Result<std::string> substitution(int depth) {
    const std::size_t dollar = pos_;
    ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '$') {
      ++pos_;
      return "$";
    }
    if (pos_ < text_.size() && is_name_start(text_[pos_])) {
      return value_of(read_name()).value_or("");
    }
    if (pos_ >= text_.size() || text_[pos_] != '{') {
      return malformed("the $ at character " + std::to_string(dollar + 1) +
                       " is not followed by a variable name or {");
    }
    ++pos_;
    return braced(dollar, depth);
  }

  /// Expands `${…}` after its `${`; `dollar` is where the `$` was.
  [[nodiscard]] Result<std::string> braced(std::size_t dollar, int depth) {
    const std::string opening = "the ${ at character " + std::to_string(dollar + 1);
    if (depth >= max_nesting) {
      return malformed(opening + " nests more than " + std::to_string(max_nesting) +
                       " levels deep");
    }
    if (pos_ >= text_.size()) {
      return malformed(opening + " is never closed with }");
    }
    if (!is_name_start(text_[pos_])) {
      if (text_[pos_] == '}') {
        return malformed(opening + " has no variable name");
      }
      return malformed(opening + " is followed by '" + std::string(1, text_[pos_]) +
                       "', but a variable name starts with a letter or _");
    }
    const std::string name = read_name();
    if (pos_ >= text_.size()) {
      return malformed(opening + " is never closed with }");
    }
    if (text_[pos_] == '}') {
      ++pos_;
      return value_of(name).value_or("");
    }

    const bool colon = text_[pos_] == ':';
    const std::size_t op_at = colon ? pos_ + 1 : pos_;
    const char op_char = op_at < text_.size() ? text_[op_at] : '\0';
    Operator op = Operator::none;
    switch (op_char) {
      case '-':
        op = Operator::default_if_unset;
        break;
      case '+':
        op = Operator::alternate_if_set;
        break;
      case '?':
        op = Operator::required_if_unset;
        break;
      default:
        break;
    }
    if (op == Operator::none) {
      return malformed(opening + " has '" + std::string(1, text_[pos_]) + "' after the name " +
                       name + ", but only } or one of :- - :? ? :+ + may follow it");
    }
    pos_ = op_at + 1;

    // As compose does, the argument is expanded whether or not it ends up being used.
    auto argument = expand(depth + 1, true);
    if (!argument) {
      return argument;
    }
    if (pos_ >= text_.size()) {
      return malformed(opening + " is never closed with }");
    }
    ++pos_;  // The closing }.

    const std::optional<std::string> value = value_of(name);
    // With a colon, an empty value counts as no value.
    const bool has_value = value.has_value() && (!colon || !value->empty());
    switch (op) {
      case Operator::default_if_unset:
        return has_value ? *value : *argument;
      case Operator::alternate_if_set:
        return has_value ? *argument : std::string();
      case Operator::required_if_unset:
        if (has_value || lookup_ == nullptr) {
          return value.value_or("");
        }
        return fail(ErrorKind::invalid_input,
                    std::string(where_) + ": required variable " + name + " is missing a value" +
                        (argument->empty()
                             ? " — give " + name + " a value in the .env file or the environment"
                             : ": " + *argument));
      case Operator::none:
        break;
    }
    return fail(ErrorKind::internal, std::string(where_) + ": unknown interpolation operator");
  }

  /// Reads the name at pos_ and notes it, at the place it appears in the text: `${A:-${B}}`
  /// looks B up before A, but A comes first.
  [[nodiscard]] std::string read_name() {
    const std::size_t begin = pos_;
    while (pos_ < text_.size() && is_name_char(text_[pos_])) {
      ++pos_;
    }
    std::string name(text_.substr(begin, pos_ - begin));
    if (std::find(names_.begin(), names_.end(), name) == names_.end()) {
      names_.push_back(name);
    }
    return name;
  }

  [[nodiscard]] std::optional<std::string> value_of(const std::string& name) const {
    if (lookup_ == nullptr) {
      return std::nullopt;
    }
    return (*lookup_)(name);
  }

  [[nodiscard]] std::unexpected<Error> malformed(const std::string& detail) const {
    return fail(ErrorKind::invalid_input, std::string(where_) + ": invalid interpolation in \"" +
                                              std::string(text_) + "\": " + detail +
                                              " — write a literal $ as $$");
  }
};

}  // namespace

Result<std::string> interpolate(std::string_view text, const VariableLookup& lookup,
                                std::string_view where) {
  Expander expander(text, &lookup, where);
  return expander.run();
}

std::vector<std::string> referenced_variables(std::string_view text) {
  Expander expander(text, nullptr, "");
  // A malformed expression ends the scan; the names found before it are still worth having.
  (void)expander.run();
  return expander.take_names();
}

}  // namespace wharf::stack
