#include "wharf/runtime/port_conflicts.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <map>
#include <sstream>
#include <utility>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "wharf/util/atomic_file.hpp"

namespace wharf::runtime {
namespace {

enum class Family { any, v4, v6 };

// An address in one spelling (inet_ntop's; an IPv4-mapped IPv6 address as IPv4) and its family;
// "" (every address) stays "" and text that is no address stays as written.
std::pair<std::string, Family> canonical(const std::string& address) {
  if (address.empty()) {
    return {address, Family::any};
  }
  unsigned char bytes[16];
  char text[INET6_ADDRSTRLEN] = {};
  if (::inet_pton(AF_INET, address.c_str(), bytes) == 1) {
    ::inet_ntop(AF_INET, bytes, text, sizeof text);
    return {text, Family::v4};
  }
  if (::inet_pton(AF_INET6, address.c_str(), bytes) == 1) {
    static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(bytes, kMapped, sizeof kMapped) == 0) {
      ::inet_ntop(AF_INET, bytes + 12, text, sizeof text);
      return {text, Family::v4};
    }
    ::inet_ntop(AF_INET6, bytes, text, sizeof text);
    return {text, Family::v6};
  }
  return {address, Family::any};
}

// Whether binding `a` and binding `b` collide: "" and :: (dual-stack, as Linux binds it by
// default) cover every address, 0.0.0.0 every IPv4 address, anything else only itself.
bool addresses_overlap(const std::string& a, const std::string& b) {
  const auto [left, left_family] = canonical(a);
  const auto [right, right_family] = canonical(b);
  if (left.empty() || right.empty() || left == "::" || right == "::") {
    return true;
  }
  if (left == "0.0.0.0") {
    return right_family != Family::v6;
  }
  if (right == "0.0.0.0") {
    return left_family != Family::v6;
  }
  return left == right;
}

// "8080", or a range "8000-8010" as PortBindings keeps one for `-p 8000-8010:80`; nullopt when
// not published on a fixed port (the engine has not picked one yet).
std::optional<stack::PortRange> host_ports_of(const PublishedPort& port) {
  return stack::parse_port_range(port.host_port);
}

std::string container_holder(const ContainerPorts& container) {
  std::string text = "container " + container.name;
  if (!container.project.empty() || !container.service.empty()) {
    text += " (";
    text += container.project.empty() ? "" : "project " + container.project;
    text += !container.project.empty() && !container.service.empty() ? ", " : "";
    text += container.service.empty() ? "" : "service " + container.service;
    text += ")";
  }
  return text;
}

std::string socket_holder(const ListeningSocket& socket) {
  const std::string where =
      (socket.address.find(':') != std::string::npos ? "[" + socket.address + "]"
                                                     : socket.address) +
      ":" + std::to_string(socket.port);
  if (socket.pid) {
    return "process " + (socket.process.empty() ? std::string("?") : socket.process) + " (pid " +
           std::to_string(*socket.pid) + ") listening on " + where;
  }
  return "a process listening on " + where + " (run as root to see which)";
}

// What holds `port` of `spec`'s protocol and address, or "" when nothing does.
std::string holder_of(std::uint16_t port, const stack::PortSpec& spec,
                      const std::vector<ContainerPorts>& containers,
                      const std::vector<ListeningSocket>& listening) {
  for (const auto& container : containers) {
    for (const auto& published : container.ports) {
      const auto range = host_ports_of(published);
      if (range && published.protocol == spec.protocol && range->overlaps({port, port}) &&
          addresses_overlap(published.host_ip, spec.host_ip)) {
        return container_holder(container);
      }
    }
  }
  for (const auto& socket : listening) {
    if (socket.port == port && socket.protocol == spec.protocol &&
        addresses_overlap(socket.address, spec.host_ip)) {
      return socket_holder(socket);
    }
  }
  return {};
}

// "0100007F" (IPv4) or 32 hex digits (IPv6), each 32-bit word in the kernel's byte order.
std::optional<std::string> proc_address(std::string_view hex) {
  if (hex.size() != 8 && hex.size() != 32) {
    return std::nullopt;
  }
  unsigned char bytes[16] = {};
  for (std::size_t word = 0; word < hex.size() / 8; ++word) {
    std::uint32_t value = 0;
    const auto* begin = hex.data() + word * 8;
    const auto [end, failed] = std::from_chars(begin, begin + 8, value, 16);
    if (failed != std::errc() || end != begin + 8) {
      return std::nullopt;
    }
    std::memcpy(bytes + word * 4, &value, sizeof value);
  }
  char text[INET6_ADDRSTRLEN] = {};
  const int family = hex.size() == 8 ? AF_INET : AF_INET6;
  if (::inet_ntop(family, bytes, text, sizeof text) == nullptr) {
    return std::nullopt;
  }
  return std::string(text);
}

// The sockets of one /proc/net table: TCP in LISTEN (0A), UDP unconnected (07).
void read_table(const std::string& text, const std::string& protocol,
                std::vector<ListeningSocket>& found) {
  // TCP: LISTEN. UDP: bound, connected (01) or not (07); either holds its port.
  std::istringstream lines(text);
  std::string line;
  std::getline(lines, line);  // The header.
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
    if (!(fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode) ||
        (protocol == "tcp" ? state != "0A" : state != "07" && state != "01")) {
      continue;
    }
    const auto colon = local.find(':');
    if (colon == std::string::npos) {
      continue;
    }
    const auto address = proc_address(std::string_view(local).substr(0, colon));
    unsigned port = 0;
    const std::string_view port_hex = std::string_view(local).substr(colon + 1);
    const auto [end, failed] =
        std::from_chars(port_hex.data(), port_hex.data() + port_hex.size(), port, 16);
    std::uint64_t inode_number = 0;
    (void)std::from_chars(inode.data(), inode.data() + inode.size(), inode_number);
    if (!address || failed != std::errc() || port == 0 || port > 65535) {
      continue;
    }
    found.push_back(ListeningSocket{.address = *address,
                                    .port = static_cast<std::uint16_t>(port),
                                    .protocol = protocol,
                                    .inode = inode_number,
                                    .pid = std::nullopt,
                                    .process = {}});
  }
}

