import Dispatch

/// Sleeping for cleanup code.
enum Pause {
    /// Sleeps for `duration` even in a cancelled task, where `Task.sleep` would return at once: stopping
    /// children must finish its grace period however the run ended.
    static func uncancellable(_ duration: Duration) async {
        let nanoseconds = max(
            0,
            Int(duration.components.seconds) * 1_000_000_000
                + Int(duration.components.attoseconds / 1_000_000_000))
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) {
                continuation.resume()
            }
        }
    }
}
