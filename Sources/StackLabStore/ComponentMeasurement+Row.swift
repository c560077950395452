import GRDB
import StackLabCore

extension ComponentMeasurement {
    /// The stored bytes and storage operations as the `component_measurements` columns of schema v3-disk-ops, and
    /// a metrics backend's ingestion as v3-ingestion's, the component's cgroup counters as v4-cgroup's.
    func storageColumns() throws -> [(String, (any DatabaseValueConvertible)?)] {
        let operations = usage.diskOperations
        let ingestionJSON = try ingestion.map { try SQLiteResultsStore.json($0) }
        let cgroupJSON = try cgroup.map { try SQLiteResultsStore.json($0) }
        return [
            ("stored_bytes", storedBytes), ("disk_read_ops", operations?.reads),
            ("disk_write_ops", operations?.writes), ("disk_ops_scope", operations?.scope.rawValue),
            ("disk_ops_device", operations?.device),
            ("ingestion_json", ingestionJSON), ("cgroup_json", cgroupJSON),
        ]
    }

    /// A measurement read back from a `component_measurements` row.
    ///
    /// - Throws: `StoreCorruption` when its ingestion or cgroup counters cannot be read.
    init(storageRow row: Row) throws {
        var usage = ResourceUsage(row: row)
        if let reads: Int = row["disk_read_ops"], let writes: Int = row["disk_write_ops"] {
            let scope = (row["disk_ops_scope"] as String?).flatMap(DiskOperations.Scope.init(rawValue:)) ?? .device
            usage.diskOperations = DiskOperations(
                reads: reads, writes: writes, scope: scope, device: row["disk_ops_device"])
        }
        let ingestion = try (row["ingestion_json"] as String?).map {
            try SQLiteResultsStore.decode(MetricsIngestion.self, $0)
        }
        let cgroup = try (row["cgroup_json"] as String?).map { try SQLiteResultsStore.decode(CgroupUsage.self, $0) }
        self.init(
            name: row["name"], kind: row["kind"], usage: usage, storedBytes: row["stored_bytes"], ingestion: ingestion,
            cgroup: cgroup)
    }
}
