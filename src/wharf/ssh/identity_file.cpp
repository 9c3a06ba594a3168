#include "wharf/ssh/identity_file.hpp"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "wharf/core/encoding.hpp"
#include "wharf/ssh/ssh_defaults.hpp"
#include "wharf/ssh/wire.hpp"

namespace wharf::ssh {
namespace {

constexpr std::string_view kOpenSshBegin = "-----BEGIN OPENSSH PRIVATE KEY-----";
constexpr std::string_view kOpenSshEnd = "-----END OPENSSH PRIVATE KEY-----";
constexpr std::string_view kOpenSshMagic{"openssh-key-v1\0", 15};
constexpr std::size_t kMaxKeyFileBytes = 64 * 1024;

// The cipher name is the first field after the magic (OpenSSH's PROTOCOL.key).
bool openssh_key_is_encrypted(std::string_view text) {
  const auto begin = text.find(kOpenSshBegin);
  const auto end = text.find(kOpenSshEnd);
  if (begin == std::string_view::npos || end == std::string_view::npos || end < begin) {
    return false;
  }
  const auto body_start = begin + kOpenSshBegin.size();
  const auto blob = base64_decode(text.substr(body_start, end - body_start));
  if (!blob || blob->size() < kOpenSshMagic.size() + 4 ||
      std::string_view(*blob).substr(0, kOpenSshMagic.size()) != kOpenSshMagic) {
    return false;
  }
  std::size_t at = kOpenSshMagic.size();
  std::uint32_t length = 0;
  for (int i = 0; i < 4; ++i) {
    length = (length << 8) | static_cast<unsigned char>((*blob)[at++]);
  }
  if (blob->size() - at < length) {
    return false;
  }
  return std::string_view(*blob).substr(at, length) != "none";
}

}  // namespace

std::vector<std::filesystem::path> default_identity_files(const std::filesystem::path& home) {
  std::vector<std::filesystem::path> files;
  for (const char* name : {"id_ed25519", "id_ecdsa", "id_rsa"}) {
    auto path = home / ".ssh" / name;
    std::error_code ignored;
    if (std::filesystem::is_regular_file(path, ignored)) {
      files.push_back(std::move(path));
    }
  }
  return files;
}

bool is_encrypted_private_key(std::string_view key_file_text) {
  if (key_file_text.find("Proc-Type: 4,ENCRYPTED") != std::string_view::npos ||
      key_file_text.find("-----BEGIN ENCRYPTED PRIVATE KEY-----") != std::string_view::npos) {
    return true;
  }
  return openssh_key_is_encrypted(key_file_text);
}

bool private_key_file_is_encrypted(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return false;
  }
  std::string text(kMaxKeyFileBytes, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return is_encrypted_private_key(text);
}

std::filesystem::path home_directory() {
  auto home = SshDefaults::from_process().home;
  return home.empty() ? std::filesystem::path("/") : home;
}

std::string local_user_name() {
  auto user = SshDefaults::from_process().local_user;
  return user.empty() ? std::string("root") : user;
}

}  // namespace wharf::ssh
