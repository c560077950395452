import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

@testable import StackLabLoad
@testable import StackLabLocal

/// The durability drill with a real Mosquitto: a persistent QoS 1 session offline while QoS 1 messages are
/// published for it, kill -9 mid-run, restart on the same configuration, store directory and port, the session
/// taken back.
@Suite(.serialized)
struct MosquittoDurabilityDrillTests {
    static let installed = ExecutableLookup.find("mosquitto", includeSystemDirectories: true) != nil

    func drill(_ settings: [String: String]) async throws -> RecoveryDrill {
        try await RecipeStart.killDrill(Component(name: "mqtt", kind: .mosquitto, settings: settings))
    }

    /// Mosquitto acknowledges a QoS 1 message when it has it in memory and writes its store only at a stop and
    /// every autosave interval (30 minutes): a SIGKILL loses what it confirmed since, with persistence or without.
    @Test(
        .enabled(
            if: MosquittoDurabilityDrillTests.installed, "mosquitto is not installed (stacklab install mosquitto)"),
        arguments: [("true", "QoS 1, persistence on"), ("false", "QoS 1, no persistence")])
    func aKilledBrokerLosesTheConfirmedMessagesItHadNotSaved(persistence: String, mode: String) async throws {
        let drill = try await drill(["persistence": persistence, "durability": "true"])
        #expect(drill.failure == nil, "\(drill.failure ?? "")")
        let durability = try #require(drill.durability)
        #expect(durability.mode == mode)
        #expect(durability.confirmed > 100, "the producer was confirmed \(durability.confirmed) messages")
        #expect(durability.lost == durability.confirmed)
        #expect(!drill.passed)
    }

    /// The packets the drill writes by hand are the ones StackLabLoad's MQTT codec encodes.
    @Test func theDrillsPacketsAreMQTT() throws {
        #expect(
            MosquittoDrillConnection.connectPacket(clientID: "s", cleanSession: false)
                == MQTTPacket.connect(.init(clientID: "s", cleanSession: false)).encoded())
        #expect(
            MosquittoDrillConnection.subscribePacket("a/b", packetID: 1)
                == MQTTPacket.subscribe(packetID: 1, subscriptions: [.init(topicFilter: "a/b", qos: .atLeastOnce)])
                .encoded())
        // Past 127 bytes the remaining length takes two bytes.
        let payload = [UInt8](repeating: 7, count: 300)
        let publish = MosquittoDrillConnection.publishPacket(payload, to: "a/b", packetID: 513)
        #expect(
            publish
                == MQTTPacket.publish(.init(topic: "a/b", payload: payload, qos: .atLeastOnce, packetID: 513)).encoded()
        )
        let packet = MosquittoDrillConnection.Packet(head: publish[0], body: Array(publish[3...]))
        let message = try #require(MosquittoDrillConnection.message(in: packet))
        #expect(message.payload == payload && message.packetID == 513)
    }

    @Test func durabilityIsChecked() throws {
        let error = #expect(throws: UserError.self) {
            try MosquittoRecipe.configuration(
                Component(name: "m", kind: .mosquitto, settings: ["durability": "yes"]), port: 1,
                directory: makeRunDirectory(), asRoot: false)
        }
        #expect(error?.message == "component 'm': durability 'yes' is not true or false")
    }
}
