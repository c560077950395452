import Foundation
import StackLabCore

@testable import StackLabLocal

/// A stand-in for a reference app, in Python: the whole standard app API over an in-memory `World`, or
/// one deliberate fault, so the verifier's verdicts can be tested without a runtime or a database.
///
/// It takes the apps' flags (`--host`, `--port`, `--threads`, ignored but the port) and reads its fault from
/// `FAKE_APP_FAULT`, and a delay before it binds from `FAKE_APP_DELAY` (seconds).
enum FakeApp {
    enum Fault: String {
        /// None: a correct app.
        case none
        /// `/updates` answers new values but never stores them.
        case noWrite = "no-write"
        /// `queries` above 500 is not clamped.
        case noUpperClamp = "no-upper-clamp"
        /// No database: 503 on `/db`, `/queries` and `/updates`.
        case noDatabase = "no-database"
    }

    static let script = #"""
        import http.server, json, os, random, sys, time, urllib.parse

        args = sys.argv[1:]
        port = int(args[args.index("--port") + 1])
        fault = os.environ.get("FAKE_APP_FAULT", "none")
        world = {i: random.randint(1, 10000) for i in range(1, 10001)}

        def count(query):
            values = urllib.parse.parse_qs(query, keep_blank_values=True).get("queries") or [""]
            value = values[0]
            digits = value[1:] if value.startswith("-") else value
            if not digits or not (digits.isascii() and digits.isdigit()):
                return 1
            n = int(value)
            if fault == "no-upper-clamp":
                return max(n, 1) if n <= 1000 else 1000
            return 1 if n < 1 else 500 if n > 500 else n

        def row(i, value):
            return '{"id":%d,"randomNumber":%d}' % (i, value)

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "fake-app"
            sys_version = ""

            def log_message(self, *args):
                pass

            def answer(self, status, body, kind):
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", kind + "; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                path, _, query = self.path.partition("?")
                text, js = "text/plain", "application/json"
                if path == "/plaintext":
                    return self.answer(200, "Hello, World!", text)
                if path == "/health":
                    return self.answer(200, "ok", text)
                if path == "/json":
                    return self.answer(200, json.dumps({"message": "Hello, World!"}), js)
                size = path[len("/bytes/"):]
                if path.startswith("/bytes/") and 0 < len(size) <= 7 and all(c in "0123456789" for c in size):
                    if int(size) <= 1048576:
                        return self.answer(200, "x" * int(size), text)
                if path in ("/db", "/queries", "/updates"):
                    if fault == "no-database":
                        return self.answer(503, "503 Service Unavailable: no database", text)
                    if path == "/db":
                        i = random.randint(1, 10000)
                        return self.answer(200, row(i, world[i]), js)
                    n = count(query)
                    if path == "/queries":
                        ids = [random.randint(1, 10000) for _ in range(n)]
                        return self.answer(200, "[" + ",".join(row(i, world[i]) for i in ids) + "]", js)
                    rows = []
                    for i in random.sample(range(1, 10001), n):
                        new = random.randint(1, 10000)
                        while new == world[i]:
                            new = random.randint(1, 10000)
                        if fault != "no-write":
                            world[i] = new
                        rows.append(row(i, new))
                    return self.answer(200, "[" + ",".join(rows) + "]", js)
                self.answer(404, "404 Not Found", text)

        time.sleep(float(os.environ.get("FAKE_APP_DELAY", "0")))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        print("fake-app listening on http://127.0.0.1:%d" % port, flush=True)
        server.serve_forever()
        """#

    /// Writes the script into `directory` and returns the command that runs it on `port`.
    static func command(
        name: String = "fake-app", port: Int, fault: Fault = .none, delaySeconds: Double = 0, in directory: URL
    ) throws -> LaunchCommand {
        let file = directory.appendingPathComponent("fake_app.py")
        try script.write(to: file, atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["FAKE_APP_FAULT"] = fault.rawValue
        environment["FAKE_APP_DELAY"] = String(delaySeconds)
        return LaunchCommand(
            name: name, executable: Tools.python3!, arguments: [file.path, "--port", String(port)],
            environment: environment, workingDirectory: directory.path)
    }

    /// A build directory whose `go` app is this fake (an executable script where `stacklab-go` belongs), for
    /// tests of what runs the recipes: a component's `build_dir` setting.
    static func buildDirectory(fault: Fault, in directory: URL) throws -> URL {
        let out = directory.appendingPathComponent("build/go")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let file = out.appendingPathComponent("fake_app.py")
        try script.write(to: file, atomically: true, encoding: .utf8)
        let launcher = out.appendingPathComponent("stacklab-go")
        try "#!/bin/sh\nFAKE_APP_FAULT=\(fault.rawValue) exec '\(Tools.python3!)' '\(file.path)' \"$@\"\n".write(
            to: launcher, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: launcher.path)
        return out
    }
}
