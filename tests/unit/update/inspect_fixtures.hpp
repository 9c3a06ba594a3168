#pragma once

// Inspect answers for the recreate tests, taken from `docker inspect` on the private test
// engine (dockerd 20.10.24) and trimmed to the fields that matter. The engine there has no
// bridge, so the user-defined networks of kServiceContainer (a compose v1 service on
// demo_default and demo_backend) were written by hand in the shape 20.10 reports them; the
// rest of that container is a real answer with its names changed.

namespace wharf::update::test {

/// GET /images/{id}/json of the image the containers run ("demo/app:1.0.0").
inline constexpr const char* kOldImage = R"json({
  "Id": "sha256:631f52e17770dc8e2713445d3d9801bda29cc214039b317f7cf9bc96582da4a3",
  "RepoTags": ["demo/app:1.0.0"],
  "Config": {
    "Hostname": "", "Domainname": "", "User": "", "AttachStdin": false,
    "AttachStdout": false, "AttachStderr": false,
    "ExposedPorts": {"8080/tcp": {}},
    "Tty": false, "OpenStdin": false, "StdinOnce": false,
    "Env": ["PATH=/usr/local/bin:/usr/bin:/bin", "VERSION=1.0.0", "KEEP=image"],
    "Cmd": ["sleep", "1000"],
    "Image": "",
    "Volumes": {"/cache": {}, "/old-only": {}},
    "WorkingDir": "/",
    "Entrypoint": null,
    "OnBuild": null,
    "Labels": {"org.example.vendor": "acme", "org.example.version": "1.0.0"}
  },
  "Architecture": "amd64", "Os": "linux", "Size": 1982538
})json";

/// The next release of that image: another VERSION and version label, /old-only no longer
/// a volume.
inline constexpr const char* kNewImage = R"json({
  "Id": "sha256:8d1f0b3c47e6a2f5c0e9b8d7a6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7",
  "RepoTags": ["demo/app:2.0.0"],
  "Config": {
    "Hostname": "", "Domainname": "", "User": "",
    "ExposedPorts": {"8080/tcp": {}},
    "Env": ["PATH=/usr/local/bin:/usr/bin:/bin", "VERSION=2.0.0", "KEEP=image"],
    "Cmd": ["sleep", "1000"],
    "Volumes": {"/cache": {}},
    "WorkingDir": "/",
    "Entrypoint": null,
    "Labels": {"org.example.vendor": "acme", "org.example.version": "2.0.0"}
  }
})json";

