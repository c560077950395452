import Foundation
import StackLabCore
import StackLabStore
import StackLabTestSupport
import Testing

/// `stacklab run --rates/--variant/--pricing` cut an experiment down; a loopback run prices no egress.
@Suite(.serialized)
struct RunOptionsTests {
    @Test func anUnknownVariantIsOneLineNamingTheValidOnes() throws {
        let outcome = try CommandRunner.run(["run", "--variant", "direkt", "-q"])
        #expect(outcome.exitCode != 0)
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("no variant 'direkt'; did you mean 'direct'? its variants: direct"))
    }

    @Test func ratesVariantAndPricingOverrideTheExperiment() async throws {
        let runs = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-runs-\(UUID().uuidString)")
        let store = RunCommandTests.store(beside: runs)
        let outcome = try CommandRunner.run(
            [
                "run", "--rates", "200,400", "--variant", "direct", "--pricing", "aws-m7i-large", "--duration", "1s",
                "--warmup", "0s", "--repeats", "1", "--runs-dir", runs.path, "-q", "--store", store,
            ], timeout: 240)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let record = try await RunCommandTests.storedRun(store: store)
        #expect(record.trials.map(\.offeredRate) == [200, 400])
        #expect(Set(record.trials.map(\.variant)) == ["direct"])
        #expect(record.spec.pricing == "aws-m7i-large")
        #expect(outcome.stdout.contains("cost · aws-m7i-large"))
        // A loopback run without an egress: key prices nothing for the bytes served, and says so.
        #expect(outcome.stdout.contains("egress: none"))
        let costs = RunCosts.price(record, catalog: try PriceCatalogs.load(nameOrPath: "aws-m7i-large"))
        #expect(record.trials.allSatisfy { $0.load.requests.bytesReceived > 0 })
        #expect(costs.trials.allSatisfy { $0.egress == 0 })
        #expect(record.fingerprint.sharedComponentCPUs <= record.fingerprint.cores)
    }
}
