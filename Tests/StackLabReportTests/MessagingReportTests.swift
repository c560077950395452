import Foundation
import StackLabCore
import StackLabReport
import Testing

/// A messaging run's report: messages in and out, end-to-end latency, the accounting summed over repeats, and
/// what keeping the messages costs, in every text format; its workload table counts messages, not requests.
@Suite struct MessagingReportTests {
    /// The fixture's `direct` and `nginx` variants as a NATS run: every trial published 10,000 messages of 1 KiB and
    /// its broker stored 1.5 bytes per payload byte; `nginx`'s second repeat at 2,000/s lost 3 messages and
    /// duplicated 1. With `behind`, `direct`'s consumers received 90% of what was published at 2,000/s.
    static func record(jetstream: Bool, behind: Bool = false) -> RunRecord {
        var record = RunFixture.record(rates: [1_000, 2_000], repeats: 3)
        record.spec.workload.wireProtocol = .nats
        record.spec.workload.messaging = Workload.Messaging(messageSize: 1_024, jetstream: jetstream)
        for index in record.trials.indices {
            let trial = record.trials[index]
            let lossy = trial.variant == "nginx" && trial.offeredRate == 2_000 && trial.repeatIndex == 2
            let delivered =
                (trial.offeredRate ?? 0) * (behind && trial.variant == "direct" && trial.offeredRate == 2_000 ? 0.9 : 1)
            let subscription = LoadResult.Messaging.Subscription(
                subject: "stacklab.0", consumers: 1, expected: 10_000, received: lossy ? 9_998 : 10_000,
                lost: lossy ? 3 : 0, duplicated: lossy ? 1 : 0, outOfOrder: 0, disconnects: 0, brokerErrors: 0,
                lastError: nil)
            var endToEnd = trial.load.latency
            endToEnd.p50 = 700
            endToEnd.p99 = trial.offeredRate == 2_000 ? 9_000 : 3_000
            record.trials[index].load.messaging = LoadResult.Messaging(
                topics: 1, producers: 1, consumers: 1, messageSize: 1_024, acknowledgement: "puback", sent: 10_000,
                acknowledged: 8_000, messagesInPerSecond: trial.offeredRate ?? 0,
                megabytesInPerSecond: (trial.offeredRate ?? 0) * 1_024 / 1e6,
                messagesOutPerSecond: delivered, megabytesOutPerSecond: 0, endToEnd: endToEnd,
                subscriptions: [subscription])
            record.trials[index].components = [
                ComponentMeasurement(
                    name: "nats", kind: "nats", usage: trial.components[0].usage, storedBytes: 15_360_000)
            ]
        }
        return record
    }

    @Test func everyFormatShowsMessagesAccountingAndRetention() throws {
        let report = try RunFixture.report(Self.record(jetstream: true))
        let price = try #require(report.catalog?.storagePerGBMonth)
        let retained = MoneyText.dollars(1.5 * price)
        var outputs: [ReportFormat: String] = [:]
        for format in ReportFormat.allCases { outputs[format] = try format.renderer.render(report) }

        let text = try #require(outputs[.text])
        #expect(text.contains("variant direct: messages (medians across repeats)"))
        // Every rate kept up and met the SLO for `direct`: no limit found. `nginx` lost messages at 2,000/s.
        #expect(text.contains("Highest sustainable rate: ≥ 2,000 msg/s (the highest tried)"))
        #expect(text.contains("Highest sustainable rate: 1,000 msg/s: up to it"))
        // 3 lost and 1 duplicated at 2,000/s, in one repeat of three; none at 1,000/s.
        #expect(text.contains("3 · 1 · 0") && text.contains("0 · 0 · 0"))
        #expect(text.contains("1.50×") && text.contains(retained))
        #expect(text.contains("9.00ms") && text.contains("3.00ms"))

        let markdown = try #require(outputs[.md])
        #expect(markdown.contains("### Messages (medians across repeats)"))
        // The workload table (one per workload of a run with several) counts messages.
        let header = ReportTables.workload(report).header
        #expect(header.contains { $0.hasPrefix("$/M messages") } && header.contains { $0.hasPrefix("messages/s") })
        #expect(header.contains { $0.hasPrefix("publish p99") } && !header.contains { $0.hasPrefix("$/M requests") })
        // So does the variant's cost table.
        let cost = try #require(ReportTables.cost(report, variant: "direct")).header
        #expect(cost.contains { $0.hasPrefix("$/M messages") } && !cost.contains { $0.hasPrefix("$/M requests") })

        let html = try #require(outputs[.html])
        #expect(html.contains("<h4>Messages</h4>") && html.contains(retained))
    }

    @Test func consumersFallingBehindEndTheSustainableRate() throws {
        let report = try RunFixture.report(Self.record(jetstream: false, behind: true))
        // The SLO held at 2,000/s for `direct`, but its consumers received 90% of what was published.
        #expect(report.sweepLimit(of: "direct")?.highestRateWithinSLO == 2_000)
        let sentence = try #require(ReportTables.messagingLimitSentence(report, variant: "direct"))
        #expect(sentence.hasPrefix("Highest sustainable rate: 1,000 msg/s") && sentence.contains("at 2,000 msg/s not"))
    }

    @Test func aWorkloadThatKeepsNothingIsNotPricedAsRetained() throws {
        let report = try RunFixture.report(Self.record(jetstream: false))
        let table = try #require(ReportTables.messaging(report, variant: "direct"))
        let column = try #require(table.header.firstIndex { $0.hasPrefix("$/GB-month retained") })
        #expect(table.rows.count == 2)
        #expect(table.rows.allSatisfy { $0[column] == "not kept" })
    }

    @Test func anHTTPRunHasNoMessagesTable() throws {
        let report = try RunFixture.report(RunFixture.record(rates: [1_000], repeats: 1))
        #expect(ReportTables.messaging(report, variant: "direct") == nil)
        #expect(try ReportFormat.md.renderer.render(report).contains("$/M requests"))
    }
}
