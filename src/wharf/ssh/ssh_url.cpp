#include "wharf/ssh/ssh_url.hpp"

#include <algorithm>

#include "wharf/ssh/ssh_config_values.hpp"

namespace wharf::ssh {
namespace {

constexpr std::string_view kScheme = "ssh://";

std::unexpected<Error> bad_url(std::string_view text, std::string_view why) {
  return fail(ErrorKind::invalid_input,
              "\"" + std::string(text) + "\" is not an SSH address: " + std::string(why) +
                  " — write ssh://[user@]host[:port] or [user@]host (IPv6 in brackets, "
                  "e.g. ssh://deploy@[::1]:2222).");
}

bool has_blank_or_control(std::string_view text) {
  return std::ranges::any_of(
      text, [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == '\x7f'; });
}

}  // namespace

SshOverrides SshUrl::overrides() const {
  SshOverrides result;
  result.user = user;
  result.port = port;
  return result;
}

Result<SshUrl> parse_ssh_url(std::string_view text) {
  if (text.empty()) {
    return bad_url(text, "it is empty");
  }
  if (has_blank_or_control(text)) {
    return bad_url(text, "it contains a blank or a control character");
  }
  const bool is_url = text.starts_with(kScheme);
  if (!is_url && text.find("://") != std::string_view::npos) {
    return bad_url(text, "only the ssh:// scheme is accepted");
  }
  auto rest = is_url ? text.substr(kScheme.size()) : text;
  if (is_url && rest.ends_with('/')) {
    rest.remove_suffix(1);
  }
  if (rest.find('/') != std::string_view::npos) {
    return bad_url(text, "a path after the host is not accepted");
  }
  SshUrl url;
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    if (at == 0) {
      return bad_url(text, "the user name before '@' is empty");
    }
    url.user = std::string(rest.substr(0, at));
    rest.remove_prefix(at + 1);
  }
  std::string_view port;
  bool has_port = false;
  if (rest.starts_with('[')) {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) {
      return bad_url(text, "the IPv6 address has no closing ']'");
    }
    url.host = std::string(rest.substr(1, close - 1));
    const auto after = rest.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) {
      return bad_url(text, "only ':port' may follow the IPv6 address");
    }
    has_port = !after.empty();
    port = has_port ? after.substr(1) : after;
  } else {
    if (std::ranges::count(rest, ':') > 1) {
      return bad_url(text, "an IPv6 address must be written in brackets");
    }
    const auto colon = rest.find(':');
    url.host = std::string(rest.substr(0, colon));
    has_port = colon != std::string_view::npos;
    port = has_port ? rest.substr(colon + 1) : std::string_view{};
  }
  if (url.host.empty()) {
    return bad_url(text, "the host name is missing");
  }
  if (url.host.find_first_of("[]@") != std::string::npos) {
    return bad_url(text, "the host name \"" + url.host + "\" contains '[', ']' or '@'");
  }
  if (has_port) {
    if (!is_url) {
      return bad_url(text, "a port needs the ssh:// form (ssh://" + std::string(text) + ")");
    }
    const auto number = parse_port_value(port);
    if (!number || port.starts_with('+')) {
      return bad_url(text,
                     "the port \"" + std::string(port) + "\" is not a number from 1 to 65535");
    }
    url.port = *number;
  }
  return url;
}

}  // namespace wharf::ssh
