import StackLabCore
import Testing

/// Counting a durability drill's deliveries against the confirmed messages.
struct MessageDurabilityTests {
    @Test func countsLostDuplicatedAndOutOfOrder() {
        let counted = MessageDurability.count(
            mode: "JetStream file storage", published: 6, confirmed: [1, 2, 3, 4, 5],
            deliveries: [1, 3, 2, 3, 6], restartSeconds: 0.2)
        #expect(counted.confirmed == 5)
        #expect(counted.delivered == 4)
        // 4 and 5 were confirmed and never delivered; 6 was delivered unconfirmed, which loses nothing.
        #expect(counted.lost == 2)
        #expect(counted.duplicated == 1)
        #expect(counted.outOfOrder == 1)
        #expect(!counted.passed)
    }

    @Test func aDrillThatLostAConfirmedMessageFails() {
        var drill = RecoveryDrill(variant: "v", component: "bus", kind: "nats", method: "kill -9")
        drill.durability = MessageDurability.count(
            mode: "core NATS (no storage)", published: 3, confirmed: [1, 2, 3], deliveries: [], restartSeconds: 0.1)
        #expect(!drill.passed)
        drill.durability = MessageDurability.count(
            mode: "JetStream file storage", published: 3, confirmed: [1, 2, 3], deliveries: [1, 2, 3],
            restartSeconds: 0.1)
        #expect(drill.passed)
    }
}
