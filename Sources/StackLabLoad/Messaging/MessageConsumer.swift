/// One consumer of a messaging run, whatever the broker (``NATSSubscriber``, ``MQTTSubscriber``): what the run
/// asks of it on its event loop once it is subscribed.
protocol MessageConsumer: AnyObject {
    /// What it received so far.
    var tally: SubscriptionTally { get }

    /// Sets the measured window (uptime nanoseconds): end-to-end latency and rates count messages intended in it.
    func setWindow(start: Int64, end: Int64)

    /// Closes the connection as the run ends.
    func stop()
}
