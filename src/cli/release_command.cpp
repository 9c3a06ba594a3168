// `wharf release tags`: the image tags a release pushes, for humans, scripts and GitHub Actions.
#include <cstdlib>
#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "wharf/core/image_reference.hpp"
#include "wharf/pin/tag_style.hpp"
#include "wharf/pin/version_source.hpp"
#include "wharf/release/release_tags.hpp"

#include "cli/commands.hpp"

namespace wharf::cli {
namespace {

struct ReleaseTagsOptions {
  std::optional<std::string> version;
  std::optional<std::vector<std::string>> existing;
  std::vector<std::string> images;
  bool github_output = false;
};

/// GitHub's multi-line output syntax needs a delimiter that cannot occur in the value.
std::string random_delimiter() {
  std::random_device device;
  return "WHARF_EOF_" + std::to_string(device()) + std::to_string(device());
}

Result<void> append_github_output(const std::string& version, const std::vector<std::string>& tags,
                                  const std::vector<std::string>& references) {
  const char* path = std::getenv("GITHUB_OUTPUT");
  if (path == nullptr || *path == '\0') {
    return fail(ErrorKind::invalid_input,
                "--github-output needs the GITHUB_OUTPUT environment variable, which GitHub "
                "Actions sets in a workflow step — run it inside a workflow or drop the flag");
  }
  std::string block = "version=" + version + "\n";
  const auto multi = [&](const std::string& name, const std::vector<std::string>& values) {
    const auto delimiter = random_delimiter();
    block += name + "<<" + delimiter + "\n";
    for (const auto& v : values) {
      block += v + "\n";
    }
    block += delimiter + "\n";
  };
  multi("tags", tags);
  multi("images", references);
  std::ofstream out(path, std::ios::app | std::ios::binary);
  out << block;
  out.flush();
  if (!out) {
    return fail(ErrorKind::io, std::string("cannot append to GITHUB_OUTPUT file ") + path);
  }
  return {};
}

Result<int> run_release_tags(const GlobalOptions& globals, const ReleaseTagsOptions& options,
                             const Console& console) {
  const auto root = globals.project_root();
  auto resolved = pin::resolve_version(root, options.version);
  if (!resolved) {
    return std::unexpected(resolved.error());
  }
  std::vector<SemVer> existing;
  if (options.existing) {
    for (const auto& tag : *options.existing) {
      auto version = SemVer::parse(tag);
      if (!version) {
        return fail(ErrorKind::invalid_input, "--existing " + tag + ": " + version.error().message);
      }
      existing.push_back(*version);
    }
  } else {
    auto tags = pin::release_tags_in_repository(root);
    if (!tags) {
      return std::unexpected(tags.error());
    }
    existing = std::move(*tags);
  }
  auto style = pin::project_tag_style(pin::ProjectLayout{root});
  if (!style) {
    return std::unexpected(style.error());
  }
  // Which version and which spelling: a HEAD without a release tag must not pass unnoticed.
  console.note("wharf: release " + resolved->version.tag_name() + " (from " + resolved->origin() +
               "), image tags in the " + std::string(pin::to_string(style->style)) +
               " style (from " + style->source + ")");
  const auto tags = release::release_image_tags(resolved->version, existing, style->style);

  std::vector<std::string> references;
  for (const auto& image : options.images) {
    auto repository = ImageReference::parse(image);
    if (!repository) {
      return fail(ErrorKind::invalid_input, "--image " + repository.error().message);
    }
    if (repository->has_explicit_tag() || repository->digest()) {
      return fail(ErrorKind::invalid_input,
                  "--image " + image +
                      " must be a repository without a tag or digest, e.g. ghcr.io/acme/app");
    }
    for (const auto& tag : tags) {
      references.push_back(image + ":" + tag);
    }
  }

  if (options.github_output) {
    if (auto appended = append_github_output(resolved->version.to_string(), tags, references);
        !appended) {
      return std::unexpected(appended.error());
    }
  }
  if (console.json()) {
    console.json({{"version", resolved->version.tag_name()},
                  {"source", resolved->source},
                  {"origin", resolved->origin()},
                  {"tag_style", pin::to_string(style->style)},
                  {"prerelease", resolved->version.is_prerelease()},
                  {"tags", tags},
                  {"images", references}});
  } else {
    for (const auto& line : references.empty() ? tags : references) {
      console.line(line);
    }
  }
  return exit_ok;
}

}  // namespace

void set_release_command(CLI::App& app, GlobalOptions& globals) {
  auto* release = app.add_subcommand("release", "Release helpers for CI");
  release->require_subcommand(1);
  auto options = std::make_shared<ReleaseTagsOptions>();
  auto* tags = release->add_subcommand(
      "tags", "Print the image tags a release pushes (X.Y.Z, and X.Y / X / latest when highest)");
  // `--version X` as well as the positional, as `wharf pin --version X` has it: without it,
  // --version would fall through to wharf's own version flag.
  tags->add_option("version,--version", options->version,
                   "The version released (default: the release tag on HEAD, else VERSION)");
  tags->add_option("--existing", options->existing,
                   "A version already released (repeatable; default: the repository's git tags)");
  tags->add_option("--image", options->images,
                   "Print full references for this repository (repeatable)");
  tags->add_flag("--github-output", options->github_output,
                 "Also append version, tags and images to $GITHUB_OUTPUT");
  tags->callback([&globals, options] {
    run_command(globals, [&](const Console& console) {
      return run_release_tags(globals, *options, console);
    });
  });
}

}  // namespace wharf::cli
