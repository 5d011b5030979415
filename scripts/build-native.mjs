// Builds the C++17 addon in native/ with cmake-js. Run by `npm install` and `npm run build:native`.
// Fails early, naming the Debian package to install, when the toolchain is missing.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const requiredTools = [
  { command: "cmake", args: ["--version"], debianPackage: "cmake" },
  { command: "g++", args: ["--version"], debianPackage: "g++" },
  { command: "make", args: ["--version"], debianPackage: "make" },
];

for (const tool of requiredTools) {
  const probe = spawnSync(tool.command, tool.args, { stdio: "ignore" });
  if (probe.error || probe.status !== 0) {
    console.error(
      `natsd: building the native addon needs '${tool.command}', which was not found.\n` +
        `       Install it with: apt-get install -y ${tool.debianPackage}`,
    );
    process.exit(1);
  }
}

// The file store links liblz4 and OpenSSL's libcrypto (native/CMakeLists.txt).
const requiredHeaders = [
  { header: "/usr/include/lz4.h", debianPackage: "liblz4-dev" },
  { header: "/usr/include/openssl/evp.h", debianPackage: "libssl-dev" },
];
for (const { header, debianPackage } of requiredHeaders) {
  if (!existsSync(header)) {
    console.error(
      `natsd: building the native addon needs '${header}', which was not found.\n` +
        `       Install it with: apt-get install -y ${debianPackage}`,
    );
    process.exit(1);
  }
}

// cmake-js downloads Node headers unless it is told where local ones are; this machine has
// them under /usr (npm sets npm_config_nodedir for scripts, but not for direct runs).
const env = { ...process.env };
if (!env.npm_config_nodedir && existsSync("/usr/include/node/node_api.h")) {
  env.npm_config_nodedir = "/usr";
}
const cmakeJs = join(root, "node_modules", "cmake-js", "bin", "cmake-js");
const result = spawnSync(process.execPath, [cmakeJs, "compile", "--directory", join(root, "native"),
  "--out", join(root, "native", "build")], { stdio: "inherit", env, cwd: root });
if (result.status !== 0) {
  console.error("natsd: the native addon failed to build (see the compiler output above)");
  process.exit(result.status ?? 1);
}