// Which process holds each socket: the /proc/PID/fd links that read "socket:[INODE]".
void attribute_to_processes(std::vector<ListeningSocket>& sockets) {
  std::map<std::uint64_t, std::vector<ListeningSocket*>> by_inode;
  for (auto& socket : sockets) {
    by_inode[socket.inode].push_back(&socket);
  }
  std::error_code error;
  std::filesystem::directory_iterator processes("/proc", error);
  for (; !error && processes != std::filesystem::directory_iterator(); processes.increment(error)) {
    const auto& entry = *processes;
    const std::string name = entry.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) {
      continue;
    }
    // A process may exit while its fds are read: every step takes an error code, and an
    // error ends that process's walk instead of throwing.
    std::error_code ignored;
    std::filesystem::directory_iterator fds(entry.path() / "fd", ignored);
    for (; !ignored && fds != std::filesystem::directory_iterator(); fds.increment(ignored)) {
      const auto target = std::filesystem::read_symlink(fds->path(), ignored).string();
      if (ignored) {
        ignored.clear();
        continue;
      }
      if (!target.starts_with("socket:[")) {
        continue;
      }
      std::uint64_t inode = 0;
      (void)std::from_chars(target.data() + 8, target.data() + target.size(), inode);
      const auto holders = by_inode.find(inode);
      if (holders == by_inode.end()) {
        continue;
      }
      std::string comm = read_text_file(entry.path() / "comm").value_or("");
      while (!comm.empty() && comm.back() == '\n') {
        comm.pop_back();
      }
      for (auto* socket : holders->second) {
        if (!socket->pid) {
          socket->pid = static_cast<pid_t>(std::stol(name));
          socket->process = comm;
        }
      }
    }
  }
}

}  // namespace

std::string PortConflict::sentence() const {
  const auto port = wanted.published ? wanted.published->text() : std::string("?");
  return "service " + service + " cannot publish " + wanted.text() + ": host port " + port + "/" +
         wanted.protocol + " is already taken by " + holder + ".";
}

std::vector<PortConflict> find_port_conflicts(const std::vector<WantedPorts>& wanted,
                                              const std::vector<ContainerPorts>& containers,
                                              const std::vector<ListeningSocket>& listening) {
  std::vector<PortConflict> conflicts;
  for (const auto& service : wanted) {
    for (const auto& spec : service.ports) {
      if (!spec.published) {
        continue;  // The engine picks a free port.
      }
      // A range for one target port needs one free port of it; otherwise every port must be.
      const bool picks_one = spec.published->size() > 1 && spec.target.size() == 1;
      std::string first_holder;
      bool all_taken = true;
      for (std::uint32_t port = spec.published->first; port <= spec.published->last; ++port) {
        const auto holder =
            holder_of(static_cast<std::uint16_t>(port), spec, containers, listening);
        if (holder.empty()) {
          all_taken = false;
          if (picks_one) {
            break;
          }
          continue;
        }
        if (first_holder.empty()) {
          first_holder = holder;
        }
        if (!picks_one) {
          break;
        }
      }
      if (!first_holder.empty() && (!picks_one || all_taken)) {
        conflicts.push_back(PortConflict{service.service, spec, first_holder});
      }
    }
  }
  return conflicts;
}

Result<std::vector<ListeningSocket>> listening_sockets() {
  std::vector<ListeningSocket> sockets;
  for (const auto& [file, protocol] : {std::pair{"tcp", "tcp"}, std::pair{"tcp6", "tcp"},
                                       std::pair{"udp", "udp"}, std::pair{"udp6", "udp"}}) {
    const std::filesystem::path path = std::filesystem::path("/proc/net") / file;
    auto content = read_text_file(path);
    if (!content) {
      if (std::string_view(file).ends_with('6') && content.error().kind == ErrorKind::not_found) {
        continue;  // A kernel without IPv6 has no such table.
      }
      return fail(ErrorKind::io, "cannot see which ports are in use: " + content.error().message);
    }
    read_table(*content, protocol, sockets);
  }
  attribute_to_processes(sockets);
  return sockets;
}

}  // namespace wharf::runtime
