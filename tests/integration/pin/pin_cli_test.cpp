// `wharf pin` and `wharf release tags` end to end: the real binary in real git repositories.
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/peers.hpp"

namespace wharf::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The acceptance case: comments, export, both quote styles, a value with '=', '#' inside quotes,
// CRLF on one line and no final newline. Only the IMAGE_TAG line may change.
constexpr const char* kEnvBefore =
    "# wharf stack settings\n"
    "COMPOSE_PROJECT_NAME=demo\n"
    "\n"
    "export WORKER_IMAGE=\"127.0.0.1:5000/acme/worker\"  # the worker repository\n"
    "IMAGE_TAG='1.9.0' # pinned by wharf\n"
    "DATABASE_URL=postgres://u:p@db/app?sslmode=disable&x=1\r\n"
    "GREETING=\"hello # not a comment\"\n"
    "TASK_EXECUTOR_IMAGE=";
constexpr const char* kEnvAfter =
    "# wharf stack settings\n"
    "COMPOSE_PROJECT_NAME=demo\n"
    "\n"
    "export WORKER_IMAGE=\"127.0.0.1:5000/acme/worker\"  # the worker repository\n"
    "IMAGE_TAG='1.10.0' # pinned by wharf\n"
    "DATABASE_URL=postgres://u:p@db/app?sslmode=disable&x=1\r\n"
    "GREETING=\"hello # not a comment\"\n"
    "TASK_EXECUTOR_IMAGE=";

class PinTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(root() / "docker");
    git({"init", "-q", "-b", "main"});
    git({"config", "user.email", "test@example.invalid"});
    git({"config", "user.name", "wharf test"});
    write_file(root() / "README", "x\n");
    git({"add", "README"});
    git({"commit", "-q", "-m", "first"});
  }

  [[nodiscard]] const std::filesystem::path& root() const { return dir_.path(); }

  void git(std::vector<std::string> args) {
    args.insert(args.begin(), "git");
    const auto result = run(args, root());
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }

  CommandOutput wharf(std::vector<std::string> args) { return run_wharf(args, root()); }

  // Every bad-input case must leave both files byte-identical.
  void expect_untouched(const std::string& version, const std::string& env) {
    EXPECT_EQ(read_file(root() / "VERSION"), version);
    EXPECT_EQ(read_file(root() / "docker/.env"), env);
    // No temp file left behind next to either file.
    EXPECT_EQ(names_in(root()), (std::set<std::string>{".git", "README", "VERSION", "docker"}));
    EXPECT_EQ(names_in(root() / "docker"), (std::set<std::string>{".env"}));
  }

  static std::set<std::string> names_in(const std::filesystem::path& dir) {
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      names.insert(entry.path().filename().string());
    }
    return names;
  }

  TempDir dir_;
};

TEST_F(PinTest, PinsFromTheGitTagAndChangesOnlyTheImageTagLine) {
  write_file(root() / "docker/.env", kEnvBefore);
  git({"tag", "v1.10.0"});

  const auto pinned = wharf({"pin"});
  ASSERT_EQ(pinned.exit_code, 0) << pinned.err;
  EXPECT_THAT(pinned.out, HasSubstr("v1.10.0 (from git tag)"));
  EXPECT_EQ(read_file(root() / "VERSION"), "v1.10.0\n");
  EXPECT_EQ(read_file(root() / "docker/.env"), kEnvAfter);

  const auto check = wharf({"pin", "--check"});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;

  // Someone edits IMAGE_TAG by hand: the check must notice and say which source disagrees.
  std::string edited = kEnvAfter;
  edited.replace(edited.find("'1.10.0'"), 8, "'1.9.0'");
  write_file(root() / "docker/.env", edited);
  const auto mismatch = wharf({"pin", "--check"});
  EXPECT_EQ(mismatch.exit_code, 1);
  EXPECT_THAT(mismatch.out, HasSubstr("IMAGE_TAG"));
  EXPECT_THAT(mismatch.out, HasSubstr("MISMATCH"));
  EXPECT_THAT(mismatch.out, HasSubstr("expected 1.10.0"));

  const auto json = wharf({"pin", "--check", "--json"});
  EXPECT_EQ(json.exit_code, 1);
  const auto document = nlohmann::json::parse(json.out);
  EXPECT_FALSE(document["ok"].get<bool>());
  EXPECT_EQ(document["expected_version"], "v1.10.0");
  bool found = false;
  for (const auto& source : document["sources"]) {
    if (source["source"] == "docker/.env IMAGE_TAG") {
      found = true;
      EXPECT_EQ(source["value"], "1.9.0");
      EXPECT_FALSE(source["agrees"].get<bool>());
    }
  }
  EXPECT_TRUE(found) << json.out;
}

