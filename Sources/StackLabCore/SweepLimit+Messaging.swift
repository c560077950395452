extension SweepLimit {
    /// The highest sustainable rate of a messaging sweep, as the OpenMessaging Benchmark's rate controller looks for
    /// it: the highest offered rate at and below which, in every repeat, the consumers kept up (each subscription
    /// received what its topic's producers published, so the backlog stayed bounded), nothing was lost, and the SLO
    /// held where there is one. Nil when no offered-rate trial ran a messaging workload.
    public init?(messaging trials: [TrialMeasurement]) {
        let messaging = trials.filter { $0.load.messaging != nil }
        self.init(messaging) { trial in
            trial.load.thresholds.allSatisfy(\.passed) && (trial.load.messaging.map(Self.keptUp) ?? false)
        }
    }

    /// The share of what was published that consumers must have received in the measured window to have kept up.
    public static let keptUpShare = 0.99

    /// Whether the consumers kept up: messages out at least ``keptUpShare`` of messages in times the
    /// subscriptions per topic, none lost and no consumer cut off.
    public static func keptUp(_ messaging: LoadResult.Messaging) -> Bool {
        let fanOut = Double(messaging.subscriptions.count) / Double(max(1, messaging.topics))
        return messaging.lost == 0 && messaging.subscriptions.allSatisfy { $0.disconnects == 0 }
            && messaging.messagesOutPerSecond >= keptUpShare * messaging.messagesInPerSecond * fanOut
    }
}
