extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// "1 s", "0.5 s", "250 ms": for messages.
    var text: String {
        let seconds = self.seconds
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        let rounded = (seconds * 10).rounded() / 10
        return rounded == rounded.rounded() ? "\(Int(rounded)) s" : "\(rounded) s"
    }
}
