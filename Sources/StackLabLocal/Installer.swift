import Foundation
import StackLabCore

#if canImport(Glibc)
import Glibc
#endif

/// Installs components: Debian packages with apt-get, PyPI wheels into StackLab's own virtual environment.
///
/// Idempotent: what is installed already is reported and left alone, so a second run runs nothing. Every
/// command is printed before it runs. The system's Python is never changed: wheels go into the venv, which
/// is created with `python3 -m venv` when missing.
public struct Installer: Sendable {
    public var locator: ComponentLocator
    /// Receives one line per step: what is installed already, each command before it runs.
    public var report: @Sendable (String) -> Void

    public init(locator: ComponentLocator = ComponentLocator(), report: @escaping @Sendable (String) -> Void) {
        self.locator = locator
        self.report = report
    }

    /// The catalog entries for `names`, in order, without repeats.
    ///
    /// - Throws: `UserError` naming an unknown component, with the known names.
    public static func resolve(_ names: [String]) throws -> [ComponentSource] {
        var sources: [ComponentSource] = []
        for name in names {
            guard let source = ComponentSource.named(name) else {
                let known = ComponentSource.catalog.map(\.name).joined(separator: ", ")
                throw UserError("unknown component '\(name)'; known components: \(known)")
            }
            if !sources.contains(source) { sources.append(source) }
        }
        return sources
    }

    /// Installs each named component that is not installed yet.
    ///
    /// - Returns: the status of each afterwards, in the order named.
    /// - Throws: `UserError` for an unknown name, a component StackLab cannot install, or a command that
    ///   failed (with the command, so it can be run by hand).
    @discardableResult
    public func install(_ names: [String]) throws -> [ComponentLocator.Status] {
        let sources = try Self.resolve(names)
        var aptPackages: [[String]] = []
        var wheels: [String] = []
        var newlyInstalled: Set<String> = []
        for source in sources {
            let status = locator.status(of: source)
            if let executable = status.executable {
                report("\(source.name): installed already (\(status.version ?? "version unknown"), \(executable))")
                continue
            }
            if source.isInstallable { newlyInstalled.insert(source.name) }
            switch source.origin {
            case .apt(let packages): aptPackages.append(packages)
            case .pypi(let package, _): wheels.append(package)
            case .builtIn:
                throw UserError(
                    "\(source.name) is built with StackLab, not installed: run 'swift build -c release' "
                        + "(it puts \(source.program) beside stacklab)")
            case .toolchain(let hint):
                throw UserError("\(source.name) needs \(source.program) from the \(hint); StackLab does not install it")
            case .unavailable(let reason):
                throw UserError("\(source.name) cannot be installed here: \(reason)")
            }
        }
        if !aptPackages.isEmpty { try installDebianPackages(aptPackages) }
        if !wheels.isEmpty { try installWheels(wheels) }
        return try sources.map { source in
            let status = locator.status(of: source)
            guard let executable = status.executable else {
                throw UserError(
                    "\(source.name): installed \(source.origin.description), but '\(source.program)' is still not "
                        + "found; check the output above")
            }
            if newlyInstalled.contains(source.name) {
                report("\(source.name): installed (\(status.version ?? "version unknown"), \(executable))")
            }
            return status
        }
    }

    /// apt-get install, choosing for each component the first of its packages that apt knows; runs
    /// `apt-get update` first when apt knows none of them (a fresh machine has empty package lists).
    func installDebianPackages(_ alternatives: [[String]]) throws {
        var chosen = alternatives.map(Self.firstKnown)
        if chosen.contains(nil) {
            try run(privileged(["apt-get", "update"]), environment: nil)
            chosen = alternatives.map(Self.firstKnown)
        }
        for (index, package) in chosen.enumerated() where package == nil {
            throw UserError(
                "apt knows none of \(alternatives[index].joined(separator: ", ")); check /etc/apt/sources.list")
        }
        var environment = ProcessInfo.processInfo.environment
        environment["DEBIAN_FRONTEND"] = "noninteractive"
        let denial = Self.denyServiceStarts()
        defer { if let denial { try? FileManager.default.removeItem(atPath: denial) } }
        try run(privileged(["apt-get", "install", "-y"] + chosen.compactMap { $0 }), environment: environment)
    }

    /// Debian's policy-rc.d that tells a package's install script not to start its system service (a
    /// mariadbd or redis-server on its default port that StackLab never uses and would leave running).
    static let serviceStartDenial = "/usr/sbin/policy-rc.d"

    /// Writes `policy-rc.d` answering 101 (action forbidden) when running as root and there is none;
    /// returns its path for removal after the install, nil when one was there already or cannot be written.
    static func denyServiceStarts() -> String? {
        let path = serviceStartDenial
        guard geteuid() == 0, !FileManager.default.fileExists(atPath: path) else { return nil }
        let text = "#!/bin/sh\n# Written by stacklab install for the duration of apt-get install.\nexit 101\n"
        guard
            FileManager.default.createFile(
                atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o755])
        else { return nil }
        return path
    }

    /// pip install into StackLab's venv, creating it first when missing.
    func installWheels(_ packages: [String]) throws {
        let venv = locator.virtualEnvironment
        let python = venv.appendingPathComponent("bin/python").path
        if !FileManager.default.isExecutableFile(atPath: python) {
            // Debian's interpreter when there is one: a pyenv shim on PATH can change under the venv.
            let base = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
            // Debian splits the venv module's pip bootstrap into python3-venv.
            if base == "/usr/bin/python3", (try? HelperCommand.capture(base, ["-c", "import ensurepip"]))?.status != 0 {
                try installDebianPackages([["python3-venv"]])
            }
            do {
                try run([base, "-m", "venv", venv.path], environment: nil)
            } catch let error as UserError {
                throw UserError(
                    error.message + "; on Debian, 'apt-get install python3-venv' provides the venv module")
            }
        }
        try run([python, "-m", "pip", "install"] + packages, environment: nil)
    }

    /// Prints `command`, runs it with the terminal's output, and throws if it fails.
    private func run(_ command: [String], environment: [String: String]?) throws {
        report("+ " + command.joined(separator: " "))
        let status = try HelperCommand.visible(command[0], Array(command.dropFirst()), environment: environment)
        guard status == 0 else {
            throw UserError("'\(command.joined(separator: " "))' failed with exit status \(status)")
        }
    }

    /// `sudo` before a command when not root.
    private func privileged(_ command: [String]) -> [String] {
        geteuid() == 0 ? command : ["sudo"] + command
    }

    private static func firstKnown(_ packages: [String]) -> String? {
        packages.first { package in
            (try? HelperCommand.capture("apt-cache", ["show", "--no-all-versions", package]))?.status == 0
        }
    }
}
