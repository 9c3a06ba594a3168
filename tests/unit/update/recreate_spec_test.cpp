// recreate_body() and extra_networks(): one test per setting a recreated container keeps, and
// the image defaults it must not pin.

#include "wharf/update/recreate_spec.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "unit/update/inspect_fixtures.hpp"

namespace wharf::update::test {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

constexpr const char* kNewReference = "demo/app:2.0.0";

class RecreateBodyTest : public ::testing::Test {
 protected:
  json container = json::parse(kServiceContainer);
  json old_image = json::parse(kOldImage);
  json new_image = json::parse(kNewImage);

  [[nodiscard]] json body() const {
    auto made = recreate_body(container, old_image, new_image, kNewReference);
    EXPECT_TRUE(made.has_value()) << made.error().message;
    return made.value_or(json::object());
  }
  [[nodiscard]] json host_config() const { return body()["HostConfig"]; }
};

std::vector<std::string> strings(const json& array) {
  return array.is_array() ? array.get<std::vector<std::string>>() : std::vector<std::string>{};
}

// --- The image -----------------------------------------------------------------------------

TEST_F(RecreateBodyTest, RunsTheNewImage) {
  EXPECT_EQ(body()["Image"], kNewReference);
}

// --- Env -----------------------------------------------------------------------------------

TEST_F(RecreateBodyTest, KeepsOnlyTheEnvTheContainerSetItself) {
  // VERSION=1.0.0 and PATH are the old image's: left to the new image (its VERSION=2.0.0).
  // KEEP=override differs from the image's KEEP=image, EXTRA is not in the image at all.
  EXPECT_THAT(strings(body()["Env"]), ElementsAre("KEEP=override", "EXTRA=1"));
}

TEST_F(RecreateBodyTest, AContainerWithOnlyImageEnvSendsNoEnv) {
  container["Config"]["Env"] = old_image["Config"]["Env"];
  EXPECT_FALSE(body().contains("Env"));
}

// --- Labels --------------------------------------------------------------------------------

TEST_F(RecreateBodyTest, KeepsComposeAndOwnLabelsButNotTheOldImagesLabels) {
  const auto labels = body()["Labels"];
  EXPECT_EQ(labels["com.docker.compose.project"], "demo");
  EXPECT_EQ(labels["com.docker.compose.service"], "app");
  // The old configuration's hash is dropped, so compose does not mistake the new container
  // for one made from the old configuration.
  EXPECT_FALSE(labels.contains("com.docker.compose.config-hash"));
  EXPECT_EQ(labels["mine"], "yes");
  // Equal to the old image's, so the new image's org.example.version=2.0.0 wins.
  EXPECT_FALSE(labels.contains("org.example.version"));
  EXPECT_FALSE(labels.contains("org.example.vendor"));
  EXPECT_EQ(labels.size(), 5U);
}

TEST_F(RecreateBodyTest, KeepsALabelTheContainerOverrodeFromTheImage) {
  container["Config"]["Labels"]["org.example.vendor"] = "someone-else";
  EXPECT_EQ(body()["Labels"]["org.example.vendor"], "someone-else");
}

// --- Mounts --------------------------------------------------------------------------------

TEST_F(RecreateBodyTest, KeepsBindsAndNamedVolumes) {
  const auto binds = strings(host_config()["Binds"]);
  ASSERT_GE(binds.size(), 2U);
  EXPECT_EQ(binds[0], "/srv/demo:/data:ro");
  EXPECT_EQ(binds[1], "demo_db:/vol:rw");
}

TEST_F(RecreateBodyTest, KeepsMountsOfHostConfig) {
  EXPECT_EQ(host_config()["Mounts"], json::parse(R"([{"Type": "tmpfs", "Target": "/scratch"}])"));
}

TEST_F(RecreateBodyTest, CarriesAnonymousVolumesStillDeclaredByTheNewImageOrTheContainer) {
  // /cache: declared by the new image; /anon: by the container (-v /anon), read-only;
  // /old-only: only the old image declared it; /vol, /data, /scratch are mounted otherwise.
  EXPECT_THAT(
      strings(host_config()["Binds"]),
      ElementsAre("/srv/demo:/data:ro", "demo_db:/vol:rw",
                  "a81e17113dd6773af0a770c13ed4fc5a1f4f9316521b0c575d983ff3f0ae3262:/cache",
                  "5b0c6fe0a2b8b1d40e3e7e9d5ad0b3c9e7a4a2e0f1d2c3b4a5968778695a4b3c:/anon:ro"));
  EXPECT_FALSE(body().contains("Volumes"));
}

TEST_F(RecreateBodyTest, CarriedVolumesNeedNoBindsOfTheirOwn) {
  container["HostConfig"].erase("Binds");
  container["Mounts"].erase(0);  // demo_db came from Binds
  EXPECT_THAT(
      strings(host_config()["Binds"]),
      ElementsAre("a81e17113dd6773af0a770c13ed4fc5a1f4f9316521b0c575d983ff3f0ae3262:/cache",
                  "5b0c6fe0a2b8b1d40e3e7e9d5ad0b3c9e7a4a2e0f1d2c3b4a5968778695a4b3c:/anon:ro"));
}

// --- Ports ---------------------------------------------------------------------------------

TEST_F(RecreateBodyTest, KeepsExposedPortsTheImageDoesNotExpose) {
  EXPECT_EQ(body()["ExposedPorts"], json::parse(R"({"9000/tcp": {}})"));
}

TEST_F(RecreateBodyTest, KeepsPortBindings) {
  EXPECT_EQ(host_config()["PortBindings"],
            json::parse(R"({"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": "18080"}]})"));
}

// --- Networks ------------------------------------------------------------------------------

TEST_F(RecreateBodyTest, KeepsNetworkMode) {
  EXPECT_EQ(host_config()["NetworkMode"], "demo_default");
}

TEST_F(RecreateBodyTest, CreatesOnTheNetworkModesNetworkWithItsAliasesButNotTheShortId) {
  EXPECT_EQ(body()["NetworkingConfig"],
            json::parse(R"({"EndpointsConfig": {"demo_default": {"Aliases": ["app"]}}})"));
}

TEST_F(RecreateBodyTest, ConnectsTheOtherNetworksAfterCreateWithAliasesAddressAndLinks) {
  EXPECT_THAT(extra_networks(container),
              ElementsAre(NetworkAttachment{"demo_backend", json::parse(R"({
                "Aliases": ["app", "api"],
                "IPAMConfig": {"IPv4Address": "172.30.0.10"},
                "Links": ["demo_cache_1:cache"]})")}));
}

TEST_F(RecreateBodyTest, ExtraNetworksAreSortedByName) {
  container["NetworkSettings"]["Networks"]["a_first"] = json::parse(R"({"Aliases": null})");
  container["NetworkSettings"]["Networks"]["z_last"] = json::parse(R"({"DriverOpts": {"k": "v"}})");
  const auto extra = extra_networks(container);
  ASSERT_EQ(extra.size(), 3U);
  EXPECT_EQ(extra[0], (NetworkAttachment{"a_first", json::object()}));
  EXPECT_EQ(extra[1].network, "demo_backend");
  EXPECT_EQ(extra[2], (NetworkAttachment{"z_last", json::parse(R"({"DriverOpts": {"k": "v"}})")}));
}

TEST_F(RecreateBodyTest, NetworkModeByIdFindsTheNetworkByName) {
  container["HostConfig"]["NetworkMode"] = "8f502d1cf3be";
  EXPECT_TRUE(body()["NetworkingConfig"]["EndpointsConfig"].contains("demo_default"));
  EXPECT_EQ(extra_networks(container).size(), 1U);
}

TEST_F(RecreateBodyTest, DefaultNetworkModeMeansTheBridge) {
  container["HostConfig"]["NetworkMode"] = "default";
  container["NetworkSettings"]["Networks"] = json::parse(R"({"bridge": {
      "IPAMConfig": null, "Links": null, "Aliases": null, "NetworkID": "aa11",
      "IPAddress": "172.17.0.2"}})");
  EXPECT_EQ(body()["NetworkingConfig"], json::parse(R"({"EndpointsConfig": {"bridge": {}}})"));
  EXPECT_TRUE(extra_networks(container).empty());
}

TEST_F(RecreateBodyTest, HostNetworkIsCreatedOnHostWithNothingToConnect) {
  container = json::parse(kHostNetworkContainer);
  EXPECT_EQ(body()["HostConfig"]["NetworkMode"], "host");
  EXPECT_EQ(body()["NetworkingConfig"], json::parse(R"({"EndpointsConfig": {"host": {}}})"));
  EXPECT_TRUE(extra_networks(container).empty());
}

TEST_F(RecreateBodyTest, AContainerNetworkModeGetsNoNetworkingConfig) {
  container["HostConfig"]["NetworkMode"] = "container:demo_db_1";
  container["Config"]["Hostname"] = "db";
  container["Config"]["Domainname"] = "example.internal";
  const auto made = body();
  EXPECT_FALSE(made.contains("NetworkingConfig"));
  EXPECT_FALSE(made.contains("Hostname"));
  EXPECT_FALSE(made.contains("Domainname"));
  EXPECT_TRUE(extra_networks(container).empty());
}

TEST_F(RecreateBodyTest, LegacyLinksComeBackInTheFormCreateTakes) {
  EXPECT_THAT(strings(host_config()["Links"]), ElementsAre("demo_db_1:db"));
}

// --- Restart policy, healthcheck -----------------------------------------------------------

TEST_F(RecreateBodyTest, KeepsRestartPolicy) {
  EXPECT_EQ(host_config()["RestartPolicy"],
            json::parse(R"({"Name": "unless-stopped", "MaximumRetryCount": 0})"));
}

TEST_F(RecreateBodyTest, KeepsAHealthcheckSetOnTheContainer) {
  EXPECT_EQ(body()["Healthcheck"], container["Config"]["Healthcheck"]);
}

TEST_F(RecreateBodyTest, LeavesTheOldImagesHealthcheckToTheNewImage) {
  old_image["Config"]["Healthcheck"] = container["Config"]["Healthcheck"];
  EXPECT_FALSE(body().contains("Healthcheck"));
}

TEST_F(RecreateBodyTest, KeepsADisabledHealthcheck) {
  old_image["Config"]["Healthcheck"] = container["Config"]["Healthcheck"];
  container["Config"]["Healthcheck"] = json::parse(R"({"Test": ["NONE"]})");
  EXPECT_EQ(body()["Healthcheck"], json::parse(R"({"Test": ["NONE"]})"));
}

TEST_F(RecreateBodyTest, NoHealthcheckAnywhereSendsNone) {
  container["Config"].erase("Healthcheck");
  EXPECT_FALSE(body().contains("Healthcheck"));
}

// --- User, working directory, command ------------------------------------------------------

TEST_F(RecreateBodyTest, KeepsUserAndWorkingDirThatDifferFromTheImage) {
  EXPECT_EQ(body()["User"], "65534");
  EXPECT_EQ(body()["WorkingDir"], "/tmp");
}

TEST_F(RecreateBodyTest, LeavesUserAndWorkingDirOfTheImageToTheNewImage) {
  old_image["Config"]["User"] = "65534";
  old_image["Config"]["WorkingDir"] = "/tmp";
  const auto made = body();
  EXPECT_FALSE(made.contains("User"));
  EXPECT_FALSE(made.contains("WorkingDir"));
}

TEST_F(RecreateBodyTest, KeepsACmdTheUserGave) {
  const auto made = body();
  EXPECT_THAT(strings(made["Cmd"]), ElementsAre("sleep", "3000"));
  EXPECT_FALSE(made.contains("Entrypoint"));
}

TEST_F(RecreateBodyTest, DoesNotPinTheImagesDefaultCmdAndEntrypoint) {
  container["Config"]["Cmd"] = old_image["Config"]["Cmd"];
  old_image["Config"]["Entrypoint"] = json::array({"/entry.sh"});
  container["Config"]["Entrypoint"] = json::array({"/entry.sh"});
  const auto made = body();
  EXPECT_FALSE(made.contains("Cmd"));
  EXPECT_FALSE(made.contains("Entrypoint"));
}

TEST_F(RecreateBodyTest, KeepsAUserEntrypointAndTheCmdWithIt) {
  // The engine does not merge an image's CMD under an explicit ENTRYPOINT, so the Cmd goes
  // along even though it equals the image's.
  container["Config"]["Entrypoint"] = json::array({"/bin/sh", "-c"});
  container["Config"]["Cmd"] = old_image["Config"]["Cmd"];
  const auto made = body();
  EXPECT_THAT(strings(made["Entrypoint"]), ElementsAre("/bin/sh", "-c"));
  EXPECT_THAT(strings(made["Cmd"]), ElementsAre("sleep", "1000"));
}

TEST_F(RecreateBodyTest, KeepsAClearedEntrypointCleared) {
  old_image["Config"]["Entrypoint"] = json::array({"/entry.sh"});
  container["Config"]["Entrypoint"] = json::array({""});
  EXPECT_THAT(strings(body()["Entrypoint"]), ElementsAre(""));
}

TEST_F(RecreateBodyTest, AnEntrypointWithoutCmdStaysWithoutTheImagesCmd) {
  // `--entrypoint /entry.sh` equal to the image's, no command: the engine left Cmd empty.
  old_image["Config"]["Entrypoint"] = json::array({"/entry.sh"});
  container["Config"]["Entrypoint"] = json::array({"/entry.sh"});
  container["Config"]["Cmd"] = nullptr;
  const auto made = body();
  EXPECT_THAT(strings(made["Entrypoint"]), ElementsAre("/entry.sh"));
  EXPECT_FALSE(made.contains("Cmd"));
}

// --- Hostname, domain, MAC -----------------------------------------------------------------

TEST_F(RecreateBodyTest, DoesNotKeepTheShortIdHostname) {
  EXPECT_FALSE(body().contains("Hostname"));
}

TEST_F(RecreateBodyTest, KeepsAnExplicitHostnameAndDomainname) {
  container["Config"]["Hostname"] = "app-server";
  container["Config"]["Domainname"] = "example.internal";
  EXPECT_EQ(body()["Hostname"], "app-server");
  EXPECT_EQ(body()["Domainname"], "example.internal");
}

TEST_F(RecreateBodyTest, DoesNotKeepTheHostsNameOnTheHostNetwork) {
  container = json::parse(kHostNetworkContainer);
  EXPECT_FALSE(body().contains("Hostname"));
}

TEST_F(RecreateBodyTest, KeepsAnExplicitMacAddress) {
  EXPECT_FALSE(body().contains("MacAddress"));
  container["Config"]["MacAddress"] = "02:42:ac:11:00:02";
  EXPECT_EQ(body()["MacAddress"], "02:42:ac:11:00:02");
}

// --- Stop signal and timeout, TTY ----------------------------------------------------------

TEST_F(RecreateBodyTest, KeepsStopTimeout) {
  EXPECT_EQ(body()["StopTimeout"], 7);
}

TEST_F(RecreateBodyTest, KeepsAStopSignalTheImageDoesNotSet) {
  container = json::parse(kHostNetworkContainer);
  EXPECT_EQ(body()["StopSignal"], "SIGINT");
  old_image["Config"]["StopSignal"] = "SIGINT";
  EXPECT_FALSE(body().contains("StopSignal"));
}

TEST_F(RecreateBodyTest, KeepsTtyAndOpenStdin) {
  EXPECT_EQ(body()["Tty"], false);
  container = json::parse(kHostNetworkContainer);
  const auto made = body();
  EXPECT_EQ(made["Tty"], true);
  EXPECT_EQ(made["OpenStdin"], true);
  EXPECT_EQ(made["StdinOnce"], false);
  EXPECT_EQ(made["AttachStdin"], true);
}

// --- The rest of HostConfig ----------------------------------------------------------------

TEST_F(RecreateBodyTest, KeepsResources) {
  const auto host = host_config();
  EXPECT_EQ(host["Memory"], 67108864);
  EXPECT_EQ(host["MemorySwap"], 134217728);
  EXPECT_EQ(host["NanoCpus"], 500000000);
  EXPECT_EQ(host["CpuShares"], 512);
  EXPECT_EQ(host["PidsLimit"], 100);
}

TEST_F(RecreateBodyTest, KeepsCapabilitiesAndPrivileged) {
  EXPECT_THAT(strings(host_config()["CapAdd"]), ElementsAre("NET_ADMIN"));
  EXPECT_EQ(host_config()["Privileged"], false);
  container = json::parse(kHostNetworkContainer);
  EXPECT_EQ(host_config()["Privileged"], true);
}

TEST_F(RecreateBodyTest, KeepsExtraHostsAndDns) {
  const auto host = host_config();
  EXPECT_THAT(strings(host["ExtraHosts"]), ElementsAre("foo:127.0.0.9"));
  EXPECT_THAT(strings(host["Dns"]), ElementsAre("127.0.0.53"));
  EXPECT_THAT(strings(host["DnsSearch"]), ElementsAre("example.internal"));
}

TEST_F(RecreateBodyTest, KeepsLogConfig) {
  EXPECT_EQ(host_config()["LogConfig"],
            json::parse(R"({"Type": "json-file", "Config": {"max-size": "1m"}})"));
}

TEST_F(RecreateBodyTest, KeepsInitAndReadOnlyRoot) {
  EXPECT_EQ(host_config()["Init"], true);
  EXPECT_EQ(host_config()["ReadonlyRootfs"], true);
}

TEST_F(RecreateBodyTest, KeepsTmpfsSysctlsUlimitsAndSecurityOptions) {
  const auto host = host_config();
  EXPECT_EQ(host["Tmpfs"], json::parse(R"({"/run": "size=1m"})"));
  EXPECT_EQ(host["Sysctls"], json::parse(R"({"net.core.somaxconn": "1024"})"));
  EXPECT_EQ(host["Ulimits"], json::parse(R"([{"Name": "nofile", "Hard": 2048, "Soft": 1024}])"));
  EXPECT_THAT(strings(host["SecurityOpt"]), ElementsAre("no-new-privileges"));
}

TEST_F(RecreateBodyTest, LeavesOutNullsAndTheCidFile) {
  const auto host = host_config();
  for (const char* key : {"VolumesFrom", "CapDrop", "GroupAdd", "BlkioDeviceReadBps",
                          "DeviceCgroupRules", "MemorySwappiness", "ContainerIDFile"}) {
    EXPECT_FALSE(host.contains(key)) << key;
  }
  container = json::parse(kHostNetworkContainer);
  EXPECT_FALSE(host_config().contains("Init"));
  EXPECT_FALSE(host_config().contains("Links"));
}

TEST_F(RecreateBodyTest, CopiesNothingTheEngineAssignsAtRuntime) {
  const auto made = body();
  for (const char* key : {"Id", "State", "Name", "Mounts", "NetworkSettings", "Created", "Path",
                          "Args", "LogPath", "Volumes", "OnBuild"}) {
    EXPECT_FALSE(made.contains(key)) << key;
  }
  const auto endpoints = made["NetworkingConfig"]["EndpointsConfig"].dump();
  for (const char* runtime : {"172.29.0.2", "02:42:ac:1d:00:02", "8f502d1cf3be", "4d20a7ee"}) {
    EXPECT_THAT(endpoints, ::testing::Not(HasSubstr(runtime)));
  }
}

// --- Errors --------------------------------------------------------------------------------

TEST_F(RecreateBodyTest, RefusesInspectWithoutConfig) {
  container.erase("Config");
  const auto made = recreate_body(container, old_image, new_image, kNewReference);
  ASSERT_FALSE(made.has_value());
  EXPECT_EQ(made.error().kind, ErrorKind::invalid_input);
  EXPECT_THAT(made.error().message, HasSubstr("container /demo_app_1 has no Config object"));
}

TEST_F(RecreateBodyTest, RefusesInspectWithoutHostConfig) {
  container["HostConfig"] = nullptr;
  const auto made = recreate_body(container, old_image, new_image, kNewReference);
  ASSERT_FALSE(made.has_value());
  EXPECT_EQ(made.error().kind, ErrorKind::invalid_input);
  EXPECT_THAT(made.error().message, HasSubstr("has no HostConfig object"));
}

TEST_F(RecreateBodyTest, RefusesSomethingThatIsNotAnInspectAnswer) {
  const auto made = recreate_body(json::array(), old_image, new_image, kNewReference);
  ASSERT_FALSE(made.has_value());
  EXPECT_THAT(made.error().message, HasSubstr("the container has no Config object"));
}

TEST_F(RecreateBodyTest, RefusesAnEmptyImage) {
  const auto made = recreate_body(container, old_image, new_image, "");
  ASSERT_FALSE(made.has_value());
  EXPECT_EQ(made.error().kind, ErrorKind::invalid_input);
}

TEST_F(RecreateBodyTest, AnImageWithoutConfigHasNoDefaults) {
  old_image = json::object();
  const auto made = body();
  EXPECT_THAT(strings(made["Env"]),
              UnorderedElementsAre("KEEP=override", "EXTRA=1", "PATH=/usr/local/bin:/usr/bin:/bin",
                                   "VERSION=1.0.0"));
  EXPECT_EQ(made["Labels"].size(), 7U);  // All but compose's config hash.
}

}  // namespace
}  // namespace wharf::update::test