TEST_F(PinTest, SecondPinWritesNothing) {
  write_file(root() / "docker/.env", kEnvBefore);
  git({"tag", "v1.10.0"});
  ASSERT_EQ(wharf({"pin"}).exit_code, 0);
  const auto before = std::filesystem::last_write_time(root() / "docker/.env");
  const auto again = wharf({"pin", "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const auto document = nlohmann::json::parse(again.out);
  EXPECT_FALSE(document["version_file_written"].get<bool>());
  EXPECT_FALSE(document["env_file_written"].get<bool>());
  EXPECT_EQ(std::filesystem::last_write_time(root() / "docker/.env"), before);
}

TEST_F(PinTest, CreatesEnvFromTheExampleAndFallsBackToVersionFile) {
  write_file(root() / "docker/.env.example", "# copy me\nIMAGE_TAG=0.0.0\nWORKER_IMAGE=w/worker\n");
  write_file(root() / "VERSION", "v1.3.0-dev.2\n");
  const auto pinned = wharf({"pin", "--json"});
  ASSERT_EQ(pinned.exit_code, 0) << pinned.err;
  const auto document = nlohmann::json::parse(pinned.out);
  EXPECT_EQ(document["source"], "VERSION");
  EXPECT_TRUE(document["env_file_created"].get<bool>());
  EXPECT_EQ(read_file(root() / "docker/.env"),
            "# copy me\nIMAGE_TAG=1.3.0-dev.2\nWORKER_IMAGE=w/worker\n");
  EXPECT_EQ(read_file(root() / "docker/.env.example"),
            "# copy me\nIMAGE_TAG=0.0.0\nWORKER_IMAGE=w/worker\n");
  EXPECT_EQ(wharf({"pin", "--check"}).exit_code, 0);
}

TEST_F(PinTest, ExplicitVersionWinsOverTheTag) {
  write_file(root() / "docker/.env", "IMAGE_TAG=1\n");
  git({"tag", "v1.0.0"});
  const auto pinned = wharf({"pin", "--version", "2.0.0-rc.1"});
  ASSERT_EQ(pinned.exit_code, 0) << pinned.err;
  EXPECT_EQ(read_file(root() / "VERSION"), "v2.0.0-rc.1\n");
  EXPECT_EQ(read_file(root() / "docker/.env"), "IMAGE_TAG=2.0.0-rc.1\n");
  // The tag on HEAD now disagrees with VERSION, and the check says so.
  const auto check = wharf({"pin", "--check"});
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_THAT(check.out, HasSubstr("expected v1.0.0"));
}

TEST_F(PinTest, DevModePointsAtLocalImagesAndAReleasePinClearsIt) {
  write_file(root() / "docker/.env", "WORKER_IMAGE=acme/worker\nIMAGE_TAG=1.0.0\n");
  write_file(root() / "VERSION", "v1.0.0\n");
  const auto dev = wharf({"pin", "--dev"});
  ASSERT_EQ(dev.exit_code, 0) << dev.err;
  EXPECT_EQ(read_file(root() / "VERSION"), "v1.0.0\n");
  EXPECT_EQ(read_file(root() / "docker/.env"),
            "WORKER_IMAGE=acme/worker\nIMAGE_TAG=dev\nTASK_EXECUTOR_IMAGE=acme/worker:dev\n");
  EXPECT_EQ(wharf({"pin", "--check"}).exit_code, 1);

  const auto release = wharf({"pin"});
  ASSERT_EQ(release.exit_code, 0) << release.err;
  EXPECT_EQ(read_file(root() / "docker/.env"),
            "WORKER_IMAGE=acme/worker\nIMAGE_TAG=1.0.0\nTASK_EXECUTOR_IMAGE=\n");
  EXPECT_EQ(wharf({"pin", "--check"}).exit_code, 0);
}

TEST_F(PinTest, NonSemverTagIsRefusedAndNothingChanges) {
  write_file(root() / "docker/.env", kEnvBefore);
  write_file(root() / "VERSION", "v1.0.0\n");
  git({"tag", "v1.2"});
  const auto result = wharf({"pin"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("'v1.2'"));
  expect_untouched("v1.0.0\n", kEnvBefore);
}

TEST_F(PinTest, MalformedVersionFileIsRefusedAndNothingChanges) {
  write_file(root() / "docker/.env", kEnvBefore);
  write_file(root() / "VERSION", "version one\n");
  const auto result = wharf({"pin", "--version", "1.2.3"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("VERSION:1"));
  expect_untouched("version one\n", kEnvBefore);
}

TEST_F(PinTest, MalformedEnvLineIsRefusedWithItsLineNumber) {
  const std::string env = "IMAGE_TAG=1.0.0\n# fine\nthis is not an assignment\n";
  write_file(root() / "docker/.env", env);
  write_file(root() / "VERSION", "v1.0.0\n");
  const auto result = wharf({"pin", "--version", "1.1.0"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr(".env:3"));
  expect_untouched("v1.0.0\n", env);
}

// A project downloaded as an archive has no git: it pins from VERSION, and says so.
TEST_F(PinTest, OutsideAGitCheckoutItPinsFromTheVersionFile) {
  TempDir archive;
  std::filesystem::create_directories(archive.path() / "docker");
  write_file(archive.path() / "docker/.env.example", "IMAGE_TAG=0.0.0\nWORKER_IMAGE=w/worker\n");
  write_file(archive.path() / "VERSION", "v1.4.0\n");
  const auto pinned = run_wharf({"pin"}, archive.path());
  ASSERT_EQ(pinned.exit_code, 0) << pinned.err;
  EXPECT_THAT(pinned.out, HasSubstr("v1.4.0 (from VERSION: not a git checkout)"));
  EXPECT_EQ(read_file(archive.path() / "docker/.env"), "IMAGE_TAG=1.4.0\nWORKER_IMAGE=w/worker\n");
  EXPECT_EQ(read_file(archive.path() / "VERSION"), "v1.4.0\n");
  EXPECT_EQ(run_wharf({"pin", "--check"}, archive.path()).exit_code, 0);

  // Without VERSION there is nothing to pin, and the sentence says what to do.
  std::filesystem::remove(archive.path() / "VERSION");
  const auto nothing = run_wharf({"pin"}, archive.path());
  EXPECT_EQ(nothing.exit_code, 3);
  EXPECT_THAT(nothing.err, HasSubstr("is not a git checkout"));
  EXPECT_THAT(nothing.err, HasSubstr("VERSION does not exist"));
  EXPECT_EQ(read_file(archive.path() / "docker/.env"), "IMAGE_TAG=1.4.0\nWORKER_IMAGE=w/worker\n");
}

TEST_F(PinTest, AMissingRootDirectoryIsSaidAsSuchByEveryCommand) {
  const auto missing = (root() / "no-such-project").string();
  for (const std::vector<std::string>& command : {std::vector<std::string>{"pin"},
                                                  {"pin", "--check"},
                                                  {"release", "tags"},
                                                  {"status"},
                                                  {"images", "status"},
                                                  {"update", "--check"},
                                                  {"history"},
                                                  {"run", "--", "true"}}) {
    auto args = command;
    args.insert(args.begin(), {"-C", missing});
    const auto result = wharf(args);
    EXPECT_EQ(result.exit_code, 2) << command.front() << ": " << result.err;
    EXPECT_EQ(result.err, "wharf: error: the project folder " + missing +
                              " given with -C/--root does not exist or is not a directory — pass "
                              "the folder that holds VERSION and docker/\n")
        << command.front();
  }
}

TEST_F(PinTest, NoEnvFileAndNoExampleSaysWhatToDo) {
  write_file(root() / "VERSION", "v1.0.0\n");
  const auto result = wharf({"pin"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("no " + (root() / "docker/.env").string() +
                                    " (nor docker/.env.example to create it from): create it"));
  EXPECT_THAT(result.err, HasSubstr("or pass -C/--root"));
  EXPECT_EQ(names_in(root() / "docker"), std::set<std::string>{});

  const auto update = wharf({"update", "--check"});
  EXPECT_EQ(update.exit_code, 2);
  EXPECT_THAT(update.err, HasSubstr("no " + (root() / "docker/.env").string()));

  write_file(root() / "docker/.env.example", "IMAGE_TAG=0.0.0\n");
  const auto with_example = wharf({"update", "--check"});
  EXPECT_EQ(with_example.exit_code, 2);
  EXPECT_THAT(with_example.err, HasSubstr(": run `wharf pin` to create it from"));
}

TEST_F(PinTest, ReadOnlyDockerDirectoryIsRefusedAndVersionIsPutBack) {
  write_file(root() / "docker/.env", kEnvBefore);
  write_file(root() / "VERSION", "v1.0.0\n");
  git({"tag", "v1.10.0"});
  // A read-only bind mount in a private mount namespace: root ignores permission bits, so this
  // is the honest way to make docker/ unwritable in a test running as root.
  const auto docker_dir = (root() / "docker").string();
  const auto result = run({"unshare", "-m", "sh", "-c",
                           "mount --bind \"$1\" \"$1\" && mount -o remount,ro,bind \"$1\" && cd "
                           "\"$2\" && exec \"$3\" pin",
                           "sh", docker_dir, root().string(), WHARF_BINARY});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.err, HasSubstr("docker"));
  EXPECT_THAT(result.err, HasSubstr("writ"));
  expect_untouched("v1.0.0\n", kEnvBefore);
}

TEST_F(PinTest, ReleaseTagsFollowSemverPrecedence) {
  git({"tag", "v1.9.0"});
  write_file(root() / "README", "y\n");
  git({"commit", "-qam", "second"});
  git({"tag", "v1.10.0"});
  git({"tag", "v2.0.0-rc.1"});
  git({"tag", "stable"});

  auto tags = wharf({"release", "tags"});
  ASSERT_EQ(tags.exit_code, 0) << tags.err;
  // HEAD carries both v1.10.0 and v2.0.0-rc.1: the highest wins, and a pre-release only gets its
  // own tag.
  EXPECT_EQ(tags.out, "2.0.0-rc.1\n");

  tags = wharf({"release", "tags", "v1.10.0"});
  EXPECT_EQ(tags.out, "1.10.0\n1.10\n1\nlatest\n");
  tags = wharf({"release", "tags", "v1.9.1"});
  EXPECT_EQ(tags.out, "1.9.1\n1.9\n");

  const auto images = wharf({"release", "tags", "v1.10.0", "--image", "127.0.0.1:5000/acme/app"});
  EXPECT_EQ(images.out,
            "127.0.0.1:5000/acme/app:1.10.0\n127.0.0.1:5000/acme/app:1.10\n"
            "127.0.0.1:5000/acme/app:1\n127.0.0.1:5000/acme/app:latest\n");

  const auto json = wharf({"release", "tags", "v1.10.0", "--json"});
  const auto document = nlohmann::json::parse(json.out);
  EXPECT_EQ(document["tags"], nlohmann::json({"1.10.0", "1.10", "1", "latest"}));
}

// Without a release tag on HEAD the version comes from VERSION: release tags says so.
TEST_F(PinTest, ReleaseTagsSayWhereTheVersionCameFrom) {
  write_file(root() / "VERSION", "v1.3.0\n");
  auto tags = wharf({"release", "tags"});
  ASSERT_EQ(tags.exit_code, 0) << tags.err;
  EXPECT_EQ(tags.out, "1.3.0\n1.3\n1\nlatest\n");
  EXPECT_THAT(tags.err, HasSubstr("v1.3.0 (from VERSION: HEAD has no release tag)"));

  git({"tag", "v1.3.0"});
  tags = wharf({"release", "tags"});
  ASSERT_EQ(tags.exit_code, 0) << tags.err;
  EXPECT_THAT(tags.err, HasSubstr("v1.3.0 (from git tag)"));
}

TEST_F(PinTest, ReleaseTagsAppendToGithubOutput) {
  write_file(root() / "gh-output", "earlier=1\n");
  const auto result =
      run_wharf({"release", "tags", "v1.2.3", "--existing", "v1.2.2", "--github-output"}, root(),
                {{"GITHUB_OUTPUT", (root() / "gh-output").string()}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto written = read_file(root() / "gh-output");
  EXPECT_THAT(written, ::testing::StartsWith("earlier=1\nversion=1.2.3\ntags<<"));
  EXPECT_THAT(written, HasSubstr("\n1.2.3\n1.2\n1\nlatest\n"));

  const auto missing =
      run_wharf({"release", "tags", "v1.2.3", "--github-output"}, root(), {{"GITHUB_OUTPUT", ""}});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("GITHUB_OUTPUT"));
}

// `release tags --version X` is `release tags X`, as `pin --version X` gives pin its version:
// it is never wharf's own --version, which printed wharf's version and exited 0.
TEST_F(PinTest, ReleaseTagsTakeTheVersionAsAnOptionToo) {
  git({"tag", "v1.1.0"});
  const auto positional = wharf({"release", "tags", "v1.2.3"});
  ASSERT_EQ(positional.exit_code, 0) << positional.err;
  EXPECT_EQ(positional.out, "1.2.3\n1.2\n1\nlatest\n");
  for (const auto& args : {std::vector<std::string>{"release", "tags", "--version", "v1.2.3"},
                           std::vector<std::string>{"release", "tags", "--version=v1.2.3"}}) {
    SCOPED_TRACE(::testing::PrintToString(args));
    const auto option = wharf(args);
    ASSERT_EQ(option.exit_code, 0) << option.err;
    EXPECT_EQ(option.out, positional.out);
    EXPECT_THAT(option.err, HasSubstr("release v1.2.3 (from --version)"));
  }
  const auto both = wharf({"release", "tags", "v1.2.3", "--version", "v1.2.4"});
  EXPECT_EQ(both.exit_code, 2) << both.out << both.err;
  // pin's own --version is unchanged.
  write_file(root() / "docker/.env", "IMAGE_TAG=1.1.0\n");
  const auto pinned = wharf({"pin", "--version", "v1.2.3"});
  ASSERT_EQ(pinned.exit_code, 0) << pinned.err;
  EXPECT_EQ(read_file(root() / "VERSION"), "v1.2.3\n");
}

TEST_F(PinTest, ReleaseTagsRejectABadVersion) {
  const auto result = wharf({"release", "tags", "1.2"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("'1.2'"));
}

// --- the v tag style: image tags that keep the git tag's v ---------------------------------

constexpr const char* kVEnv = "# stack\nIMAGE_TAG=v1.0.0  # pinned\nWORKER_IMAGE=acme/worker\n";

TEST_F(PinTest, AVStyleProjectKeepsItsVEverywhere) {
  write_file(root() / "docker/.env", kVEnv);
  git({"tag", "v1.1.0"});
  const auto pinned = wharf({"pin", "--json"});
  ASSERT_EQ(pinned.exit_code, 0) << pinned.err;
  const auto document = nlohmann::json::parse(pinned.out);
  EXPECT_EQ(document["image_tag"], "v1.1.0");
  EXPECT_EQ(document.value("tag_style", ""), "v");
  // Only IMAGE_TAG changed: the style is detected, never written.
  EXPECT_EQ(read_file(root() / "docker/.env"),
            "# stack\nIMAGE_TAG=v1.1.0  # pinned\nWORKER_IMAGE=acme/worker\n");
  EXPECT_EQ(read_file(root() / "VERSION"), "v1.1.0\n");

  const auto check = wharf({"pin", "--check", "--json"});
  EXPECT_EQ(check.exit_code, 0) << check.out;
  EXPECT_EQ(nlohmann::json::parse(check.out).value("expected_image_tag", ""), "v1.1.0");

  auto tags = wharf({"release", "tags"});
  ASSERT_EQ(tags.exit_code, 0) << tags.err;
  EXPECT_EQ(tags.out, "v1.1.0\nv1.1\nv1\nlatest\n");
  EXPECT_THAT(tags.err, HasSubstr("in the v style"));
  tags = wharf({"release", "tags", "v1.0.5", "--image", "127.0.0.1:5000/acme/app"});
  EXPECT_EQ(tags.out, "127.0.0.1:5000/acme/app:v1.0.5\n127.0.0.1:5000/acme/app:v1.0\n");

  // A plain IMAGE_TAG edited in by hand is a mismatch, and the note says which style is meant.
  write_file(root() / "docker/.env",
             "# stack\nIMAGE_TAG=1.1.0  # pinned\nWORKER_IMAGE=acme/worker\nWHARF_TAG_STYLE=v\n");
  const auto mismatch = wharf({"pin", "--check"});
  EXPECT_EQ(mismatch.exit_code, 1);
  EXPECT_THAT(mismatch.out, HasSubstr("expected v1.1.0 (tag style v, from WHARF_TAG_STYLE"));
}

TEST_F(PinTest, TheStyleComesFromTheKeyThenImageTagThenTheExample) {
  git({"tag", "v2.0.0"});
  // The key wins over the IMAGE_TAG already there.
  write_file(root() / "docker/.env", "WHARF_TAG_STYLE=v\nIMAGE_TAG=1.0.0\n");
  ASSERT_EQ(wharf({"pin"}).exit_code, 0);
  EXPECT_EQ(read_file(root() / "docker/.env"), "WHARF_TAG_STYLE=v\nIMAGE_TAG=v2.0.0\n");
  write_file(root() / "docker/.env", "WHARF_TAG_STYLE=plain\nIMAGE_TAG=v1.0.0\n");
  ASSERT_EQ(wharf({"pin"}).exit_code, 0);
  EXPECT_EQ(read_file(root() / "docker/.env"), "WHARF_TAG_STYLE=plain\nIMAGE_TAG=2.0.0\n");

  // A new .env from a v-style example.
  std::filesystem::remove(root() / "docker/.env");
  write_file(root() / "docker/.env.example", "IMAGE_TAG=v0.0.0\n");
  ASSERT_EQ(wharf({"pin"}).exit_code, 0);
  EXPECT_EQ(read_file(root() / "docker/.env"), "IMAGE_TAG=v2.0.0\n");

  // .env without any hint (no IMAGE_TAG yet) asks the example.
  write_file(root() / "docker/.env", "WORKER_IMAGE=acme/worker\n");
  ASSERT_EQ(wharf({"pin"}).exit_code, 0);
  EXPECT_EQ(read_file(root() / "docker/.env"), "WORKER_IMAGE=acme/worker\nIMAGE_TAG=v2.0.0\n");

  // Asked for: --tag-style writes the key.
  const auto asked = wharf({"pin", "--tag-style", "plain"});
  ASSERT_EQ(asked.exit_code, 0) << asked.err;
  EXPECT_EQ(read_file(root() / "docker/.env"),
            "WORKER_IMAGE=acme/worker\nIMAGE_TAG=2.0.0\nWHARF_TAG_STYLE=plain\n");
  EXPECT_EQ(wharf({"pin", "--tag-style", "V"}).exit_code, 2);
}

TEST_F(PinTest, AnInvalidTagStyleNamesTheLineAndTheValuesAndChangesNothing) {
  const std::string env = "IMAGE_TAG=v1.0.0\nWHARF_TAG_STYLE=with-v\n";
  write_file(root() / "docker/.env", env);
  write_file(root() / "VERSION", "v1.0.0\n");
  git({"tag", "v1.1.0"});
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"pin"}, {"pin", "--check"}, {"release", "tags"}}) {
    const auto result = wharf(command);
    EXPECT_EQ(result.exit_code, 2) << command.back();
    EXPECT_THAT(result.err, HasSubstr(".env:2: WHARF_TAG_STYLE='with-v' is not a tag style"));
    EXPECT_THAT(result.err, HasSubstr("WHARF_TAG_STYLE=v "));
    EXPECT_THAT(result.err, HasSubstr("WHARF_TAG_STYLE=plain"));
  }
  expect_untouched("v1.0.0\n", env);
}

TEST_F(PinTest, ADevPinWarnsWhenItReplacesTheOnlyHintOfTheVStyle) {
  write_file(root() / "docker/.env", kVEnv);
  write_file(root() / "VERSION", "v1.0.0\n");
  const auto dev = wharf({"pin", "--dev"});
  ASSERT_EQ(dev.exit_code, 0) << dev.err;
  EXPECT_THAT(dev.err, HasSubstr("add WHARF_TAG_STYLE=v to docker/.env"));
  EXPECT_THAT(read_file(root() / "docker/.env"), HasSubstr("IMAGE_TAG=dev"));
  EXPECT_THAT(read_file(root() / "docker/.env"), Not(HasSubstr("WHARF_TAG_STYLE")));

  // With the key, no warning, and the release pin comes back to v1.0.0.
  write_file(root() / "docker/.env", std::string(kVEnv) + "WHARF_TAG_STYLE=v\n");
  const auto keyed = wharf({"pin", "--dev"});
  ASSERT_EQ(keyed.exit_code, 0) << keyed.err;
  EXPECT_EQ(keyed.err, "");
  ASSERT_EQ(wharf({"pin"}).exit_code, 0);
  EXPECT_THAT(read_file(root() / "docker/.env"), HasSubstr("IMAGE_TAG=v1.0.0"));
}

// --- temporary files a killed pin leaves ---------------------------------------------------

TEST_F(PinTest, APinRemovesTheTemporaryFilesOfAKilledPinAndNothingElse) {
  write_file(root() / "docker/.env", kEnvBefore);
  write_file(root() / "VERSION", "v1.9.0\n");
  git({"tag", "v1.10.0"});
  // What a killed writer leaves: exactly wharf's own names...
  write_file(root() / ".VERSION.Ab12Cd", "v1.8.0\n");
  write_file(root() / "docker/..env.xY9z0Q", "IMAGE_TAG=1.8.0\n");
  // ...and look-alikes that are not wharf's, which must stay.
  const std::set<std::string> foreign_root{".VERSION.Ab12C", ".VERSION.Ab12Cd7", ".VERSION.Ab-2Cd",
                                           ".README.Ab12Cd"};
  const std::set<std::string> foreign_docker{"..env.Ab12C", ".env.Ab12Cd", "..env.example.AAAAAA",
                                             "..env.ab_12c"};
  for (const auto& name : foreign_root) {
    write_file(root() / name, "x");
  }
  for (const auto& name : foreign_docker) {
    write_file(root() / "docker" / name, "x");
  }
  std::filesystem::create_directory(root() / "docker/..env.DIR123");

  const auto pinned = wharf({"pin"});
  ASSERT_EQ(pinned.exit_code, 0) << pinned.err;
  EXPECT_EQ(read_file(root() / "docker/.env"), kEnvAfter);
  auto expected_root = foreign_root;
  expected_root.insert({".git", "README", "VERSION", "docker"});
  EXPECT_EQ(names_in(root()), expected_root);
  auto expected_docker = foreign_docker;
  expected_docker.insert({".env", "..env.DIR123"});
  EXPECT_EQ(names_in(root() / "docker"), expected_docker);
}

// A real SIGKILL between writing a temporary file and renaming it (the test-only failpoint),
// then a pin that cleans up after it.
TEST_F(PinTest, APinKilledMidWriteLeavesTheFilesIntactAndTheNextOneCleansUp) {
  write_file(root() / "docker/.env", kEnvBefore);
  write_file(root() / "VERSION", "v1.9.0\n");
  git({"tag", "v1.10.0"});
  const auto temporaries = [&](const std::filesystem::path& dir, const std::string& prefix) {
    std::size_t count = 0;
    for (const auto& name : names_in(dir)) {
      count += name.starts_with(prefix) && name.size() == prefix.size() + 6 ? 1 : 0;
    }
    return count;
  };

  auto killed = run_wharf({"pin"}, root(), {{"WHARF_ATOMIC_WRITE_FAILPOINT", "VERSION"}});
  EXPECT_EQ(killed.exit_code, 128 + 9) << killed.err;
  EXPECT_EQ(read_file(root() / "VERSION"), "v1.9.0\n");
  EXPECT_EQ(read_file(root() / "docker/.env"), kEnvBefore);
  EXPECT_EQ(temporaries(root(), ".VERSION."), 1U);

  killed = run_wharf({"pin"}, root(), {{"WHARF_ATOMIC_WRITE_FAILPOINT", ".env"}});
  EXPECT_EQ(killed.exit_code, 128 + 9) << killed.err;
  EXPECT_EQ(read_file(root() / "docker/.env"), kEnvBefore);
  EXPECT_EQ(temporaries(root() / "docker", "..env."), 1U);
  // That run already removed the first run's VERSION temporary before writing its own file.
  EXPECT_EQ(temporaries(root(), ".VERSION."), 0U);

  const auto pinned = wharf({"pin"});
  ASSERT_EQ(pinned.exit_code, 0) << pinned.err;
  EXPECT_EQ(read_file(root() / "VERSION"), "v1.10.0\n");
  EXPECT_EQ(read_file(root() / "docker/.env"), kEnvAfter);
  EXPECT_EQ(names_in(root()), (std::set<std::string>{".git", "README", "VERSION", "docker"}));
  EXPECT_EQ(names_in(root() / "docker"), (std::set<std::string>{".env"}));
}

// A wharf built without tests (tools/install.sh, the image) has no failpoints: the same
// variable that kills the test build's pin above changes nothing.
TEST_F(PinTest, AWharfWithoutTestHooksIsNotKilledByTheWriteFailpoint) {
  write_file(root() / "docker/.env", kEnvBefore);
  write_file(root() / "VERSION", "v1.9.0\n");
  git({"tag", "v1.10.0"});
  for (const std::string file : {"VERSION", ".env"}) {
    SCOPED_TRACE(file);
    write_file(root() / "docker/.env", kEnvBefore);
    write_file(root() / "VERSION", "v1.9.0\n");
    const auto pinned =
        run_wharf({"pin"}, root(), {{"WHARF_ATOMIC_WRITE_FAILPOINT", file}}, TestHooks::without);
    ASSERT_EQ(pinned.exit_code, 0) << pinned.err;
    EXPECT_EQ(read_file(root() / "VERSION"), "v1.10.0\n");
    EXPECT_EQ(read_file(root() / "docker/.env"), kEnvAfter);
    EXPECT_EQ(names_in(root()), (std::set<std::string>{".git", "README", "VERSION", "docker"}));
    EXPECT_EQ(names_in(root() / "docker"), (std::set<std::string>{".env"}));
  }
}

}  // namespace
}  // namespace wharf::test
