import StackLabCore

extension ReportTables {
    /// Per database component and offered rate: bytes stored at the end of the trials, read and write IOPS,
    /// and what the stored bytes cost per month (with a catalog). Nil when no component of the variant
    /// stores data or counted storage operations.
    public static func storage(_ report: RunReport, variant: String) -> ReportTable? {
        let priced = report.catalog.map { " (\(MoneyText.dollars($0.storagePerGBMonth))/GB-month)" } ?? ""
        var table = ReportTable(
            header: [
                "component", "offered", "stored", "read IOPS", "write IOPS", "IOPS counted on",
                "$/month stored" + priced,
            ],
            alignments: [.left, .right, .right, .right, .right, .left, .right])
        for group in report.groups(of: variant) {
            let names = group.trials.first?.components.map(\.name) ?? []
            for (index, name) in names.enumerated() {
                let measured = group.trials.compactMap { index < $0.components.count ? $0.components[index] : nil }
                let stored = measured.compactMap(\.storedBytes)
                let operations = measured.compactMap(\.usage.diskOperations)
                guard !stored.isEmpty || !operations.isEmpty else { continue }
                let storedBytes = Statistics.median(stored.map(Double.init))
                let dollars = storedBytes.flatMap { bytes in report.catalog.map { bytes / 1e9 * $0.storagePerGBMonth } }
                table.rows.append([
                    name, group.rateLabel, storedBytes.map { NumberText.bytes(Int($0)) } ?? "-",
                    iops(measured.compactMap(\.usage.readIOPS)), iops(measured.compactMap(\.usage.writeIOPS)),
                    operations.first.map(\.label) ?? "-", dollars.map(MoneyText.dollars) ?? "-",
                ])
            }
        }
        return table.rows.isEmpty ? nil : table
    }

    /// A note for under the storage table: device-wide counts include every process on the device.
    public static func storageNote(_ report: RunReport) -> String? {
        let devices = Set(
            report.record.trials.flatMap(\.components).compactMap(\.usage.diskOperations).filter { $0.scope == .device }
                .compactMap(\.device))
        guard !devices.isEmpty else { return nil }
        return "IOPS are reads and writes completed by the whole block device holding the data directory "
            + "(\(devices.sorted().joined(separator: ", ")), /proc/diskstats) over the measured window: everything else "
            + "using that device counts too. Stored is the data directory's allocated size at the end of the trial."
    }

    /// One row per backup and restore drill: method, data, times, size, rows and whether the copy matches.
    /// Nil when the run took none.
    public static func recoveries(_ report: RunReport) -> ReportTable? {
        guard let drills = report.record.recoveries, !drills.isEmpty else { return nil }
        var table = ReportTable(
            header: [
                "variant", "component", "method", "data", "backup time", "backup size", "restore time", "rows",
                "checksum",
            ],
            alignments: [.left, .left, .left, .left, .right, .right, .right, .right, .left])
        for drill in drills {
            table.rows.append([
                drill.variant, drill.component, drill.method, RecoveryText.data(drill),
                drill.backupSeconds.map(RecoveryText.seconds) ?? "-",
                drill.backupBytes.map(NumberText.bytes) ?? "-",
                drill.restoreSeconds.map(RecoveryText.seconds) ?? "-",
                RecoveryText.rows(drill), RecoveryText.match(drill),
            ])
        }
        return table
    }

    /// The drills' verdict in a line: `✓ …` when every restored copy matched, `✗ …` naming each that did
    /// not. Nil when the run took none.
    public static func recoveryVerdict(_ record: RunRecord) -> String? {
        guard let drills = record.recoveries, !drills.isEmpty else { return nil }
        let failed = drills.filter { !$0.passed }
        // Crash drills of brokers beside the backups: the verdict names drills, not backups.
        let crashes = drills.contains { $0.durability != nil }
        guard !failed.isEmpty else {
            return "✓ \(drills.count) of \(drills.count) "
                + (crashes ? "drills passed: no data or confirmed message lost" : "backups restored the same data")
        }
        return "✗ FAILED: \(failed.count) of \(drills.count) "
            + (crashes ? "drills lost data or confirmed messages: " : "backups did not restore the same data: ")
            + failed.map { "\($0.variant)/\($0.component) \($0.method): \(RecoveryText.summary($0))" }.joined(
                separator: "; ")
    }

