#include "integration/update/recreate_fixture.hpp"

#include <atomic>
#include <cstdlib>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "wharf/connect/engine_route.hpp"
#include "wharf/update/recreate.hpp"

namespace wharf::update::test {

using wharf::test::CommandOutput;
using wharf::test::peer_env;

namespace {

std::string first_line(const std::string& text) {
  return text.substr(0, text.find_first_of("\r\n"));
}

}  // namespace

CommandOutput DockerCli::operator()(const std::vector<std::string>& args,
                                    const std::string& input) const {
  std::vector<std::string> argv{program};
  argv.insert(argv.end(), args.begin(), args.end());
  return wharf::test::run(argv, {}, {{"DOCKER_HOST", host}}, input);
}

EngineCleanup::~EngineCleanup() {
  // Containers first (an image in use cannot go), each with the names a recreation gives
  // its neighbours; then images; then volumes, which only unused ones can. One CLI call
  // each: docker goes on past names it does not know.
  if (!containers_.empty()) {
    std::vector<std::string> remove{"rm", "--force", "--volumes"};
    for (const auto& container : containers_) {
      for (const auto& suffix :
           {std::string(), std::string(kNewSuffix), std::string(kPreviousSuffix)}) {
        remove.push_back(container + suffix);
      }
    }
    (void)docker_(remove);
  }
  if (!images_.empty()) {
    std::vector<std::string> remove{"rmi", "--force"};
    remove.insert(remove.end(), images_.begin(), images_.end());
    (void)docker_(remove);
  }
  if (!volumes_.empty()) {
    std::vector<std::string> remove{"volume", "rm", "--force"};
    remove.insert(remove.end(), volumes_.begin(), volumes_.end());
    (void)docker_(remove);
  }
}

void RecreateTest::SetUp() {
  const auto address = peer_env("WHARF_TEST_DOCKER_HOST");
  const auto cli = peer_env("WHARF_TEST_DOCKER_CLI");
  ASSERT_FALSE(HasFailure());
  docker_ = DockerCli{cli, address};
  cleanup_ = std::make_unique<EngineCleanup>(docker_);
  auto host = engine::parse_docker_host(address, "WHARF_TEST_DOCKER_HOST");
  ASSERT_TRUE(host.has_value()) << host.error().message;
  auto client = connect::connect_engine(*host);
  ASSERT_TRUE(client.has_value()) << client.error().message;
  engine_.emplace(std::move(*client));
  static std::atomic<int> counter{0};
  run_id_ = std::to_string(::getpid()) + "-" + std::to_string(++counter);
  if (!suite_cleanup_) {
    make_release_images();
  }
  ASSERT_FALSE(HasFailure());
  image_v1_ = suite_image_v1_;
  image_v2_ = suite_image_v2_;
}

void RecreateTest::make_release_images() {
  // Made once for all tests of the suite (they only read them), removed in
  // TearDownTestSuite. The worker image the peers seed holds busybox (sh, sleep, echo, …);
  // its filesystem, exported through a container that never runs, is both releases' base.
  suite_cleanup_ = std::make_unique<EngineCleanup>(docker_);
  const auto prefix = "wharftest-recreate-" + std::to_string(::getpid());
  const auto exporter = prefix + "-export";
  suite_cleanup_->add_container(exporter);
  const auto created =
      docker({"create", "--name", exporter, "--network", "none", "wharf/worker:dev"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const auto exported = docker({"export", exporter});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  rootfs_tar_ = exported.out;

  suite_image_v1_ = prefix + "-app:1.0.0";
  suite_image_v2_ = prefix + "-app:2.0.0";
  suite_cleanup_->add_image(suite_image_v1_);
  suite_cleanup_->add_image(suite_image_v2_);
  import_image(suite_image_v1_,
               {"ENV VERSION=1.0.0", "ENV KEEP=image", "LABEL org.example.version=1.0.0",
                "LABEL org.example.vendor=acme", R"(CMD ["sleep","1000"])"});
  import_image(suite_image_v2_,
               {"ENV VERSION=2.0.0", "ENV KEEP=image", "LABEL org.example.version=2.0.0",
                "LABEL org.example.vendor=acme", R"(CMD ["sleep","1001"])"});
}

void RecreateTest::TearDownTestSuite() {
  suite_cleanup_.reset();
}

void RecreateTest::TearDown() {
  cleanup_.reset();
}

std::string RecreateTest::unique(const std::string& what) const {
  return "wharftest-recreate-" + run_id_ + "-" + what;
}

CommandOutput RecreateTest::docker(const std::vector<std::string>& args,
                                   const std::string& input) const {
  return docker_(args, input);
}

void RecreateTest::make_image(const std::string& reference,
                              const std::vector<std::string>& changes) {
  cleanup_->add_image(reference);
  import_image(reference, changes);
}

void RecreateTest::import_image(const std::string& reference,
                                const std::vector<std::string>& changes) {
  std::vector<std::string> args{"import"};
  for (const auto& change : changes) {
    args.insert(args.end(), {"--change", change});
  }
  args.insert(args.end(), {"-", reference});
  const auto imported = docker(args, rootfs_tar_);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
}

std::string RecreateTest::run_container(const std::string& name,
                                        const std::vector<std::string>& args) {
  std::vector<std::string> argv{"run", "--detach", "--name", name};
  argv.insert(argv.end(), args.begin(), args.end());
  cleanup_->add_container(name);
  const auto ran = docker(argv);
  EXPECT_EQ(ran.exit_code, 0) << ran.err;
  return ran.exit_code == 0 ? first_line(ran.out) : std::string();
}

nlohmann::json RecreateTest::inspect(const std::string& container) const {
  const auto inspected = docker({"inspect", "--type", "container", container});
  EXPECT_EQ(inspected.exit_code, 0) << inspected.err;
  const auto json = nlohmann::json::parse(inspected.out, nullptr, false);
  if (!json.is_array() || json.empty()) {
    ADD_FAILURE() << "docker inspect " << container << " printed " << inspected.out;
    return nullptr;
  }
  return json[0];
}

bool RecreateTest::exists(const std::string& container) const {
  return docker({"inspect", "--type", "container", container}).exit_code == 0;
}

}  // namespace wharf::update::test
