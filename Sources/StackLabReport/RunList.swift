import Foundation
import StackLabCore

/// The list of stored runs as `stacklab runs` prints it, and the times and durations of a run as text.
public enum RunList {
    /// A lined-up table, one run a line, in the order given (newest first from the store).
    public static func render(_ listings: [RunListing]) -> String {
        let header = ["id", "experiment", "status", "started", "duration", "variants", "trials"]
        let rows = listings.map { run in
            [
                run.id, run.name, run.status.rawValue, time(run.startedAt),
                duration(from: run.startedAt, to: run.finishedAt, status: run.status),
                String(run.variants), String(run.trials),
            ]
        }
        // Words read left-aligned, counts right-aligned.
        let rightAligned: Set<Int> = [5, 6]
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? padding + cell : cell + padding
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    /// An ISO 8601 time as `2026-11-29 14:02:10` in this machine's time zone; the text as is when it is not one.
    public static func time(_ iso: String) -> String {
        guard let date = ISO8601DateFormatter().date(from: iso) else { return iso }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    /// How long a run took (`1h 02m`, `3m 12s`, `42s`); `running` while it runs, `-` when unknown.
    public static func duration(from start: String, to end: String?, status: RunRecord.Status) -> String {
        if status == .running { return "running" }
        guard let end, let startDate = ISO8601DateFormatter().date(from: start),
            let endDate = ISO8601DateFormatter().date(from: end)
        else { return "-" }
        let seconds = max(0, Int(endDate.timeIntervalSince(startDate).rounded()))
        if seconds >= 3600 { return "\(seconds / 3600)h " + twoDigits((seconds % 3600) / 60) + "m" }
        if seconds >= 60 { return "\(seconds / 60)m " + twoDigits(seconds % 60) + "s" }
        return "\(seconds)s"
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : String(value)
    }
}
