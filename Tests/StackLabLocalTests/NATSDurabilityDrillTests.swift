import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLocal

/// The durability drill with a real nats-server: publish with acknowledgements, kill -9 mid-run, restart on the
/// same store and port, consume everything back.
@Suite(.serialized, .enabled(if: NATSServer.isInstalled, "\(NATSServer.missing)"))
struct NATSDurabilityDrillTests {
    func drills(_ settings: [String: String]) async throws -> [RecoveryDrill] {
        try await RecipeStart.drills(Component(name: "bus", kind: .nats, settings: settings))
    }

    @Test func jetStreamFileStorageLosesNoConfirmedMessage() async throws {
        let drills = try await drills(["jetstream": "true", "durability": "true"])
        #expect(drills.map(\.method) == ["kill -9"])
        let drill = try #require(drills.first)
        #expect(drill.failure == nil, "\(drill.failure ?? "")")
        let durability = try #require(drill.durability)
        #expect(durability.mode == "JetStream file storage")
        #expect(durability.confirmed > 100, "the producer was confirmed \(durability.confirmed) messages")
        #expect(durability.lost == 0)
        #expect(durability.duplicated == 0 && durability.outOfOrder == 0)
        #expect(drill.passed)
    }

    @Test func coreNATSReportsItsConfirmedMessagesLost() async throws {
        let drills = try await drills(["durability": "true"])
        let drill = try #require(drills.first)
        #expect(drill.failure == nil, "\(drill.failure ?? "")")
        let durability = try #require(drill.durability)
        #expect(durability.mode == "core NATS (no storage)")
        #expect(durability.confirmed > 100)
        #expect(durability.lost == durability.confirmed)
        #expect(!drill.passed)
    }

    @Test func noDrillWithoutTheSetting() async throws {
        let drills = try await drills(["jetstream": "true"])
        #expect(drills.isEmpty)
    }
}
