#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace wharf::ssh {

// Byte-level helpers for the SSH wire format (RFC 4251 §5). Base64 is in util/encoding.

/// Appends `value` as a big-endian uint32.
void append_uint32(std::string& out, std::uint32_t value);

/// Appends `value` as an SSH string: its length as a uint32, then the bytes.
void append_ssh_string(std::string& out, std::string_view value);

/// The payload of a `direct-streamlocal@openssh.com` channel open (OpenSSH's PROTOCOL file
/// §2.4): string socket path, string reserved (""), uint32 reserved (0).
[[nodiscard]] std::string streamlocal_open_payload(std::string_view socket_path);

}  // namespace wharf::ssh
