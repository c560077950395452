import Testing

@testable import StackLabLocal

/// Whose PSS a sample reads, with a made-up cost per read.
struct ProportionalSizeReaderTests {
    func readings(_ pids: [Int32], zombie: Set<Int32> = []) -> [ProcessReading] {
        pids.map { pid in
            let line =
                "\(pid) (p) \(zombie.contains(pid) ? "Z" : "S") 1 \(pid) \(pid) 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 7 1000 10 0\n"
            return ProcessReading(stat: Array(line.utf8).withUnsafeBytes { ProcStat($0)! }, disk: nil)
        }
    }

    /// Runs one sample in which each read costs one unit of CPU; returns the pids read.
    func sample(_ reader: inout ProportionalSizeReader, _ pids: [Int32], zombie: Set<Int32> = []) -> [Int32] {
        var batch = readings(pids, zombie: zombie)
        var cpu = 0
        var read: [Int32] = []
        reader.fill(
            &batch,
            read: { pid in
                cpu += 1
                read.append(pid)
                return 4096
            }, cpuNanoseconds: { cpu })
        #expect(batch.filter { $0.proportionalBytes != nil }.map(\.stat.pid) == read.sorted())
        return read
    }

    @Test func newProcessesAreReadWhateverTheBudgetAndTheRestTakeTurns() {
        var reader = ProportionalSizeReader(budget: 2)
        #expect(sample(&reader, [1, 2, 3, 4, 5]) == [1, 2, 3, 4, 5])
        #expect(sample(&reader, [1, 2, 3, 4, 5]).count == 2)
        // A newcomer is read, and the two read longest ago.
        let third = sample(&reader, [1, 2, 3, 4, 5, 6])
        #expect(third.first == 6)
        #expect(third.count == 3)
        // Every process comes round.
        var seen: Set<Int32> = []
        for _ in 0..<3 { seen.formUnion(sample(&reader, [1, 2, 3, 4, 5, 6])) }
        #expect(seen == [1, 2, 3, 4, 5, 6])
    }

    @Test func aZeroBudgetStillRereadsOneProcessASample() {
        var reader = ProportionalSizeReader(budget: 0)
        _ = sample(&reader, [1, 2, 3])
        #expect(sample(&reader, [1, 2, 3]).count == 1)
    }

    @Test func oneLiveProcessIsNotRead() {
        var reader = ProportionalSizeReader(budget: 100)
        #expect(sample(&reader, [1]).isEmpty)
        #expect(sample(&reader, [1, 2], zombie: [2]).isEmpty)
    }
}
