#pragma once

// The settings a container keeps when `wharf update` recreates it on a new image, worked out
// from inspect JSON alone (no I/O), so every rule below is unit-tested.
//
// The engine merges an image's defaults into a container's Config at create time
// (daemon/commit.go merge(): User, ExposedPorts, Env, Labels, Cmd/Entrypoint, Healthcheck,
// WorkingDir, Volumes, StopSignal), so a container's inspect cannot tell what the user set
// from what the image supplied. We compare with the OLD image's Config instead: what equals
// the old image's default is left out, so the new image's default applies; what differs was
// set for this container and is kept. The one ambiguity: a value the user set to exactly the
// old image's default also follows the new image.
//
// What recreate_body() puts into the POST /containers/create body:
//   Image           new_image.
//   Env             the container's entries that are not, byte for byte, in the old image's
//                   Config.Env (so a variable the new image changes, e.g. VERSION, comes from
//                   the new image; one the user overrode keeps the user's value).
//   Labels          the container's labels minus those the old image has with the same value
//                   (compose's com.docker.compose.* labels are the container's own: kept).
//   Cmd, Entrypoint Entrypoint when it differs from the old image's ([""] when the user
//                   cleared it); then Cmd as the container has it, because the engine never
//                   merges an image's CMD under an explicit ENTRYPOINT. Otherwise Cmd only when
//                   it differs from the old image's. Left out, the new image's defaults apply.
//   User, WorkingDir, StopSignal   only when they differ from the old image's.
//   Healthcheck     only when the container has one that differs from the old image's (also
//                   {"Test":["NONE"]}, a disabled check). It is kept whole: the engine merged
//                   the image's fields into it, so a container that changed only the interval
//                   keeps the old image's test command too.
//   ExposedPorts    ports the old image does not expose (the engine adds the new image's).
//   Hostname        only when set explicitly: not the container's short ID (the engine's
//                   default) and not with network mode host or container:… (derived there).
//   Domainname      when set, except with network mode container:….
//   MacAddress      when set explicitly (Config.MacAddress; assigned ones live elsewhere).
//   StopTimeout, Tty, OpenStdin, StdinOnce, AttachStdin/Stdout/Stderr, NetworkDisabled, Shell
//                   as they are.
//   HostConfig      copied as is — Binds, Mounts, PortBindings, NetworkMode, RestartPolicy,
//                   resources (Memory, NanoCpus, CpuShares, …), CapAdd/CapDrop, Privileged,
//                   ExtraHosts, Dns*, LogConfig, Init, ReadonlyRootfs, Tmpfs, Sysctls,
//                   Ulimits, SecurityOpt, Devices, … — except: null fields are left out,
//                   ContainerIDFile (the CLI's, not the engine's) is dropped, Links come back
//                   from inspect's "/db:/web/db" form to the "db:db" form create takes, and
//                   Binds gain "<volume>:<destination>[:ro]" for each volume in the
//                   container's Mounts that neither Binds, HostConfig.Mounts nor Tmpfs covers
//                   (anonymous volumes) when its destination is still declared — by the new
//                   image's Config.Volumes or by the container itself (not merely by the old
//                   image) — so its data survives the recreation, as docker-compose does.
//                   Config.Volumes itself is left out: those bindings replace it.
//   NetworkingConfig.EndpointsConfig   the one network NetworkMode names ("default" is
//                   "bridge"), with its Aliases (minus the short-ID alias the engine adds),
//                   IPAMConfig, Links and DriverOpts. The engine (API < 1.44) accepts one
//                   network at create; recreate_container() connects the others, listed by
//                   extra_networks(), after create and before start. Addresses, endpoint and
//                   network IDs and MAC addresses the engine assigned are not copied.
// Left out entirely: everything outside Config/HostConfig/NetworkSettings.Networks (State,
// Id, Created, paths, GraphDriver, …), Config.Image, Config.Volumes, OnBuild, ArgsEscaped.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "wharf/core/error.hpp"

namespace wharf::update {

/// The POST /containers/create body for a container like `container_inspect` (the answer of
/// GET /containers/{id}/json) but on `new_image`, keeping its configuration as described at
/// the top of this file. `old_image_inspect` is GET /images/{id}/json of the image the
/// container runs (its "Image" ID), `new_image_inspect` that of `new_image`; an image without
/// a Config counts as one without defaults. Fails with ErrorKind::invalid_input when
/// `container_inspect` has no Config or HostConfig object or `new_image` is empty.
[[nodiscard]] Result<nlohmann::json> recreate_body(const nlohmann::json& container_inspect,
                                                   const nlohmann::json& old_image_inspect,
                                                   const nlohmann::json& new_image_inspect,
                                                   std::string_view new_image);

/// A network to connect a container to after create, with what POST /networks/{id}/connect
/// takes as EndpointConfig.
struct NetworkAttachment {
  std::string network;  ///< The network's name, as NetworkSettings.Networks keys it.
  nlohmann::json endpoint_config = nlohmann::json::object();

  friend bool operator==(const NetworkAttachment&, const NetworkAttachment&) = default;
};

/// The networks of `container_inspect` besides the one recreate_body() puts into
/// NetworkingConfig, sorted by name, each with the endpoint settings recreate_body() would
/// give it. Empty for a container on one network (or on host, none, container:…).
[[nodiscard]] std::vector<NetworkAttachment> extra_networks(
    const nlohmann::json& container_inspect);

}  // namespace wharf::update
