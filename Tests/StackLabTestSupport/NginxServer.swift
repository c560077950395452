import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real nginx for tests, started from a configuration in its own temporary directory.
///
/// Tests that need it call ``NginxServer/isInstalled`` first and are skipped with a visible reason when
/// it is not; `scripts/test.sh` installs nginx, so under the README's test command they always run.
public final class NginxServer {
    public let port: Int
    public let directory: URL
    private let process: Process

    public static var isInstalled: Bool { executable != nil }
    public static var opensslInstalled: Bool { findExecutable("openssl") != nil }

    static var executable: String? { findExecutable("nginx") }

    static func findExecutable(_ name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/sbin:/usr/bin:/sbin"
        return paths.split(separator: ":").map { "\($0)/\(name)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Starts nginx serving `hello world` on a free loopback port; with `tls`, over TLS with a fresh
    /// self-signed ECDSA P-256 certificate for `localhost`.
    public init(tls: Bool = false) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-nginx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try FreePort.next()
        let dir = directory.path
        var listen = "listen 127.0.0.1:\(port);"
        if tls {
            try Self.shell(
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "\(dir)/key.pem", "-out", "\(dir)/cert.pem", "-days", "1", "-subj", "/CN=localhost")
            listen =
                "listen 127.0.0.1:\(port) ssl; ssl_certificate \(dir)/cert.pem; ssl_certificate_key \(dir)/key.pem;"
        }
        let configuration = """
            worker_processes 1;
            daemon off;
            pid \(dir)/nginx.pid;
            error_log \(dir)/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path \(dir)/body;
                proxy_temp_path \(dir)/proxy;
                fastcgi_temp_path \(dir)/fastcgi;
                uwsgi_temp_path \(dir)/uwsgi;
                scgi_temp_path \(dir)/scgi;
                server {
                    \(listen)
                    location / { default_type text/plain; return 200 "hello world\\n"; }
                }
            }
            """
        try configuration.write(to: directory.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable ?? "/usr/sbin/nginx")
        process.arguments = ["-c", "\(dir)/nginx.conf", "-p", dir]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while !FreePort.accepts(port) {
            guard process.isRunning, Date() < deadline else {
                stop()
                let log =
                    (try? String(contentsOf: directory.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
                throw StartFailure(description: "nginx did not start: \(log)")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    struct StartFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Stops nginx (master and worker) and removes its directory.
    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    deinit {
        stop()
    }

    private static func shell(_ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw StartFailure(description: "\(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
    }
}

/// Free loopback ports for servers a test starts.
public enum FreePort {
    /// A port nothing listens on now: the kernel's pick for a socket bound to port 0.
    public static func next() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw NginxServer.StartFailure(description: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// True when something accepts connections on 127.0.0.1:`port`.
    public static func accepts(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
