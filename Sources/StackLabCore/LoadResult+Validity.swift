/// Whether a load result is a measurement at all: every request accounted for, and something served.
///
/// A run can be shaped so that its figures mean nothing while every error count is zero: a stack that fell so
/// far behind during the warm-up that no request due in the measured window was ever sent completes nothing,
/// yet bytes arrive (replies to the warm-up backlog). Such a trial is invalid, with the reason, and fails any SLO.
extension LoadResult {
    /// Why this result is not a measurement, in one sentence; nil when it is one.
    ///
    /// Checks, in order: the measured window ran; something completed; the requests the client sent add up
    /// (completed + failed + abandoned); the requests due add up (sent + never sent).
    public var invalidity: String? {
        if let invalid { return invalid }
        return Self.findInvalidity(self)
    }

    /// The check behind ``invalidity``, from the counts alone; the engine stores its answer in ``invalid``.
    public static func findInvalidity(_ result: LoadResult) -> String? {
        let requests = result.requests
        if result.measuredSeconds <= 0 {
            return "interrupted before the measured window: nothing was measured"
        }
        let failed = result.errors.failedAttempts
        if requests.completed == 0 {
            var reason = "nothing completed in the measured window"
            var parts: [String] = []
            if let due = requests.due { parts.append("\(grouped(due)) due") }
            if let attempted = requests.attempted { parts.append("\(grouped(attempted)) sent") }
            if requests.unsent > 0 { parts.append("\(grouped(requests.unsent)) never sent (no connection was free)") }
            if failed > 0 { parts.append("\(grouped(failed)) failed") }
            if let abandoned = requests.abandoned, abandoned > 0 {
                parts.append("\(grouped(abandoned)) unanswered at the end")
            }
            if !parts.isEmpty { reason += " (" + parts.joined(separator: ", ") + ")" }
            if let earlier = requests.earlierReplies, earlier > 0 {
                reason += "; the \(grouped(requests.bytesReceived)) bytes received were \(grouped(earlier)) replies "
                reason += "to requests due before it: the stack was still working off the warm-up"
            } else if requests.bytesReceived > 0 {
                reason += " although \(grouped(requests.bytesReceived)) bytes were received"
            }
            return reason
        }
        if let attempted = requests.attempted {
            // Failed attempts may also count connections that failed with no request on them, so the sum may
            // exceed what was sent; it may never fall short of it.
            let settled = requests.completed + failed + (requests.abandoned ?? 0)
            if settled < attempted {
                return "\(grouped(attempted - settled)) of \(grouped(attempted)) requests sent in the measured window "
                    + "were neither answered, nor counted as failed, nor left unanswered at the end"
            }
        }
        if let due = requests.due, let attempted = requests.attempted, result.arrival.targetRate != nil {
            let accounted = attempted + requests.unsent
            // The schedule's count of requests due in a window may differ by one per client thread at its edges.
            if abs(accounted - due) > result.target.threads + 1 {
                return
                    "the schedule made \(grouped(due)) requests due in the measured window, but \(grouped(attempted))"
                    + " were sent and \(grouped(requests.unsent)) never sent"
            }
        }
        return nil
    }

    private static func grouped(_ value: Int) -> String {
        var digits = String(value.magnitude)
        var index = digits.endIndex
        while digits.distance(from: digits.startIndex, to: index) > 3 {
            index = digits.index(index, offsetBy: -3)
            digits.insert(",", at: index)
        }
        return value < 0 ? "-" + digits : digits
    }
}
