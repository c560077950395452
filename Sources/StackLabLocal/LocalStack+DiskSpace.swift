import Foundation
import StackLabCore

extension LocalStack {
    /// Checks, before anything starts, that the disk holding each database's data has room for the tables its
    /// workloads load (`Workload.SQL.estimatedBytes`), so that a large `scale` fails in a second rather than
    /// after filling the disk.
    ///
    /// Where each kind keeps its data is the kind's (`LocalComponentKind.dataPlace`): PostgreSQL under the
    /// temporary directory, MariaDB under the run directory.
    ///
    /// - Throws: `UserError` naming the workload, what it needs and what is free.
    public static func checkDiskSpace(_ spec: ExperimentSpec, runsDirectory: URL) throws {
        var needed: [String: (bytes: Int64, what: String)] = [:]
        for (name, workload) in spec.trialWorkloads {
            guard let sql = workload.sql else { continue }
            for variant in spec.variants where spec.runs(workload, on: variant) {
                guard let kind = spec.entryKind(of: variant),
                    let place = LocalComponents.kind(kind)?.dataPlace(runsDirectory: runsDirectory)
                else { continue }
                let what =
                    "workload" + (name.map { " '\($0)'" } ?? "") + " (\(sql.transaction.rawValue), "
                    + (sql.transaction == .readWrite ? "rows \(sql.rows))" : "scale \(sql.scale))")
                if sql.estimatedBytes > needed[place]?.bytes ?? 0 { needed[place] = (sql.estimatedBytes, what) }
            }
        }
        for (place, need) in needed.sorted(by: { $0.key < $1.key }) {
            guard let free = MachineLimits.freeBytes(at: existingAncestor(place)) else { continue }
            // Indexes grow, WAL and the history table take more while it runs: keep a quarter spare.
            guard need.bytes + need.bytes / 4 > free else { continue }
            throw UserError(
                "\(need.what) needs about \(gigabytes(need.bytes)) of disk, and \(place) has \(gigabytes(free)) "
                    + "free; lower the scale or free some space")
        }
    }

    /// `path`, or its nearest parent that exists (the runs directory is made when the run starts).
    static func existingAncestor(_ path: String) -> String {
        var url = URL(fileURLWithPath: path)
        while !FileManager.default.fileExists(atPath: url.path), url.path != "/" { url.deleteLastPathComponent() }
        return url.path
    }

    static func gigabytes(_ bytes: Int64) -> String {
        bytes >= 1_000_000_000
            ? DurationText.fixed(Double(bytes) / 1e9, digits: 1) + " GB"
            : "\(bytes / 1_000_000) MB"
    }
}
