import Foundation

/// YCSB's zipfian item chooser (Gray et al., "Quickly generating billion-record synthetic databases").
///
/// Item 0 is the most popular, item 1 the next, and so on, with probability proportional to
/// 1/(rank+1)^theta. The formulas are YCSB's `ZipfianGenerator` (`site.ycsb.generator`), so the same
/// parameters pick the same shares as YCSB does.
struct ZipfianGenerator: Sendable {
    /// YCSB's default skew.
    static let defaultTheta = 0.99

    let items: Int64
    let theta: Double
    let zetan: Double
    private let alpha: Double
    private let eta: Double
    private let halfPowTheta: Double

    /// Items `0..<items` with skew `theta`; `zetan` is zeta(items, theta) when already known, since summing
    /// it costs one `pow` per item.
    init(items: Int64, theta: Double = defaultTheta, zetan: Double? = nil) {
        precondition(items >= 1 && theta > 0 && theta < 1, "zipfian needs items ≥ 1 and 0 < theta < 1")
        self.items = items
        self.theta = theta
        let zetan = zetan ?? Self.zeta(items, theta: theta)
        self.zetan = zetan
        let zeta2theta = Self.zeta(2, theta: theta)
        alpha = 1 / (1 - theta)
        eta = (1 - pow(2 / Double(items), 1 - theta)) / (1 - zeta2theta / zetan)
        halfPowTheta = pow(0.5, theta)
    }

    /// The next item, from a uniform draw `u` in [0, 1).
    func item(forUniform u: Double) -> Int64 {
        let uz = u * zetan
        if uz < 1 { return 0 }
        if uz < 1 + halfPowTheta { return 1 }
        let item = Int64(Double(items) * pow(eta * u - eta + 1, alpha))
        return min(max(item, 0), items - 1)
    }

    /// The probability of the item of rank `rank` (0 the most popular).
    func probability(ofRank rank: Int64) -> Double {
        1 / pow(Double(rank + 1), theta) / zetan
    }

    static func zeta(_ n: Int64, theta: Double) -> Double {
        var sum = 0.0
        var i: Int64 = 1
        while i <= n {
            sum += 1 / pow(Double(i), theta)
            i += 1
        }
        return sum
    }
}

/// YCSB's `ScrambledZipfianGenerator`: zipfian popularity, with the popular items scattered over the key
/// space rather than bunched at its start.
///
/// As in YCSB, the underlying zipfian runs over ten billion items (its zeta precomputed) and each pick is
/// hashed with FNV-1a 64 into `0..<records`, so the skew does not depend on the record count and popular
/// keys do not share a neighbourhood. Only YCSB's theta 0.99 is offered: another would need zeta summed
/// over ten billion items.
struct ScrambledZipfianGenerator: Sendable {
    static let itemCount: Int64 = 10_000_000_000
    /// zeta(10^10, 0.99), YCSB's `ZETAN`.
    static let zetan = 26.46902820178302

    let records: Int64
    let zipfian: ZipfianGenerator

    init(records: Int) {
        precondition(records >= 1)
        self.records = Int64(records)
        // YCSB builds its zipfian on [0, ITEM_COUNT], ITEM_COUNT + 1 items.
        zipfian = ZipfianGenerator(items: Self.itemCount + 1, theta: 0.99, zetan: Self.zetan)
    }

    /// The next record number in `0..<records`.
    func next(using random: inout SplitMix64) -> Int64 {
        let item = zipfian.item(forUniform: random.nextUnit())
        return Int64(YCSBKey.fnv1a64(item) % UInt64(records))
    }
}

/// YCSB's record keys: `user` followed by the record number hashed with FNV-1a 64 (its default
/// `insertorder=hashed`), so consecutive records do not get consecutive keys.
enum YCSBKey {
    /// YCSB's `Utils.fnvhash64`: FNV-1a over the eight bytes of `value`, least significant first, made
    /// non-negative as Java's `Math.abs` does for every value but the smallest.
    static func fnv1a64(_ value: Int64) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        var rest = UInt64(bitPattern: value)
        for _ in 0..<8 {
            hash ^= rest & 0xFF
            rest >>= 8
            hash = hash &* 1_099_511_628_211
        }
        let signed = Int64(bitPattern: hash)
        return signed == .min ? UInt64(bitPattern: signed) : signed.magnitude
    }

    /// The key of record `record`: `user` and the decimal digits of its hash.
    static func name(_ record: Int64) -> String {
        "user\(fnv1a64(record))"
    }
}
