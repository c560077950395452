import GRDB
import StackLabCore

extension ResourceUsage {
    /// The usage as the columns of `component_measurements` (no prefix) or `trials` (`generator_`).
    func columns(prefix: String = "") -> [(String, (any DatabaseValueConvertible)?)] {
        let columns: [(String, any DatabaseValueConvertible)] = [
            ("cpu_user_seconds", cpuUserSeconds), ("cpu_system_seconds", cpuSystemSeconds),
            ("average_rss_bytes", averageRSSBytes), ("peak_rss_bytes", peakRSSBytes),
            ("memory_gib_seconds", memoryGiBSeconds), ("disk_read_bytes", diskReadBytes),
            ("disk_write_bytes", diskWriteBytes), ("disk_counters_missing", diskCountersMissing),
            ("samples", samples), ("wall_seconds", wallSeconds), ("sampler_cpu_seconds", samplerCPUSeconds),
        ]
        return columns.map { (prefix + $0.0, $0.1) }
    }

    /// The usage read back from the columns `columns(prefix:)` names.
    init(row: Row, prefix: String = "") {
        self.init(
            cpuUserSeconds: row[prefix + "cpu_user_seconds"], cpuSystemSeconds: row[prefix + "cpu_system_seconds"],
            averageRSSBytes: row[prefix + "average_rss_bytes"], peakRSSBytes: row[prefix + "peak_rss_bytes"],
            memoryGiBSeconds: row[prefix + "memory_gib_seconds"], diskReadBytes: row[prefix + "disk_read_bytes"],
            diskWriteBytes: row[prefix + "disk_write_bytes"],
            diskCountersMissing: row[prefix + "disk_counters_missing"], samples: row[prefix + "samples"],
            wallSeconds: row[prefix + "wall_seconds"], samplerCPUSeconds: row[prefix + "sampler_cpu_seconds"])
    }
}

extension Database {
    /// Inserts one row of named values and returns its rowid.
    @discardableResult
    func insert(into table: String, _ columns: [(String, (any DatabaseValueConvertible)?)]) throws -> Int64 {
        let names = columns.map(\.0)
        try execute(
            sql: "INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES ("
                + names.map { _ in "?" }.joined(separator: ", ") + ")",
            arguments: StatementArguments(columns.map(\.1)))
        return lastInsertedRowID
    }
}
