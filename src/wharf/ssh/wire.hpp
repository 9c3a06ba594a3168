#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wharf::ssh {

// Byte-level helpers for the SSH wire format (RFC 4251 §5) and the base64 that OpenSSH
// uses in known_hosts lines, key files and fingerprints.

/// Appends `value` as a big-endian uint32.
void append_uint32(std::string& out, std::uint32_t value);

/// Appends `value` as an SSH string: its length as a uint32, then the bytes.
void append_ssh_string(std::string& out, std::string_view value);

/// Standard base64 (RFC 4648 §4). `pad` adds '=' to a multiple of four characters; OpenSSH
/// fingerprints ("SHA256:…") are written without it.
[[nodiscard]] std::string base64_encode(std::string_view bytes, bool pad = true);

/// Decodes standard base64, ignoring whitespace and accepting missing padding; nullopt on
/// any other character.
[[nodiscard]] std::optional<std::string> base64_decode(std::string_view text);

/// The payload of a `direct-streamlocal@openssh.com` channel open (OpenSSH's PROTOCOL file
/// §2.4): string socket path, string reserved (""), uint32 reserved (0).
[[nodiscard]] std::string streamlocal_open_payload(std::string_view socket_path);

}  // namespace wharf::ssh
