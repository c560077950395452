import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLocal

/// Cold starts of a server that sleeps a known time before it binds: the measure must see that time.
@Suite(.serialized, .enabled(if: Tools.hasPython, "python3 is not installed (apt-get install python3)"))
struct ColdStartTests {
    func measure(delay: Double, starts: Int, directory: URL) async throws -> ColdStart.Result {
        try await withSupervisor(runDirectory: directory) { supervisor in
            try await ColdStart.measure(starts: starts, supervisor: supervisor) { port, _ in
                try FakeApp.command(port: port, delaySeconds: delay, in: directory)
            }
        }
    }

    @Test func aServerThatSleepsBeforeItBindsIsMeasuredFromSpawnToItsFirstAnswer() async throws {
        let directory = makeRunDirectory()
        // Python's own start (imports, the in-memory table) is measured alone first, then subtracted: only
        // the 300 ms sleep is known exactly.
        let baseline = try await measure(delay: 0, starts: 3, directory: directory)
        let slept = try await measure(delay: 0.3, starts: 3, directory: directory)

        #expect(slept.samples.count == 3)
        #expect(slept.samples.allSatisfy { $0 >= .milliseconds(300) }, "\(slept.samples)")
        // Fastest against fastest: a loaded 2-core machine slows some of Python's starts (a slow baseline start
        // once moved the medians' difference below 200 ms in CI), never below its quickest.
        let added = slept.fastest - baseline.fastest
        #expect(added > .milliseconds(200) && added < .seconds(1), "baseline \(baseline), slept \(slept)")
        #expect(slept.fastest <= slept.median && slept.median <= slept.slowest)
        // Each start was stopped: none of the servers is left.
        #expect(ProcessTree.processes(withArgument: directory.appendingPathComponent("fake_app.py").path).isEmpty)
        // Each start kept its own logs.
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("fake-app-3.out.log").path))
    }

    @Test func medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        let result = ColdStart.Result(samples: [.milliseconds(4), .milliseconds(1), .milliseconds(3), .milliseconds(2)])
        #expect(result.median == .microseconds(2500))
        #expect(ColdStart.Result(samples: [.milliseconds(5)]).median == .milliseconds(5))
    }

    @Test func aServerThatNeverAnswersCorrectlyTimesOutWithItsLogs() async throws {
        let directory = makeRunDirectory()
        let error = await #expect(throws: UserError.self) {
            try await withSupervisor(runDirectory: directory) { supervisor in
                try await ColdStart.measure(
                    starts: 1, target: .init(path: "/json", body: "something else"), supervisor: supervisor,
                    timeout: .seconds(2)
                ) { port, _ in
                    try FakeApp.command(port: port, in: directory)
                }
            }
        }
        let message = error?.message ?? ""
        #expect(message.contains("fake-app-1 did not serve GET /json correctly within 2 s"), "\(message)")
        #expect(message.contains(#"last attempt: HTTP 200 '{"message": "Hello, World!"}'"#), "\(message)")
        #expect(ProcessTree.processes(withArgument: directory.appendingPathComponent("fake_app.py").path).isEmpty)
    }
}
