import { describe, expect, test } from "bun:test";
import { CliError, parseCommandLine, parseGoInt } from "./cli.ts";

const errorOf = (argv: string[]) => {
  try {
    parseCommandLine(argv);
  } catch (error) {
    if (error instanceof CliError) return error.message;
    throw error;
  }
  throw new Error(`no error for ${argv.join(" ")}`);
};

describe("command line: flag grammar (Go's flag package)", () => {
  test("-f v, -f=v, --f v and --f=v are the same", () => {
    for (const argv of [["-p", "4333"], ["-p=4333"], ["--port", "4333"], ["--port=4333"]]) {
      expect(parseCommandLine(argv).options).toEqual({ port: 4333 });
    }
  });

  test("booleans take no value; -T=false turns one off", () => {
    expect(parseCommandLine(["-D"]).options).toEqual({ debug: true });
    expect(parseCommandLine(["-T=false"]).options).toEqual({ logtime: false });
    expect(parseCommandLine(["--logtime=0"]).options).toEqual({ logtime: false });
    expect(parseCommandLine(["-T=t", "-D=TRUE"]).options).toEqual({ logtime: true, debug: true });
    expect(errorOf(["-T=maybe"])).toBe(`invalid boolean value "maybe" for -T: parse error`);
  });

  test("a boolean flag does not consume the next argument", () => {
    expect(errorOf(["-D", "false"])).toBe(`unrecognized command: "false"`);
  });

  test("integers accept Go's forms; bad ones are errors", () => {
    expect(parseCommandLine(["-p", "0x10E1"]).options).toEqual({ port: 4321 });
    expect(parseGoInt("1_000")).toBe(1000);
    expect(parseGoInt("010")).toBe(8);
    expect(parseGoInt("-1")).toBe(-1);
    expect(parseGoInt("1e3")).toBeNull();
    expect(errorOf(["-p", "abc"])).toBe(`invalid value "abc" for flag -p: parse error`);
  });

  test("unknown flags, missing arguments and bad syntax are errors", () => {
    expect(errorOf(["--bogus"])).toBe("flag provided but not defined: -bogus");
    expect(errorOf(["-p"])).toBe("flag needs an argument: -p");
    expect(errorOf(["---p", "1"])).toBe("bad flag syntax: ---p");
    expect(errorOf(["-=1"])).toBe("bad flag syntax: -=1");
  });

  test("a value may start with '-' (it is the flag's argument)", () => {
    expect(parseCommandLine(["-p", "-1"]).options).toEqual({ port: -1 });
  });

  test("parsing stops at the first non-flag or at --", () => {
    expect(errorOf(["-D", "extra", "-V"])).toBe(`unrecognized command: "extra"`);
    expect(parseCommandLine(["-D", "--", "version"]).action).toEqual({ kind: "version" });
  });

  test("the last occurrence of a flag wins", () => {
    expect(parseCommandLine(["-p", "1", "--port", "2"]).options).toEqual({ port: 2 });
  });
});

describe("command line: nats-server's flags", () => {
  test("server options", () => {
    const r = parseCommandLine(["-a", "127.0.0.1", "-p", "4333", "-n", "srv", "-P", "/run/n.pid",
      "-m", "8222", "-ms", "8443", "--client_advertise", "nats.example:4222",
      "--ports_file_dir", "/tmp/p"]);
    expect(r.options).toEqual({
      host: "127.0.0.1", port: 4333, serverName: "srv", pidFile: "/run/n.pid", httpPort: 8222,
      httpsPort: 8443, clientAdvertise: "nats.example:4222", portsFileDir: "/tmp/p",
    });
    expect(parseCommandLine(["--net", "h"]).options).toEqual({ host: "h" });
    expect(parseCommandLine(["--addr", "h2", "--server_name", "s", "--name", "t"]).options)
      .toEqual({ host: "h2", serverName: "t" });
  });

  test("-p 0 means the default port, as in nats-server", () => {
    expect(parseCommandLine(["-p", "0"]).options).toEqual({ port: 4222 });
  });

  test("logging options", () => {
    const r = parseCommandLine(["-l", "/var/log/n.log", "--logtime_utc", "-s", "-r",
      "udp://localhost:514", "--log_size_limit", "1048576", "--max_traced_msg_len", "64"]);
    expect(r.options).toEqual({
      logFile: "/var/log/n.log", logtimeUtc: true, syslog: true,
      remoteSyslog: "udp://localhost:514", logSizeLimitBytes: 1048576, maxTracedMsgLen: 64,
    });
  });

  test("-D, -V, -VV, -DV, -DVV set debug and trace levels", () => {
    expect(parseCommandLine(["-V"]).options).toEqual({ trace: true });
    expect(parseCommandLine(["-VV"]).options).toEqual({ trace: true, traceVerbose: true });
    expect(parseCommandLine(["-DV"]).options).toEqual({ debug: true, trace: true });
    expect(parseCommandLine(["-DVV"]).options)
      .toEqual({ debug: true, trace: true, traceVerbose: true });
    expect(parseCommandLine(["-DV=false"]).options).toEqual({ debug: false, trace: false });
  });

  test("auth and JetStream options", () => {
    expect(parseCommandLine(["--user", "u", "--pass", "p", "--auth", "t", "-js", "-sd", "/d"])
      .options).toEqual({ username: "u", password: "p", authToken: "t", jetstream: true,
      storeDir: "/d" });
  });

  test("the options set are the explicit ones", () => {
    expect([...parseCommandLine(["-D=false", "-p", "1"]).explicit]).toEqual(["debug", "port"]);
  });

  test("-c names the config file", () => {
    expect(parseCommandLine(["-c", "/etc/n.conf"]).configFile).toBe("/etc/n.conf");
    expect(parseCommandLine(["--config=x.conf"]).configFile).toBe("x.conf");
  });
});

