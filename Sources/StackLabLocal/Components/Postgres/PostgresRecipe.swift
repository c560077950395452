import Foundation
import StackLabCore

#if canImport(Glibc)
import Glibc
#endif

/// The local recipe for `kind: postgres`: Debian's PostgreSQL, a fresh cluster made with `initdb` in the run
/// directory and started on a loopback port.
///
/// The cluster lives in `<run directory>/<name>/data`. When StackLab runs as root, PostgreSQL (which refuses
/// to run as root) runs as the `postgres` user, started with `setpriv` so that it is the supervised process
/// itself and not a child of a wrapper; that user may not be able to reach the run directory (the default
/// `~/.stacklab/runs` under a 0700 `/root`), so the cluster is then made in a fresh `postgres`-owned
/// directory `/tmp/stacklab-postgres-<pid>.<start>-XXXXXX`, linked as `<run directory>/<name>/data` and removed
/// when the stack stops (or by the orphan watchdog, or the next start, when StackLab dies). It listens on
/// 127.0.0.1 only, with no Unix socket, and lets user `postgres` in with the `password` setting or a password
/// made for the run (scram-sha-256), which the plan's component then carries so that workloads, apps and
/// backup drills can log in; nobody else on the machine can.
/// With a memory allocation, `shared_buffers` is 25% of it and `effective_cache_size` 75%, PostgreSQL's
/// own guidance for a dedicated server.
///
/// Settings: `password`, `shared_buffers` (a memory amount, overriding the 25%), `max_connections`, `fsync` (`on` or
/// `off`), `synchronous_commit` (`on`, `off`, `local`, `remote_write`, `remote_apply`), `backup` (`pg_dump`,
/// `basebackup`, both comma-separated, or `true` for both: drills after the variant's last trial; see
/// `PostgresBackup`).
enum PostgresRecipe {
    static let settings = ["password", "shared_buffers", "max_connections", "fsync", "synchronous_commit", "backup"]
    static let sharedBuffersShare = 0.25
    static let effectiveCacheShare = 0.75
    static let serviceUser = "postgres"

    static func plan(_ component: Component, port: Int, runDirectory: URL, cpus: CPUSet?) throws -> LocalComponentPlan {
        let name = component.name
        guard let bin = binDirectory() else {
            throw UserError(
                "component '\(name)': PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); "
                    + "install it with 'apt-get install postgresql'")
        }
        let conf = try configuration(component, port: port)
        let directory = runDirectory.appendingPathComponent(name)
        let data = directory.appendingPathComponent("data")
        do {
            // Private: the cluster (or the link to it) and, while initdb runs, the password file.
            try SecretFile.makeDirectory(directory)
        } catch let error as UserError {
            throw UserError("component '\(name)': \(error.message)")
        }
        var scratch: [URL] = []
        do {
            return try planCluster(
                component, bin: bin, conf: conf, directory: directory, data: data, scratch: &scratch, port: port,
                cpus: cpus)
        } catch {
            // Not yet the supervisor's to remove: a failed initdb, or Ctrl-C during it.
            for url in scratch { removeScratch(url) }
            throw error
        }
    }

