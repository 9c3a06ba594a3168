#include "wharf/registry/auth_challenge.hpp"

#include <algorithm>
#include <cctype>

namespace wharf::registry {
namespace {

// RFC 7230 §3.2.6 tchar.
bool is_token_char(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) {
    return true;
  }
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// RFC 7235 §2.1 token68 adds '/' and allows trailing '='.
bool is_token68_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("-._~+/").find(c) != std::string_view::npos;
}

std::string lower(std::string_view text) {
  std::string result(text);
  std::ranges::transform(result, result.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

// A cursor over the header with the few lexing steps the grammar needs.
class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  [[nodiscard]] bool at_end() const { return pos_ >= text_.size(); }
  [[nodiscard]] char peek() const { return at_end() ? '\0' : text_[pos_]; }
  [[nodiscard]] std::size_t position() const { return pos_; }
  void set_position(std::size_t pos) { pos_ = pos; }
  void advance() { ++pos_; }

  void skip_spaces() {
    while (!at_end() && (peek() == ' ' || peek() == '\t')) {
      ++pos_;
    }
  }

  // Skips spaces and list commas ("#rule" allows empty elements).
  void skip_separators() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == ',')) {
      ++pos_;
    }
  }

  std::string_view token() {
    const auto start = pos_;
    while (!at_end() && is_token_char(peek())) {
      ++pos_;
    }
    return text_.substr(start, pos_ - start);
  }

  // A token68 that fills the rest of the challenge: its characters, trailing '=', then
  // nothing but spaces up to a comma or the end. Leaves the position unchanged otherwise.
  std::optional<std::string_view> token68() {
    const auto start = pos_;
    auto end = start;
    while (end < text_.size() && is_token68_char(text_[end])) {
      ++end;
    }
    if (end == start) {
      return std::nullopt;
    }
    while (end < text_.size() && text_[end] == '=') {
      ++end;
    }
    auto after = end;
    while (after < text_.size() && (text_[after] == ' ' || text_[after] == '\t')) {
      ++after;
    }
    if (after < text_.size() && text_[after] != ',') {
      return std::nullopt;
    }
    pos_ = end;
    return text_.substr(start, end - start);
  }

  // A quoted-string after its opening quote; nullopt when the closing quote is missing.
  std::optional<std::string> quoted_rest() {
    std::string value;
    while (!at_end()) {
      const char c = peek();
      ++pos_;
      if (c == '"') {
        return value;
      }
      if (c == '\\') {
        if (at_end()) {
          return std::nullopt;
        }
        value.push_back(peek());
        ++pos_;
      } else {
        value.push_back(c);
      }
    }
    return std::nullopt;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

std::unexpected<Error> malformed(std::string_view header, std::size_t position,
                                 std::string_view what) {
  return fail(ErrorKind::remote, "the registry sent a malformed WWW-Authenticate header (" +
                                     std::string(what) + " at character " +
                                     std::to_string(position + 1) + " of \"" + std::string(header) +
                                     "\").");
}

}  // namespace

std::optional<std::string> AuthChallenge::parameter(const std::string& name) const {
  if (const auto found = parameters.find(name); found != parameters.end()) {
    return found->second;
  }
  return std::nullopt;
}

Result<std::vector<AuthChallenge>> parse_www_authenticate(std::string_view header) {
  std::vector<AuthChallenge> challenges;
  Lexer lexer(header);
  lexer.skip_separators();
  while (!lexer.at_end()) {
    const auto scheme = lexer.token();
    if (scheme.empty()) {
      return malformed(header, lexer.position(), "expected an authentication scheme");
    }
    AuthChallenge challenge;
    challenge.scheme = lower(scheme);
    lexer.skip_spaces();
    const auto after_scheme = lexer.position();
    // "Scheme token68" is told apart from "Scheme name=value" by what follows the word:
    // a parameter has '=' and then a value, a token68 ends with '=' padding at most.
    bool is_token68 = false;
    if (!lexer.at_end() && lexer.peek() != ',') {
      const auto name = lexer.token();
      lexer.skip_spaces();
      const bool looks_like_parameter = !name.empty() && lexer.peek() == '=';
      lexer.set_position(after_scheme);
      if (looks_like_parameter) {
        // "abc=" followed by the end or a comma is token68 padding, not an empty parameter.
        lexer.token();
        lexer.skip_spaces();
        lexer.advance();  // '='
        while (lexer.peek() == '=') {
          lexer.advance();
        }
        lexer.skip_spaces();
        is_token68 = lexer.at_end() || lexer.peek() == ',';
        lexer.set_position(after_scheme);
      } else {
        is_token68 = true;
      }
    }
    if (is_token68) {
      const auto token68 = lexer.token68();
      if (!token68) {
        return malformed(header, lexer.position(), "expected a token68 or parameters");
      }
      challenge.token68 = std::string(*token68);
      lexer.skip_separators();
      challenges.push_back(std::move(challenge));
      continue;
    }
    // Parameters until the next challenge (a token not followed by '=') or the end.
    while (true) {
      lexer.skip_separators();
      if (lexer.at_end()) {
        break;
      }
      const auto start = lexer.position();
      const auto name = lexer.token();
      if (name.empty()) {
        return malformed(header, start, "expected a parameter name");
      }
      lexer.skip_spaces();
      if (lexer.peek() != '=') {
        lexer.set_position(start);  // The next challenge's scheme.
        break;
      }
      lexer.advance();
      lexer.skip_spaces();
      std::string value;
      if (lexer.peek() == '"') {
        lexer.advance();
        auto quoted = lexer.quoted_rest();
        if (!quoted) {
          return malformed(header, start, "unterminated quoted string");
        }
        value = std::move(*quoted);
      } else {
        value = std::string(lexer.token());
      }
      challenge.parameters[lower(name)] = std::move(value);
      lexer.skip_spaces();
      if (!lexer.at_end() && lexer.peek() != ',') {
        return malformed(header, lexer.position(), "expected ',' after a parameter");
      }
    }
    challenges.push_back(std::move(challenge));
  }
  if (challenges.empty()) {
    return malformed(header, 0, "no challenge");
  }
  return challenges;
}

const AuthChallenge* find_challenge(const std::vector<AuthChallenge>& challenges,
                                    std::string_view scheme) {
  const auto wanted = lower(scheme);
  const auto found = std::ranges::find(challenges, wanted, &AuthChallenge::scheme);
  return found == challenges.end() ? nullptr : &*found;
}

}  // namespace wharf::registry