describe("command line: actions", () => {
  test("help, version, TLS help, check, signal, run", () => {
    expect(parseCommandLine(["-h"]).action).toEqual({ kind: "help" });
    expect(parseCommandLine(["--help"]).action).toEqual({ kind: "help" });
    expect(parseCommandLine(["-v"]).action).toEqual({ kind: "version" });
    expect(parseCommandLine(["--version"]).action).toEqual({ kind: "version" });
    expect(parseCommandLine(["--help_tls"]).action).toEqual({ kind: "helpTls" });
    expect(parseCommandLine(["-t", "-c", "a.conf"]).action).toEqual({ kind: "checkConfig" });
    expect(parseCommandLine(["-sl", "reload=12"]).action)
      .toEqual({ kind: "signal", spec: "reload=12" });
    expect(parseCommandLine(["--signal", "stop"]).action).toEqual({ kind: "signal", spec: "stop" });
    expect(parseCommandLine([]).action).toEqual({ kind: "run" });
  });

  test("nats-server's precedence: version, help, TLS help, command, signal, check", () => {
    expect(parseCommandLine(["-h", "-v"]).action.kind).toBe("version");
    expect(parseCommandLine(["--help_tls", "-h"]).action.kind).toBe("help");
    expect(parseCommandLine(["-t", "-sl", "stop"]).action.kind).toBe("signal");
    expect(parseCommandLine(["-sl", "stop", "help"]).action.kind).toBe("help");
    expect(parseCommandLine(["-h", "-h=false"]).action.kind).toBe("run");
  });

  test("the commands `version` and `help` after the flags", () => {
    expect(parseCommandLine(["VERSION"]).action).toEqual({ kind: "version" });
    expect(parseCommandLine(["-D", "help"]).action).toEqual({ kind: "help" });
  });
});

describe("command line: flags for features natsd does not have yet", () => {
  test("cluster and profiling flags parse and are listed; TLS flags map to options", () => {
    const r = parseCommandLine(["--tls", "--tlscert", "c.pem", "--tlskey", "k.pem",
      "--tlsverify", "--tlscacert", "ca.pem", "--routes", "nats://a:6222", "--cluster",
      "nats://0.0.0.0:6222", "--cluster_name", "c1", "--no_advertise", "--cluster_advertise",
      "x:1", "--connect_retries", "3", "--profile", "6060"]);
    expect(r.unsupported.map((u) => u.flag)).toEqual(["--routes", "--cluster", "--cluster_name",
      "--no_advertise", "--cluster_advertise", "--connect_retries", "--profile"]);
    expect(r.cluster).toEqual({ routes: "nats://a:6222", cluster: "nats://0.0.0.0:6222",
      cluster_name: "c1", no_advertise: "true", cluster_advertise: "x:1", connect_retries: "3" });
    expect(r.options).toEqual({ profPort: 6060, tls: true, tlsVerify: true, tlsCertFile: "c.pem",
      tlsKeyFile: "k.pem", tlsCaFile: "ca.pem" });
  });

  test("--cluster_listen is --cluster; switching a feature off is not listed", () => {
    expect(parseCommandLine(["--cluster_listen", "nats://h:1"]).cluster).toEqual({
      cluster: "nats://h:1" });
    expect(parseCommandLine(["--tls=false", "-js=false", "-m", "0"]).unsupported).toEqual([]);
    expect(parseCommandLine(["-js"]).unsupported).toEqual([]);
  });
});
