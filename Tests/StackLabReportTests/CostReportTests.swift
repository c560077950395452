import Foundation
import StackLabCore
import StackLabReport
import Testing

/// What a reader sees of costs: the egress assumption stated, compute apart from egress, CSV rows that add up, the
/// CPUs a stack was priced for.
@Suite struct CostReportTests {
    static func report(egress: EgressKind?) throws -> RunReport {
        try RunFixture.report(GatewaysFixture.record(egress: egress))
    }

    @Test func csvRowsSumToTheTrialTotal() throws {
        for egress in [EgressKind.none, .internet] {
            let report = try Self.report(egress: egress)
            let lines = CSVReportRenderer().render(report).split(separator: "\n").map(String.init)
            let columns = lines[0].split(separator: ",").map(String.init)
            let column = { (name: String) in columns.firstIndex(of: name)! }
            var sums: [String: Double] = [:]
            var totals: [String: Double] = [:]
            var egressByTrial: [String: Double] = [:]
            for line in lines.dropFirst() {
                let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard let usage = Double(cells[column("usage_dollars")]) else { continue }
                let trial =
                    cells[column("variant")] + "#" + cells[column("offered_rate")] + "#" + cells[column("repeat")]
                let egressCell = try #require(Double(cells[column("egress_dollars")]))
                sums[trial, default: 0] += usage + egressCell
                egressByTrial[trial, default: 0] += egressCell
                totals[trial] = Double(cells[column("trial_total_dollars")])
                #expect(cells[column("egress_kind")] == egress.rawValue)
            }
            #expect(sums.count == report.record.trials.count)
            for (trial, sum) in sums {
                let total = try #require(totals[trial])
                #expect(abs(sum - total) <= 1e-12 * max(total, 1e-9) + 1e-18, "\(trial)")
            }
            let cost = try #require(report.costs)
            #expect(
                abs(egressByTrial.values.reduce(0, +) - cost.trials.reduce(0) { $0 + $1.egress }) < 1e-12)
            if egress == EgressKind.none { #expect(egressByTrial.values.allSatisfy { $0 == 0 }) }
        }
    }

    @Test func everyFormatStatesTheEgressAssumptionAndComputeApart() throws {
        let report = try Self.report(egress: nil)
        let text = TextReportRenderer().render(report)
        #expect(text.contains("egress: none: a loopback lab"))
        #expect(text.contains("CPU priced: each stack's components shared 1 CPU when measured"))
        let markdown = MarkdownReportRenderer().render(report)
        #expect(markdown.contains("Egress: none"))
        let html = HTMLReportRenderer().render(report)
        #expect(html.contains("Egress: none"))
        let table = try #require(ReportTables.cost(report, variant: "nginx"))
        let names = table.rows.map { $0[0] }
        #expect(names.contains("compute") && names.contains("egress (none)") && names.contains("total"))
        let json = try JSONDecoder().decode(ReportDocument.self, from: Data(JSONReportRenderer().render(report).utf8))
        #expect(json.pricing?.egress == "none")
        #expect(json.pricing?.sharedCPUs == 1)
        #expect(json.groups.allSatisfy { $0.cost?.computePerMillionRequests == $0.cost?.perMillionRequests })
        #expect(json.trials.allSatisfy { $0.cost?.egress == 0 && $0.cost?.compute == $0.cost?.usage })
        // Capacity: a gateway and the app shared one CPU, so a replica is priced for one vCPU, not two.
        let nginx = try #require(json.capacity.first { $0.variant == "nginx" })
        #expect(nginx.replicaVCPUs == 1)
        #expect(nginx.egressDollarsPerMonth == 0 && nginx.computeDollarsPerMonth == nginx.dollarsPerMonth)
    }

    @Test func internetEgressIsPricedAndNamed() throws {
        let report = try Self.report(egress: .internet)
        let text = TextReportRenderer().render(report)
        #expect(text.contains("egress: internet: the bytes served at the stack's edge × $0.120/GB"))
        let cost = try #require(report.costs)
        for (trial, measured) in zip(cost.trials, report.record.trials) {
            #expect(abs(trial.egress - Double(measured.load.requests.bytesReceived) / 1e9 * 0.12) < 1e-15)
        }
    }
}
