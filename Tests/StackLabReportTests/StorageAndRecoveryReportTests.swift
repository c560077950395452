import Foundation
import StackLabCore
import StackLabReport
import Testing

/// Database figures in every report format: stored bytes, IOPS and their price, and the backup and restore
/// drills with a failing one named in the verdict.
@Suite struct StorageAndRecoveryReportTests {
    static func record() -> RunRecord {
        var record = RunFixture.record(rates: [1_000], repeats: 1)
        for trial in record.trials.indices {
            for index in record.trials[trial].components.indices
            where record.trials[trial].components[index].name == "app" {
                record.trials[trial].components[index].storedBytes = 2_500_000_000
                record.trials[trial].components[index].usage.diskOperations = DiskOperations(
                    reads: 100, writes: 3_000, scope: .device, device: "vda")
            }
        }
        let check = RecoveryDrill.DataCheck(
            name: "public.items", sourceRows: 5_000, restoredRows: 5_000, sourceChecksum: "abc", restoredChecksum: "abc"
        )
        record.recoveries = [
            RecoveryDrill(
                variant: "direct", component: "app", kind: "postgres", method: "pg_dump", backupSeconds: 0.25,
                backupBytes: 114_688, restoreSeconds: 0.5, checks: [check]),
            RecoveryDrill(
                variant: "direct", component: "cache", kind: "redis", method: "rdb", backupSeconds: 0.1,
                backupBytes: 659_456, restoreSeconds: 0.05,
                checks: [
                    .init(
                        name: "keyspace", sourceRows: 20_000, restoredRows: 19_999, sourceChecksum: "d1",
                        restoredChecksum: "d2")
                ]),
        ]
        return record
    }

    @Test func everyFormatShowsStoredBytesIOPSAndTheDrills() throws {
        let report = try RunFixture.report(Self.record())
        var outputs: [ReportFormat: String] = [:]
        for format in ReportFormat.allCases { outputs[format] = try format.renderer.render(report) }

        let text = try #require(outputs[.text])
        #expect(text.contains("backup and restore: ✗ FAILED: 1 of 2 backups did not restore the same data"))
        #expect(text.contains("✗ MISMATCH (keyspace)") && text.contains("✓ match"))
        #expect(text.contains("19,999 of 20,000"))
        #expect(text.contains("2.50 GB") && text.contains("device vda") && text.contains("/GB-month"))
        // 3,000 writes over the 10-second window.
        #expect(text.contains("300"))

        let markdown = try #require(outputs[.md])
        #expect(markdown.contains("## Backup and restore"))
        #expect(markdown.contains("### Stored data and IOPS"))
        #expect(markdown.contains("whole block device"))

        let html = try #require(outputs[.html])
        let xml = try XMLElements(html)
        #expect(!xml.all("section", ["id": "recovery"]).isEmpty)
        #expect(html.contains("<p class=\"verdict fail\">"))

        let document = try JSONDecoder().decode(ReportDocument.self, from: Data(try #require(outputs[.json]).utf8))
        #expect(document.recoveries?.map(\.passed) == [true, false])
        let app = try #require(document.groups.first { $0.variant == "direct" }?.components.first)
        #expect(app.storedBytes == 2_500_000_000 && app.writeIOPS == 300 && app.iopsCountedOn == "device vda")
        // 2.5 GB at the catalog's $/GB-month.
        #expect(app.storageDollarsPerMonth == 2.5 * (document.pricing?.storagePerGBMonth ?? 0))

        let csv = try #require(outputs[.csv])
        let blocks = csv.components(separatedBy: "\n\n")
        #expect(blocks.count == 2)
        #expect(blocks.first?.contains(",2500000000,100,3000,10,300,device vda") == true)
        #expect(blocks.last?.hasPrefix(CSVReportRenderer.recoveryColumns.joined(separator: ",")) == true)
        #expect(blocks.last?.contains(",rdb,0.1,659456,0.05,20000,19999,false,keyspace") == true)
    }

    @Test func allDrillsPassingIsAPassingVerdict() throws {
        var record = Self.record()
        record.recoveries?.removeLast()
        #expect(ReportTables.recoveryVerdict(record) == "✓ 1 of 1 backups restored the same data")
        record.recoveries = nil
        #expect(ReportTables.recoveryVerdict(record) == nil)
        let text = try TextReportRenderer().render(try RunFixture.report(record))
        #expect(!text.contains("backup and restore"))
    }

    @Test func aBrokerThatLostConfirmedMessagesFailsTheVerdict() throws {
        var record = Self.record()
        record.recoveries?.removeLast()
        var crash = RecoveryDrill(variant: "core", component: "bus", kind: "nats", method: "kill -9")
        crash.durability = MessageDurability(
            mode: "core NATS (no storage)", published: 1_001, confirmed: 1_000, delivered: 0, lost: 1_000,
            duplicated: 0, outOfOrder: 0, restartSeconds: 0.12)
        record.recoveries?.append(crash)
        let verdict = try #require(ReportTables.recoveryVerdict(record))
        #expect(verdict.hasPrefix("✗ FAILED: 1 of 2 drills lost data or confirmed messages: "))
        #expect(verdict.contains("core/bus kill -9: restart "))
        #expect(verdict.contains("1,000 confirmed messages, core NATS (no storage): ✗ LOST 1,000 of 1,000 confirmed"))
        let text = try TextReportRenderer().render(try RunFixture.report(record))
        #expect(text.contains("0 of 1,000"))
    }
}