    private static func iops(_ values: [Double]) -> String {
        Statistics.median(values).map { DurationText.fixed($0, digits: $0 < 10 ? 1 : 0) } ?? "-"
    }
}

/// How a backup and restore drill reads in a table or a progress line.
public enum RecoveryText {
    /// `1.23s`, `45ms`.
    public static func seconds(_ value: Double) -> String { DurationText.micros(value * 1e6) }

    /// `3 tables, 1,000 rows` or `1,000 keys`.
    public static func data(_ drill: RecoveryDrill) -> String {
        if let durability = drill.durability {
            return "\(NumberText.grouped(durability.confirmed)) confirmed messages, \(durability.mode)"
        }
        if drill.kind == ComponentKind.redis.rawValue { return "\(NumberText.grouped(drill.sourceRows)) keys" }
        let tables = drill.checks.count
        return "\(tables) table\(tables == 1 ? "" : "s"), \(NumberText.grouped(drill.sourceRows)) rows"
    }

    /// `1,000` when the copy has as many rows as the source, else `999 of 1,000`.
    public static func rows(_ drill: RecoveryDrill) -> String {
        if let durability = drill.durability, drill.failure == nil {
            let kept = durability.confirmed - durability.lost
            return kept == durability.confirmed
                ? NumberText.grouped(kept)
                : "\(NumberText.grouped(kept)) of \(NumberText.grouped(durability.confirmed))"
        }
        guard let restored = drill.restoredRows, drill.failure == nil else { return "-" }
        return restored == drill.sourceRows
            ? NumberText.grouped(restored)
            : "\(NumberText.grouped(restored)) of \(NumberText.grouped(drill.sourceRows))"
    }

    /// `✓ match`, `✗ MISMATCH (public.t)` or `✗ failed: reason`.
    public static func match(_ drill: RecoveryDrill) -> String {
        if let failure = drill.failure { return "✗ failed: \(failure)" }
        if let durability = drill.durability { return messages(durability) }
        let differing = drill.mismatchedTables
        return differing.isEmpty ? "✓ match" : "✗ MISMATCH (\(differing.joined(separator: ", ")))"
    }

    /// One line: times, size and the check.
    public static func summary(_ drill: RecoveryDrill) -> String {
        if let failure = drill.failure { return "✗ failed: \(failure)" }
        if let durability = drill.durability {
            return "restart \(seconds(durability.restartSeconds)), \(data(drill)): \(messages(durability))"
        }
        let backup = drill.backupSeconds.map(seconds) ?? "-"
        let restore = drill.restoreSeconds.map(seconds) ?? "-"
        let size = drill.backupBytes.map(NumberText.bytes) ?? "-"
        return "backup \(backup) (\(size)), restore \(restore), \(data(drill)): \(match(drill))"
    }

    /// `✓ none lost, 0 duplicated, 0 out of order` or `✗ LOST 412 of 1,000 confirmed, …`.
    public static func messages(_ durability: MessageDurability) -> String {
        let rest =
            "\(NumberText.grouped(durability.duplicated)) duplicated, "
            + "\(NumberText.grouped(durability.outOfOrder)) out of order"
        guard durability.lost == 0 else {
            return "✗ LOST \(NumberText.grouped(durability.lost)) of \(NumberText.grouped(durability.confirmed)) "
                + "confirmed, \(rest)"
        }
        return "✓ none lost, \(rest)"
    }
}
