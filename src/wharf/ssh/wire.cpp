#include "wharf/ssh/wire.hpp"

namespace wharf::ssh {
void append_uint32(std::string& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xffu));
  }
}

void append_ssh_string(std::string& out, std::string_view value) {
  append_uint32(out, static_cast<std::uint32_t>(value.size()));
  out.append(value);
}

std::string streamlocal_open_payload(std::string_view socket_path) {
  std::string payload;
  append_ssh_string(payload, socket_path);
  append_ssh_string(payload, "");
  append_uint32(payload, 0);
  return payload;
}

}  // namespace wharf::ssh
