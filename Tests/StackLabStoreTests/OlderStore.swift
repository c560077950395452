import GRDB

/// Stores as an earlier schema made them, for the migration tests.
enum OlderStore {
    /// Copies the rows of a store written by today's StackLab into `target`, a store migrated to an earlier version:
    /// each table's columns that the earlier schema has, so the copy holds what that StackLab would have written.
    static func copyRows(from sourcePath: String, into target: DatabaseQueue) async throws {
        try await DatabaseQueue(path: sourcePath).read { source in
            try target.write { target in
                for table in ["runs", "trials", "component_measurements", "histograms", "series"] {
                    let columns = try target.columns(in: table).map(\.name)
                    let list = columns.joined(separator: ", ")
                    let marks = columns.map { _ in "?" }.joined(separator: ", ")
                    for row in try Row.fetchAll(source, sql: "SELECT \(list) FROM \(table)") {
                        try target.execute(
                            sql: "INSERT INTO \(table) (\(list)) VALUES (\(marks))",
                            arguments: StatementArguments(columns.map { row[$0] as DatabaseValue }))
                    }
                }
            }
        }
    }
}