    private static func planCluster(
        _ component: Component, bin: URL, conf: String, directory: URL, data: URL, scratch: inout [URL], port: Int,
        cpus: CPUSet?
    ) throws -> LocalComponentPlan {
        let name = component.name
        let asRoot = getuid() == 0
        var component = component
        if component.settings["password"] == nil { component.settings["password"] = DatabasePassword.generated() }
        let password = component.settings["password"]!
        var data = data
        if asRoot {
            try changeOwner(directory, component: name)
            let cluster = try scratchDirectory(component: name)
            scratch.append(cluster)
            let link = data
            data = cluster.appendingPathComponent("data")
            try? FileManager.default.removeItem(at: link)
            try? FileManager.default.createSymbolicLink(at: link, withDestinationURL: data)
        }
        if !FileManager.default.fileExists(atPath: data.appendingPathComponent("PG_VERSION").path) {
            let initdb = bin.appendingPathComponent("initdb").path
            // The superuser's password goes through a file only the server's user can read, removed at once.
            let passwordFile = (asRoot ? scratch[0] : directory).appendingPathComponent("initdb.pw")
            try SecretFile.write(password + "\n", to: passwordFile)
            if asRoot { try changeOwner(passwordFile, component: name) }
            let arguments = [
                initdb, "-D", data.path, "-A", "scram-sha-256", "--pwfile", passwordFile.path, "-U", serviceUser,
                "-E", "UTF8", "--locale=C", "--no-sync",
            ]
            let (status, output) = run(asRoot ? asServiceUser(arguments) : arguments)
            try? FileManager.default.removeItem(at: passwordFile)
            try Task.checkCancellation()
            guard status == 0 else {
                throw UserError(
                    "component '\(name)': initdb failed (status \(status)): "
                        + output.split(separator: "\n").suffix(3).joined(separator: " / "))
            }
        }
        do {
            let file = data.appendingPathComponent("stacklab.conf")
            try conf.write(to: file, atomically: true, encoding: .utf8)
            if asRoot { try changeOwner(file, component: name) }
            let main = data.appendingPathComponent("postgresql.conf")
            let text = try String(contentsOf: main, encoding: .utf8)
            if !text.contains("include 'stacklab.conf'") {
                try (text + "\ninclude 'stacklab.conf'\n").write(to: main, atomically: false, encoding: .utf8)
            }
        } catch {
            throw UserError("component '\(name)': cannot write its configuration in \(data.path): \(error)")
        }
        let postgres = bin.appendingPathComponent("postgres").path
        let command = [postgres, "-D", data.path]
        let launch = asRoot ? asServiceUser(command) : command
        var plan = LocalComponentPlan(
            component: component,
            command: LaunchCommand(
                name: name, executable: launch[0], arguments: Array(launch.dropFirst()),
                workingDirectory: asRoot ? scratch[0].path : directory.path, cpus: cpus),
            readiness: .tcp(port: port), port: port, version: version(postgres), dataDirectory: data,
            endpoints: [endpoint(port: port, password: password)])
        plan.scratchDirectories = scratch
        return plan
    }

    /// How apps, the load engine and the backup drills reach a planned cluster: user `postgres` with the
    /// password made for the run (or the `password` setting), database `postgres`.
    static func endpoint(port: Int, password: String?) -> ComponentEndpoint {
        ComponentEndpoint(
            port: port, wireProtocol: .postgres, user: serviceUser, password: password, database: "postgres")
    }

