#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace wharf::ssh {

/// The keys OpenSSH offers when no IdentityFile is configured, in its order, as far as wharf
/// supports them: `home`/.ssh/id_ed25519, id_ecdsa, id_rsa — only those that exist.
[[nodiscard]] std::vector<std::filesystem::path> default_identity_files(
    const std::filesystem::path& home);

/// True when `key_file_text` is a private key protected by a passphrase: an OpenSSH key
/// ("openssh-key-v1") whose cipher is not "none", a PEM key with "Proc-Type: 4,ENCRYPTED",
/// or a PKCS#8 "ENCRYPTED PRIVATE KEY". Anything else (including text that is no key at
/// all) is false, so that libssh2 gets to say what is wrong with it.
[[nodiscard]] bool is_encrypted_private_key(std::string_view key_file_text);

/// Reads the file (at most 64 KiB) and applies is_encrypted_private_key(); false when the
/// file cannot be read.
[[nodiscard]] bool private_key_file_is_encrypted(const std::filesystem::path& path);

/// The home directory of the user running wharf (SshDefaults: $HOME, else the password
/// database), "/" when neither knows one.
[[nodiscard]] std::filesystem::path home_directory();

/// The name of the user running wharf (the default SSH login; SshDefaults), "root" when
/// nothing knows it.
[[nodiscard]] std::string local_user_name();

}  // namespace wharf::ssh
