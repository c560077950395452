import Foundation
import StackLabRefApp
import Testing

struct WorldTests {
    @Test func encodesWithTechEmpowerKeys() throws {
        let data = try JSONEncoder().encode(World(id: 7, randomNumber: 42))
        let object = try JSONDecoder().decode([String: Int].self, from: data)
        #expect(object == ["id": 7, "randomNumber": 42])
    }

    @Test func distinctIDsAreDistinctAndInRange() {
        let ids = World.distinctRandomIDs(count: 500)
        #expect(ids.count == 500)
        #expect(Set(ids).count == 500)
        #expect(ids.allSatisfy { World.ids.contains($0) })
        #expect(World.distinctRandomIDs(count: 0).isEmpty)
    }

    @Test func newRandomNumberDiffersFromTheOld() {
        for old in [1, 5_000, 10_000] {
            for _ in 0..<200 {
                let number = World.randomNumber(replacing: old)
                #expect(number != old)
                #expect(World.randomNumbers.contains(number))
            }
        }
    }
}
