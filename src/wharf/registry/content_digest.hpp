#pragma once

#include <string>
#include <string_view>

namespace wharf::registry {

/// The OCI content digest of `bytes`: "sha256:" and 64 lower-case hex digits — what a
/// registry reports as Docker-Content-Digest for a manifest with exactly these bytes.
[[nodiscard]] std::string sha256_digest(std::string_view bytes);

/// True for "sha256:" followed by exactly 64 lower-case hex digits.
[[nodiscard]] bool is_sha256_digest(std::string_view digest) noexcept;

/// True for ALGORITHM:HEX as the OCI image spec writes digests (algorithm components of
/// [a-z0-9] joined by '+', '.', '_' or '-'; hex of at least 32 lower-case digits).
[[nodiscard]] bool is_well_formed_digest(std::string_view digest) noexcept;

}  // namespace wharf::registry
