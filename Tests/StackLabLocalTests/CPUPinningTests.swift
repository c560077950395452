import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLocal

struct CPUSetTests {
    @Test(arguments: [
        ("0-3,6", [0, 1, 2, 3, 6], "0-3,6"),
        ("0-1", [0, 1], "0-1"),
        ("5", [5], "5"),
        ("2,0,1", [0, 1, 2], "0-2"),
        ("0-1,4\n", [0, 1, 4], "0-1,4"),
    ])
    func listsParseAndPrintAsLinuxWritesThem(text: String, cpus: [Int], printed: String) throws {
        let set = try CPUSet(parsing: text)
        #expect(set.cpus == cpus)
        #expect(set.description == printed)
    }

    @Test(arguments: ["a", "3-1", "1-", "-2"])
    func badListsAreRejected(text: String) {
        #expect(throws: UserError.self) { try CPUSet(parsing: text) }
    }
}

struct CPUPinningPlanTests {
    @Test func oneCPUIsNotSplit() {
        let plan = CPUPinning.plan(usable: [0])
        #expect(plan.load == nil && plan.components == nil)
        #expect(plan.note.hasPrefix("not pinned: only 1 usable CPU"))
    }

    @Test func twoCPUsGiveOneToEachSide() {
        let plan = CPUPinning.plan(usable: [0, 1])
        #expect(plan.load == [1])
        #expect(plan.components == [0])
    }

    @Test func aQuarterGoesToTheLoadEngineByDefault() {
        let plan = CPUPinning.plan(usable: CPUSet(0..<8))
        #expect(plan.load == [6, 7])
        #expect(plan.components == CPUSet(0..<6))
        #expect(CPUPinning.plan(usable: CPUSet(0..<8), loadCPUs: 20).components == [0])
    }

    @Test func usableCPUsAreThisProcessesAffinity() {
        let usable = CPUPinning.usableCPUs()
        #expect(!usable.isEmpty)
        #expect(usable.description == ProcessCheck.allowedCPUs(getpid()))
    }

    @Test func withoutTasksetNothingIsPinnedAndTheOutcomeSaysSo() {
        let (prefix, outcome) = CPUPinning.wrapper(for: [0], searchPath: "/nonexistent")
        #expect(prefix.isEmpty)
        #expect(!outcome.isPinned)
        #expect(outcome.note.contains("taskset not found"))
        #expect(CPUPinning.wrapper(for: nil).outcome == .notRequested)
    }
}

@Suite(.serialized, .enabled(if: Tools.taskset != nil, "taskset is not installed (apt-get install util-linux)"))
struct CPUPinningProcessTests {
    @Test func aChildStartedWithCPUsRunsOnlyOnThem() async throws {
        let usable = CPUPinning.usableCPUs()
        let cpu = try #require(usable.cpus.last)
        let supervisor = try ProcessSupervisor(runDirectory: makeRunDirectory())
        let child = try await supervisor.start(
            LaunchCommand(name: "pinned", executable: "sleep", arguments: ["60"], cpus: [cpu]))
        #expect(child.pinning == PinningOutcome(cpus: [cpu], note: "pinned to CPUs \(cpu) with taskset"))
        #expect(await ProcessCheck.eventually { ProcessCheck.allowedCPUs(child.pid) == "\(cpu)" })
        await supervisor.stopAll()
        #expect(!ProcessTree.isRunning(child.pid))
    }

    @Test func aRunningProcessCanBePinned() async throws {
        let cpu = try #require(CPUPinning.usableCPUs().cpus.first)
        let supervisor = try ProcessSupervisor(runDirectory: makeRunDirectory())
        let child = try await supervisor.start(LaunchCommand(name: "later", executable: "sleep", arguments: ["60"]))
        let outcome = CPUPinning.pin(processID: child.pid, to: [cpu])
        #expect(outcome.isPinned, "\(outcome)")
        #expect(ProcessCheck.allowedCPUs(child.pid) == "\(cpu)")
        await supervisor.stopAll()
        #expect(!ProcessTree.isRunning(child.pid))
    }
}
