import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

/// `stacklab run` with MQTT end to end: the `kind: mosquitto` recipe starts an empty broker, two producers publish
/// to one topic at the workload's QoS, two subscriptions receive every message (exact accounting), and nothing is
/// left running.
@Suite(
    .serialized,
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/mosquitto"),
        "mosquitto is not installed (stacklab install mosquitto)"))
struct MQTTRunTests {
    static func spec(qos: Int) -> String {
        """
        name: iot
        repeats: 1
        workload:
          protocol: mqtt
          qos: \(qos)
          producers_per_topic: 2
          subscriptions_per_topic: 2
          message_size: 128
          rate: 400
          duration: 1s
          threads: 1
        components:
          broker: { kind: mosquitto }
        variants:
          mosquitto: [broker]
        """
    }

    @Test(arguments: [(0, "pingresp"), (1, "puback"), (2, "pubcomp")])
    func runPublishesAtTheQoSAndAccountsForEveryMessage(qos: Int, acknowledgement: String) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stacklab-iot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("iot.yaml")
        try Self.spec(qos: qos).write(to: file, atomically: true, encoding: .utf8)
        let validated = try CommandRunner.run(["validate", file.path])
        #expect(validated.exitCode == 0, "\(validated.stdout)\(validated.stderr)")
        let runs = directory.appendingPathComponent("runs")
        let store = directory.appendingPathComponent("store.sqlite").path
        let outcome = try CommandRunner.run(
            ["run", file.path, "--runs-dir", runs.path, "--store", store, "-q"], timeout: 120)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")

        let record = try await RunCommandTests.storedRun(store: store)
        #expect(record.status == .completed)
        let load = try #require(record.trials.first?.load)
        let messaging = try #require(load.messaging)
        #expect(load.errors.total == 0)
        #expect(messaging.acknowledgement == acknowledgement)
        #expect(messaging.producers == 2)
        #expect(messaging.sent == 400, "the open loop's every message, shared by the two producers")
        #expect(load.requests.completed == 400, "every message acknowledged")
        #expect(messaging.subscriptions.count == 2)
        for subscription in messaging.subscriptions {
            #expect(subscription.expected == 400)
            #expect(
                subscription.received == 400 && subscription.lost == 0 && subscription.duplicated == 0
                    && subscription.outOfOrder == 0, "\(subscription)")
        }
        #expect(messaging.endToEnd.p50 > 0)
        #expect(ProcessTree.processes(workingUnder: directory).isEmpty)
    }

    @Test func aBrokerThatIsNotThereIsOneClearLine() throws {
        let port = try FreePort.next()
        for scheme in ["mqtt", "nats"] {
            let outcome = try CommandRunner.run(["load", "\(scheme)://127.0.0.1:\(port)", "-d", "1s", "-q"])
            #expect(outcome.exitCode == 1 || outcome.exitCode == 2, "\(scheme): \(outcome.stderr)")
            #expect(outcome.stderr.contains("cannot connect to 127.0.0.1:\(port)"), "\(scheme): \(outcome.stderr)")
            #expect(!outcome.stderr.contains("Fatal error"), "\(scheme): \(outcome.stderr)")
        }
    }
}
