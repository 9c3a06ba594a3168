#pragma once

// What the `wharf images …` subcommands share: which images (named ones, or the project's
// stack), the engine, and the registry client.

#include <optional>
#include <string>
#include <vector>

#include "wharf/engine/engine_client.hpp"
#include "wharf/images/local_images.hpp"
#include "wharf/registry/registry_client.hpp"
#include "wharf/stack/stack_images.hpp"

#include "cli/commands.hpp"
#include "cli/engine_setup.hpp"

namespace wharf::cli {

struct ImagesOptions {
  std::vector<std::string> images;               ///< IMAGE…: these instead of the project's.
  std::vector<std::string> insecure_registries;  ///< --insecure-registry
  std::size_t keep = 0;                          ///< prune --keep
  bool dry_run = false;                          ///< prune --dry-run
  bool stable_only = false;                      ///< tags --stable
};

/// The images a command works on.
struct ImageSelection {
  std::vector<stack::StackImage> images;
  std::string project_name;  ///< "" when the images were named on the command line.
  bool from_project = false;
  /// The project's tag style; nullopt for images named on the command line.
  std::optional<pin::TagStyle> tag_style;

  /// How `image`'s tags spell a release: the project's style, else that of its own tag.
  [[nodiscard]] pin::TagStyle style_of(const ImageReference& image) const;

  /// Each image with its services, for inspect_local_images().
  [[nodiscard]] std::vector<images::LocalQuery> queries() const;
};

/// Adds --insecure-registry to `command`.
void add_registry_option(CLI::App& command, ImagesOptions& options);
/// Adds the IMAGE… positional.
void add_images_argument(CLI::App& command, ImagesOptions& options, const std::string& what);

/// The named images — every one parsed before anything is asked of a peer, a malformed one
/// fails with invalid_input — or, when none are named, the project's stack images.
[[nodiscard]] Result<ImageSelection> select_images(const GlobalOptions& globals,
                                                   const ImagesOptions& options);

/// What every subcommand that asks the registry starts from: select_images(), then
/// make_registry_client().
struct RegistryWork {
  ImageSelection selection;
  registry::RegistryClient registry;
};
[[nodiscard]] Result<RegistryWork> select_for_registry(const GlobalOptions& globals,
                                                       const ImagesOptions& options);

/// A registry client with --insecure-registry; reads config.json (a malformed one fails here).
[[nodiscard]] Result<registry::RegistryClient> make_registry_client(const ImagesOptions& options);

/// "1.2 MB", "340 kB": sizes for tables.
[[nodiscard]] std::string human_size(std::int64_t bytes);

/// The first `length` characters of a digest or ID ("sha256:0123456789ab"), or "-".
[[nodiscard]] std::string short_id(const std::string& id, std::size_t length = 19);

// The subcommands' bodies, one file per group; images_command.cpp registers them.
[[nodiscard]] Result<int> run_images_status(const GlobalOptions& globals,
                                            const ImagesOptions& options, const Console& console);
[[nodiscard]] Result<int> run_images_validate(const GlobalOptions& globals,
                                              const ImagesOptions& options, const Console& console);
[[nodiscard]] Result<int> run_images_check(const GlobalOptions& globals,
                                           const ImagesOptions& options, const Console& console);
[[nodiscard]] Result<int> run_images_tags(const GlobalOptions& globals,
                                          const ImagesOptions& options, const Console& console);
[[nodiscard]] Result<int> run_images_pull(const GlobalOptions& globals,
                                          const ImagesOptions& options, const Console& console);
[[nodiscard]] Result<int> run_images_prune(const GlobalOptions& globals,
                                           const ImagesOptions& options, const Console& console);

}  // namespace wharf::cli