/// A compose v1 service container on two user-defined networks, with a user healthcheck,
/// user, workdir, command, bind, named and anonymous volumes, a published port.
inline constexpr const char* kServiceContainer = R"json({
  "Id": "3f4e1c2b9a7dc65d6f5b8f875e415d16284ca7eb2d81ea986bbce74941fd5ea3",
  "Created": "2026-11-23T15:19:05.234199312Z",
  "Path": "sleep", "Args": ["3000"],
  "State": {"Status": "running", "Running": true, "Pid": 7395, "ExitCode": 0,
            "StartedAt": "2026-11-23T15:19:06.390551308Z",
            "Health": {"Status": "healthy", "FailingStreak": 0, "Log": []}},
  "Image": "sha256:631f52e17770dc8e2713445d3d9801bda29cc214039b317f7cf9bc96582da4a3",
  "ResolvConfPath": "/var/lib/docker/containers/3f4e1c2b9a7d/resolv.conf",
  "HostnamePath": "/var/lib/docker/containers/3f4e1c2b9a7d/hostname",
  "LogPath": "/var/lib/docker/containers/3f4e1c2b9a7d/3f4e1c2b9a7d-json.log",
  "Name": "/demo_app_1",
  "RestartCount": 0,
  "Driver": "overlay2",
  "HostConfig": {
    "Binds": ["/srv/demo:/data:ro", "demo_db:/vol:rw"],
    "ContainerIDFile": "",
    "LogConfig": {"Type": "json-file", "Config": {"max-size": "1m"}},
    "NetworkMode": "demo_default",
    "PortBindings": {"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": "18080"}]},
    "RestartPolicy": {"Name": "unless-stopped", "MaximumRetryCount": 0},
    "AutoRemove": false,
    "VolumeDriver": "",
    "VolumesFrom": null,
    "CapAdd": ["NET_ADMIN"],
    "CapDrop": null,
    "CgroupnsMode": "host",
    "Dns": ["127.0.0.53"], "DnsOptions": [], "DnsSearch": ["example.internal"],
    "ExtraHosts": ["foo:127.0.0.9"],
    "GroupAdd": null,
    "IpcMode": "private",
    "Links": ["/demo_db_1:/demo_app_1/db"],
    "OomScoreAdj": 0,
    "PidMode": "",
    "Privileged": false,
    "PublishAllPorts": false,
    "ReadonlyRootfs": true,
    "SecurityOpt": ["no-new-privileges"],
    "Tmpfs": {"/run": "size=1m"},
    "ShmSize": 67108864,
    "Sysctls": {"net.core.somaxconn": "1024"},
    "Runtime": "runc",
    "ConsoleSize": [0, 0],
    "CpuShares": 512,
    "Memory": 67108864,
    "NanoCpus": 500000000,
    "BlkioWeightDevice": [],
    "BlkioDeviceReadBps": null,
    "Devices": [],
    "DeviceCgroupRules": null,
    "MemorySwap": 134217728,
    "MemorySwappiness": null,
    "PidsLimit": 100,
    "Ulimits": [{"Name": "nofile", "Hard": 2048, "Soft": 1024}],
    "Mounts": [{"Type": "tmpfs", "Target": "/scratch"}],
    "MaskedPaths": ["/proc/asound", "/proc/acpi", "/proc/kcore"],
    "ReadonlyPaths": ["/proc/bus", "/proc/fs"],
    "Init": true
  },
  "Mounts": [
    {"Type": "volume", "Name": "demo_db",
     "Source": "/var/lib/docker/volumes/demo_db/_data", "Destination": "/vol",
     "Driver": "local", "Mode": "rw", "RW": true, "Propagation": ""},
    {"Type": "volume",
     "Name": "a81e17113dd6773af0a770c13ed4fc5a1f4f9316521b0c575d983ff3f0ae3262",
     "Source": "/var/lib/docker/volumes/a81e1711/_data", "Destination": "/cache",
     "Driver": "local", "Mode": "", "RW": true, "Propagation": ""},
    {"Type": "volume",
     "Name": "5b0c6fe0a2b8b1d40e3e7e9d5ad0b3c9e7a4a2e0f1d2c3b4a5968778695a4b3c",
     "Source": "/var/lib/docker/volumes/5b0c6fe0/_data", "Destination": "/anon",
     "Driver": "local", "Mode": "", "RW": false, "Propagation": ""},
    {"Type": "volume",
     "Name": "77aa0c6fe0a2b8b1d40e3e7e9d5ad0b3c9e7a4a2e0f1d2c3b4a5968778695a4b",
     "Source": "/var/lib/docker/volumes/77aa0c6f/_data", "Destination": "/old-only",
     "Driver": "local", "Mode": "", "RW": true, "Propagation": ""},
    {"Type": "tmpfs", "Source": "", "Destination": "/scratch", "Mode": "", "RW": true,
     "Propagation": ""},
    {"Type": "bind", "Source": "/srv/demo", "Destination": "/data", "Mode": "ro", "RW": false,
     "Propagation": "rprivate"}
  ],
  "Config": {
    "Hostname": "3f4e1c2b9a7d",
    "Domainname": "",
    "User": "65534",
    "AttachStdin": false, "AttachStdout": false, "AttachStderr": false,
    "ExposedPorts": {"8080/tcp": {}, "9000/tcp": {}},
    "Tty": false, "OpenStdin": false, "StdinOnce": false,
    "Env": ["KEEP=override", "EXTRA=1", "PATH=/usr/local/bin:/usr/bin:/bin", "VERSION=1.0.0"],
    "Cmd": ["sleep", "3000"],
    "Healthcheck": {"Test": ["CMD-SHELL", "test -f /tmp/ready"], "Interval": 2000000000},
    "Image": "demo/app:1.0.0",
    "Volumes": {"/anon": {}, "/cache": {}, "/old-only": {}, "/vol": {}},
    "WorkingDir": "/tmp",
    "Entrypoint": null,
    "OnBuild": null,
    "Labels": {
      "com.docker.compose.config-hash": "9f2c0d1e",
      "com.docker.compose.container-number": "1",
      "com.docker.compose.project": "demo",
      "com.docker.compose.service": "app",
      "com.docker.compose.version": "1.29.2",
      "mine": "yes",
      "org.example.vendor": "acme",
      "org.example.version": "1.0.0"
    },
    "StopTimeout": 7
  },
  "NetworkSettings": {
    "Bridge": "",
    "SandboxID": "33a2f083c397222ac16970204c4ccd6a9429264fe978001c8ca84c0781afafd4",
    "Ports": {"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": "18080"}], "9000/tcp": null},
    "SandboxKey": "/var/run/docker/netns/33a2f083c397",
    "IPAddress": "",
    "MacAddress": "",
    "Networks": {
      "demo_backend": {
        "IPAMConfig": {"IPv4Address": "172.30.0.10"},
        "Links": ["demo_cache_1:cache"],
        "Aliases": ["3f4e1c2b9a7d", "app", "api"],
        "NetworkID": "b1c4e2a7f0d94f1e8a3b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f",
        "EndpointID": "0d2f4c6e8a0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f",
        "Gateway": "172.30.0.1", "IPAddress": "172.30.0.10", "IPPrefixLen": 16,
        "IPv6Gateway": "", "GlobalIPv6Address": "", "GlobalIPv6PrefixLen": 0,
        "MacAddress": "02:42:ac:1e:00:0a", "DriverOpts": null
      },
      "demo_default": {
        "IPAMConfig": null,
        "Links": null,
        "Aliases": ["app", "3f4e1c2b9a7d"],
        "NetworkID": "8f502d1cf3be6331377cbba5131b5be8de1e6c650a4a0c2fe15edfb66674b39e",
        "EndpointID": "4d20a7ee99b02f96734dcb57df4efde82c21aa105f3a5fde0c1d17dc7f1dafc2",
        "Gateway": "172.29.0.1", "IPAddress": "172.29.0.2", "IPPrefixLen": 16,
        "IPv6Gateway": "", "GlobalIPv6Address": "", "GlobalIPv6PrefixLen": 0,
        "MacAddress": "02:42:ac:1d:00:02", "DriverOpts": null
      }
    }
  }
})json";