    /// A new directory under the temporary directory, owned by the `postgres` user and private to it.
    ///
    /// Named after this process (`LeftoverSweep`) and told to the orphan watchdog at once, so that it is
    /// removed however this process ends; the caller removes it with `removeScratch` otherwise.
    static func scratchDirectory(component: String) throws -> URL {
        let base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            LeftoverSweep.scratchPrefix + "XXXXXX")
        var template = Array(base.path.utf8CString)
        guard let made = mkdtemp(&template) else {
            throw UserError(
                "component '\(component)': cannot create a directory for its cluster in \(NSTemporaryDirectory()): "
                    + String(cString: strerror(errno)))
        }
        let url = URL(fileURLWithPath: String(cString: made))
        OrphanGuard.install()
        OrphanGuard.track(directory: url)
        do {
            try changeOwner(url, component: component)
        } catch {
            removeScratch(url)
            throw error
        }
        return url
    }

    /// Removes a directory made by `scratchDirectory` and tells the watchdog it is gone.
    static func removeScratch(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
        OrphanGuard.untrack(directory: url)
    }

    /// `stacklab.conf`, included at the end of the cluster's `postgresql.conf`.
    ///
    /// - Throws: `UserError` for an unknown setting or a value it does not take.
    static func configuration(_ component: Component, port: Int) throws -> String {
        let name = component.name
        let settings = component.settings
        for key in settings.keys.sorted() where !Self.settings.contains(key) {
            throw UserError(
                "component '\(name)': unknown setting '\(key)'; postgres takes \(Self.settings.joined(separator: ", "))"
            )
        }
        _ = try BackupSetting.methods(of: component)
        if let password = settings["password"] { try DatabasePassword.check(password, component: name) }
        var lines = [
            "# Written by StackLab for component '\(name)'.",
            "listen_addresses = '127.0.0.1'",
            "port = \(port)",
            "unix_socket_directories = ''",
            "logging_collector = off",
            "huge_pages = off",
        ]
        let allocation = component.resources?.limits.memory ?? component.resources?.requests.memory
        if let text = settings["shared_buffers"] {
            guard let bytes = Resources.bytes(parsing: text), bytes >= 1_048_576 else {
                throw UserError(
                    "component '\(name)': shared_buffers '\(text)' is not a memory amount of at least 1Mi, e.g. 128Mi")
            }
            lines.append("shared_buffers = \(bytes / 1024)kB")
        } else if let allocation {
            lines.append("shared_buffers = \(Int(Double(allocation) * sharedBuffersShare) / 1024)kB")
        }
        if let allocation {
            lines.append("effective_cache_size = \(Int(Double(allocation) * effectiveCacheShare) / 1024)kB")
        }
        if let text = settings["max_connections"] {
            guard let count = Int(text), count >= 1 else {
                throw UserError("component '\(name)': max_connections '\(text)' is not a whole number of at least 1")
            }
            lines.append("max_connections = \(count)")
        }
        for (key, allowed) in [
            ("fsync", ["on", "off"]), ("synchronous_commit", ["on", "off", "local", "remote_write", "remote_apply"]),
        ] {
            guard let value = settings[key] else { continue }
            guard allowed.contains(value) else {
                throw UserError(
                    "component '\(name)': \(key) '\(value)' is not one of \(allowed.joined(separator: ", "))")
            }
            lines.append("\(key) = \(value)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The newest `/usr/lib/postgresql/N/bin` that has `initdb`.
    static func binDirectory() -> URL? {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return versions.compactMap(Int.init).sorted().reversed().map {
            URL(fileURLWithPath: "\(root)/\($0)/bin")
        }.first { FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("initdb").path) }
    }

    /// `arguments` run as the `postgres` user, exec'd rather than forked so the server is the process started.
    static func asServiceUser(_ arguments: [String]) -> [String] {
        let setpriv = ExecutableLookup.find("setpriv", includeSystemDirectories: true) ?? "/usr/bin/setpriv"
        return [setpriv, "--reuid=\(serviceUser)", "--regid=\(serviceUser)", "--init-groups", "--"] + arguments
    }

    private static func changeOwner(_ url: URL, component: String) throws {
        do {
            try FileManager.default.setAttributes(
                [.ownerAccountName: serviceUser, .groupOwnerAccountName: serviceUser], ofItemAtPath: url.path)
        } catch {
            throw UserError(
                "component '\(component)': cannot give \(url.path) to user \(serviceUser), which PostgreSQL runs as "
                    + "when StackLab runs as root: \(error.localizedDescription)")
        }
    }

    /// Runs a command to completion and returns its status and combined output.
    ///
    /// When the calling task is cancelled (Ctrl-C during a start), the command is sent SIGTERM and waited
    /// for instead of being left to finish: `initdb` takes seconds. It takes over a second more to act on the
    /// SIGTERM (it finishes its step first), so after a tenth of a second it and what it started are killed:
    /// their cluster is scratch that goes with the run. The caller checks for cancellation after.
    static func run(_ arguments: [String]) -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do {
            try process.run()
        } catch {
            return (-1, "\(error)")
        }
        let output = Locked(Data())
        let reading = DispatchGroup()
        DispatchQueue.global().async(group: reading) {
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            output.withLock { $0 = data }
        }
        while process.isRunning {
            if Task.isCancelled {
                process.terminate()
                for _ in 0..<5 where process.isRunning { usleep(20_000) }
                if process.isRunning {
                    let pid = process.processIdentifier
                    let started = ProcessTable.descendants(of: pid)
                    kill(pid, SIGKILL)
                    for child in started { kill(child.pid, SIGKILL) }
                }
                break
            }
            usleep(20_000)
        }
        process.waitUntilExit()
        // A grandchild still holding the pipe (initdb's `postgres --boot`) must not keep a cancelled start
        // waiting: its output is not needed then.
        _ = reading.wait(timeout: .now() + (Task.isCancelled ? 0.05 : 30))
        return (process.terminationStatus, String(decoding: output.withLock { $0 }, as: UTF8.self))
    }

    /// `15.14` from `postgres --version`; `unknown` when it cannot be read.
    static func version(_ postgres: String) -> String {
        let (status, output) = run([postgres, "--version"])
        guard status == 0, let last = output.split(separator: " ").last else { return "unknown" }
        return last.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
