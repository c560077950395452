import ArgumentParser
import Foundation
import StackLabCore
import StackLabStore

/// `--store PATH`, shared by every command that writes or reads runs.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .customLong("store"),
        help: ArgumentHelp(
            "The results store, a SQLite file (default: $STACKLAB_STORE, else $STACKLAB_HOME/stacklab.sqlite, "
                + "else ~/.stacklab/stacklab.sqlite).", valueName: "path"))
    var path: String?

    /// The store's file.
    var resolvedPath: String { path ?? SQLiteResultsStore.defaultPath() }

    /// Opens the store, creating it if needed.
    func open() throws -> SQLiteResultsStore {
        try SQLiteResultsStore(path: resolvedPath)
    }

    /// Opens the store to read from it; nil when it does not exist yet (nothing was ever stored).
    func openExisting() throws -> SQLiteResultsStore? {
        FileManager.default.fileExists(atPath: resolvedPath) ? try open() : nil
    }

    /// ` --store PATH` when the store was given on the command line, for the commands StackLab suggests.
    var argumentSuffix: String {
        guard let path else { return "" }
        return " --store " + (path.contains(" ") ? "'\(path)'" : path)
    }
}
