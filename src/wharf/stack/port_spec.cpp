#include "wharf/stack/port_spec.hpp"

#include <charconv>

#include <arpa/inet.h>

namespace wharf::stack {
namespace {

constexpr std::string_view kShortForm =
    "write it as TARGET, PUBLISHED:TARGET or HOST_IP:PUBLISHED:TARGET, optionally with /tcp, "
    "/udp or /sctp (\"8080:80\", \"127.0.0.1:8080:80/udp\", \"[::1]:8080:80\")";

std::unexpected<Error> refuse(std::string_view where, std::string_view text, const std::string& why,
                              std::string_view how = kShortForm) {
  return std::unexpected(Error::make(ErrorKind::invalid_input,
                                     std::string(where) + ": invalid port \"" + std::string(text) +
                                         "\": " + why + " — " + std::string(how) + "."));
}

std::optional<std::uint16_t> port_number(std::string_view text) {
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  const auto [stop, failed] = std::from_chars(text.data(), end, value);
  if (text.empty() || failed != std::errc() || stop != end || value == 0 || value > 65535) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(value);
}

// "80" or "8000-8010"; nullopt when it is neither, with the reason in `why`.
std::optional<PortRange> port_range(std::string_view text, std::string& why) {
  const auto dash = text.find('-');
  const auto first = port_number(text.substr(0, dash));
  const auto last = dash == std::string_view::npos ? first : port_number(text.substr(dash + 1));
  if (!first || !last) {
    why = "\"" + std::string(text) + "\" is not a port (1 to 65535) or a range of them (8000-8010)";
    return std::nullopt;
  }
  if (*last < *first) {
    why = "the range " + std::string(text) + " ends before it starts";
    return std::nullopt;
  }
  return PortRange{*first, *last};
}

bool is_ip_address(const std::string& text) {
  unsigned char buffer[16];
  return ::inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
         ::inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

Result<PortSpec> finish(PortSpec spec, std::string_view where, std::string_view text,
                        std::string_view how) {
  if (!spec.host_ip.empty() && !is_ip_address(spec.host_ip)) {
    return refuse(where, text, "\"" + spec.host_ip + "\" is not an IP address", how);
  }
  if (spec.protocol != "tcp" && spec.protocol != "udp" && spec.protocol != "sctp") {
    return refuse(where, text, "the protocol \"" + spec.protocol + "\" is not tcp, udp or sctp",
                  how);
  }
  if (spec.published && spec.target.size() != 1 && spec.published->size() != spec.target.size()) {
    return refuse(where, text,
                  "the published range " + spec.published->text() + " and the target range " +
                      spec.target.text() + " differ in length",
                  how);
  }
  return spec;
}

}  // namespace

std::optional<PortRange> parse_port_range(std::string_view text) {
  std::string ignored;
  return port_range(text, ignored);
}

std::string PortRange::text() const {
  return first == last ? std::to_string(first) : std::to_string(first) + "-" + std::to_string(last);
}

std::string PortSpec::text() const {
  std::string text;
  if (!host_ip.empty()) {
    text = host_ip.find(':') != std::string::npos ? "[" + host_ip + "]:" : host_ip + ":";
  }
  if (published) {
    text += published->text() + ":";
  } else if (!host_ip.empty()) {
    text += ":";
  }
  return text + target.text() + "/" + protocol;
}

Result<PortSpec> parse_port(std::string_view text, std::string_view where) {
  PortSpec spec;
  std::string_view rest = text;
  if (const auto slash = rest.rfind('/'); slash != std::string_view::npos) {
    spec.protocol = std::string(rest.substr(slash + 1));
    rest = rest.substr(0, slash);
  }
  if (rest.starts_with('[')) {
    const auto close = rest.find(']');
    if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != ':') {
      return refuse(where, text, "the IPv6 address in brackets must be followed by a colon");
    }
    spec.host_ip = std::string(rest.substr(1, close - 1));
    rest = rest.substr(close + 2);
    if (rest.find(':') == std::string_view::npos) {
      // "[::1]:80" is not a form compose knows: the address needs both ports.
      return refuse(where, text, "an address needs both the published and the target port");
    }
  }
  std::string why;
  const auto last_colon = rest.rfind(':');
  const auto target =
      port_range(rest.substr(last_colon == std::string_view::npos ? 0 : last_colon + 1), why);
  if (!target) {
    return refuse(where, text, why);
  }
  spec.target = *target;
  if (last_colon != std::string_view::npos) {
    std::string_view host = rest.substr(0, last_colon);
    const auto ip_colon = host.rfind(':');
    if (ip_colon != std::string_view::npos) {
      if (!spec.host_ip.empty()) {
        return refuse(where, text, "it has more parts than HOST_IP:PUBLISHED:TARGET");
      }
      spec.host_ip = std::string(host.substr(0, ip_colon));
      if (spec.host_ip.find(':') != std::string::npos) {
        return refuse(where, text, "an IPv6 address must be written in brackets");
      }
      host = host.substr(ip_colon + 1);
    }
    if (!host.empty()) {
      const auto published = port_range(host, why);
      if (!published) {
        return refuse(where, text, why);
      }
      spec.published = published;
    }
  }
  return finish(std::move(spec), where, text, kShortForm);
}

Result<PortSpec> parse_port(const LongPortFields& fields, std::string_view where) {
  constexpr std::string_view kLongForm =
      "the long form takes target (required), published (a port or a range), host_ip, "
      "protocol (tcp, udp or sctp) and mode (host or ingress)";
  const std::string shown = "target: " + fields.target;
  PortSpec spec;
  std::string why;
  if (fields.target.empty()) {
    return refuse(where, shown, "it has no target", kLongForm);
  }
  const auto target = port_range(fields.target, why);
  if (!target || target->size() != 1) {
    return refuse(where, shown, target ? "the target must be one port" : why, kLongForm);
  }
  spec.target = *target;
  if (!fields.published.empty()) {
    const auto published = port_range(fields.published, why);
    if (!published) {
      return refuse(where, shown, why, kLongForm);
    }
    spec.published = published;
  }
  spec.host_ip = fields.host_ip;
  if (!fields.protocol.empty()) {
    spec.protocol = fields.protocol;
  }
  if (!fields.mode.empty() && fields.mode != "host" && fields.mode != "ingress") {
    return refuse(where, shown, "the mode \"" + fields.mode + "\" is not host or ingress",
                  kLongForm);
  }
  return finish(std::move(spec), where, shown, kLongForm);
}

}  // namespace wharf::stack