/// `docker run -d --network host --hostname … ` on the test engine: host networking, where the
/// engine reports the host's name as the container's hostname.
inline constexpr const char* kHostNetworkContainer = R"json({
  "Id": "c65d6f5b8f875e415d16284ca7eb2d81ea986bbce74941fd5ea305333afd81d1",
  "Name": "/rc-sample",
  "Image": "sha256:631f52e17770dc8e2713445d3d9801bda29cc214039b317f7cf9bc96582da4a3",
  "State": {"Status": "running", "Running": true},
  "HostConfig": {
    "Binds": ["/tmp/rc-bind:/data:ro", "rcvol:/vol"],
    "ContainerIDFile": "",
    "LogConfig": {"Type": "json-file", "Config": {}},
    "NetworkMode": "host",
    "PortBindings": {},
    "RestartPolicy": {"Name": "no", "MaximumRetryCount": 0},
    "AutoRemove": false,
    "Links": null,
    "Privileged": true,
    "Init": null
  },
  "Mounts": [],
  "Config": {
    "Hostname": "vm",
    "Domainname": "",
    "User": "",
    "Tty": true, "OpenStdin": true, "StdinOnce": false,
    "AttachStdin": true, "AttachStdout": true, "AttachStderr": true,
    "Env": ["PATH=/usr/local/bin:/usr/bin:/bin", "VERSION=1.0.0", "KEEP=image"],
    "Cmd": ["sleep", "1000"],
    "Image": "demo/app:1.0.0",
    "Volumes": null,
    "WorkingDir": "/",
    "Entrypoint": null,
    "Labels": {"org.example.vendor": "acme", "org.example.version": "1.0.0"},
    "StopSignal": "SIGINT"
  },
  "NetworkSettings": {
    "Networks": {
      "host": {
        "IPAMConfig": null, "Links": null, "Aliases": null,
        "NetworkID": "8f502d1cf3be6331377cbba5131b5be8de1e6c650a4a0c2fe15edfb66674b39e",
        "EndpointID": "4d20a7ee99b02f96734dcb57df4efde82c21aa105f3a5fde0c1d17dc7f1dafc2",
        "Gateway": "", "IPAddress": "", "IPPrefixLen": 0, "MacAddress": "", "DriverOpts": null
      }
    }
  }
})json";

}  // namespace wharf::update::test
