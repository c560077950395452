/// One row of the benchmark's `World` table, encoded as TechEmpower requires: `{"id":N,"randomNumber":M}`.
public struct World: Codable, Sendable, Equatable, Hashable {
    /// The table holds exactly these ids.
    public static let ids: ClosedRange<Int> = 1...10_000
    /// Every `randomNumber` is drawn from this range.
    public static let randomNumbers: ClosedRange<Int> = 1...10_000
    /// How many rows `WorldStore.prepare()` leaves in the table.
    public static var tableSize: Int { ids.count }

    public var id: Int
    public var randomNumber: Int

    public init(id: Int, randomNumber: Int) {
        self.id = id
        self.randomNumber = randomNumber
    }

    /// A uniformly random id of a row in the table.
    public static func randomID() -> Int {
        Int.random(in: ids)
    }

    /// A new random value for `randomNumber`; when `replacing` is given the result differs from it,
    /// so an update always changes the row (TechEmpower's verifier counts unchanged rows).
    public static func randomNumber(replacing old: Int? = nil) -> Int {
        while true {
            let number = Int.random(in: randomNumbers)
            if number != old { return number }
        }
    }

    /// `count` different random ids, in random order.
    ///
    /// `/updates` uses distinct ids so that each returned row is the row's final value: with a repeated
    /// id, the first copy in the answer would show a value the second write already replaced.
    public static func distinctRandomIDs(count: Int) -> [Int] {
        precondition(count >= 0 && count <= ids.count, "cannot pick \(count) distinct ids")
        var picked = Set<Int>(minimumCapacity: count)
        var order: [Int] = []
        order.reserveCapacity(count)
        while order.count < count {
            let id = randomID()
            if picked.insert(id).inserted { order.append(id) }
        }
        return order
    }
}
