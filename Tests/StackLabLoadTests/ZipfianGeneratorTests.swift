import Testing

@testable import StackLabLoad

struct ZipfianGeneratorTests {
    static let draws = 400_000

    @Test func mostPopularItemsGetTheirTheoreticalShare() {
        let zipfian = ZipfianGenerator(items: 1_000)
        var random = SplitMix64(seed: 1)
        var counts = [Int](repeating: 0, count: 1_000)
        for _ in 0..<Self.draws { counts[Int(zipfian.item(forUniform: random.nextUnit()))] += 1 }
        // Ranks 0 and 1 are drawn exactly; beyond them Gray's formula approximates the curve (within 20% here).
        for (rank, margin) in [(0, 0.05), (1, 0.05), (2, 0.2), (10, 0.2)] {
            let share = Double(counts[rank]) / Double(Self.draws)
            let theory = zipfian.probability(ofRank: Int64(rank))
            #expect(abs(share - theory) / theory < margin, "rank \(rank): \(share) against \(theory)")
        }
        // Popularity falls with rank.
        #expect(counts[0] > counts[1] && counts[1] > counts[2] && counts[2] > counts[10] && counts[10] > counts[500])
    }

    @Test func scrambledKeepsTheSkewButScattersThePopularKeys() {
        let generator = ScrambledZipfianGenerator(records: 10_000)
        var random = SplitMix64(seed: 2)
        var counts = [Int](repeating: 0, count: 10_000)
        for _ in 0..<Self.draws { counts[Int(generator.next(using: &random))] += 1 }
        let ranked = counts.indices.sorted { counts[$0] > counts[$1] }
        // YCSB's item 0 has probability 1/zeta(10^10, 0.99) = 3.78%, item 1 half that (0.5^0.99 of it); the
        // other ten billion items hash over all keys and add about 0.01% each.
        let top = Double(counts[ranked[0]]) / Double(Self.draws)
        let second = Double(counts[ranked[1]]) / Double(Self.draws)
        #expect(abs(top - 1 / ScrambledZipfianGenerator.zetan) < 0.004, "most popular key's share \(top)")
        #expect(abs(second - 0.5 / ScrambledZipfianGenerator.zetan) < 0.003, "second key's share \(second)")
        // Scattered: the most popular keys are not the first record numbers.
        #expect(Set(ranked.prefix(3)) != Set([0, 1, 2]))
        // Skewed: the top 1% of keys get far more than 1% of the draws, yet most keys are drawn.
        let topShare = Double(ranked.prefix(100).map { counts[$0] }.reduce(0, +)) / Double(Self.draws)
        #expect(topShare > 0.2, "top 1% of keys got \(topShare)")
        #expect(counts.filter { $0 > 0 }.count > 9_000)
    }

    @Test func keysAreYCSBs() {
        // YCSB's first key with its default hashed insert order.
        #expect(YCSBKey.name(0) == "user6284781860667377211")
        #expect(YCSBKey.name(1) == "user8517097267634966620")
    }
}
