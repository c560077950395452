import StackLabCore

/// What a transport tells its core: a connection opened or failed, a reply came, a connection broke, time passed.
extension WorkerCore {
    /// `index` opened (after any greeting the protocol needs, such as Redis's `AUTH`).
    mutating func connected<T: WorkerTransport>(_ index: Int, now: Int64, via transport: T) {
        links[index].state = .ready
        links[index].everConnected = true
        if links[index].waiting {
            links[index].waiting = false
            let request = ring[index * depth + links[index].first]
            write(on: index, counts: request.counts, due: request.due, now: now, via: transport)
            return
        }
        for _ in 0..<depth where links[index].state == .ready {
            release(index, now: now, via: transport)
        }
    }

    /// `index` could not be opened (refused, timed out, a greeting refused): counted when in the window (or when
    /// a request waited for it), retried after ``connectBackoff``.
    mutating func connectFailed<T: WorkerTransport>(_ index: Int, now: Int64, via transport: T) {
        let counts = links[index].waiting ? ring[index * depth + links[index].first].counts : timeline.inWindow(now)
        closeLink(index, via: transport)
        if counts { countError(\.connect, now: now) }
        links[index].state = .backoff
        links[index].retryAt = now + Self.connectBackoff
    }

    /// Bytes read from the server; counted from the start of the measured window on.
    mutating func received(bytes: Int, now: Int64) {
        if now >= timeline.windowStart { tally.bytesReceived += bytes }
    }

    /// A reply came on `index`, for its oldest request in flight; `arrived` is when (the kernel's receive time
    /// where the transport has it). A reply to nothing puts the stream out of step: the connection is reopened.
    mutating func completed<T: WorkerTransport>(
        _ index: Int, outcome: ReplyOutcome, closeAfter: Bool, arrived: Int64, now: Int64, via transport: T
    ) {
        guard links[index].count > 0, !links[index].waiting else {
            if timeline.inWindow(now) { countError(\.read, now: now) }
            closeLink(index, via: transport)
            reopen(index, now: now, via: transport)
            return
        }
        let request = ring[index * depth + links[index].first]
        links[index].first = links[index].first + 1 == depth ? 0 : links[index].first + 1
        links[index].count -= 1
        tally.completedAll += 1
        if request.counts {
            let at = max(arrived, request.sent)
            let corrected = at - request.due
            tally.completed += 1
            tally.latency.recordNanoseconds(corrected)
            tally.serviceTime.recordNanoseconds(at - request.sent)
            tally.outcomes.count(outcome)
            seconds.record(latency: corrected, now: now)
            if let kind = outcome.errorClass { countError(kind, now: now) }
        } else if arrived >= timeline.windowStart && request.due < timeline.windowStart {
            tally.earlierReplies += 1
        }
        if closeAfter || !keepAlive {
            failInFlight(index, as: \.read, now: now)
            closeLink(index, via: transport)
            reopen(index, now: now, via: transport)
        } else {
            release(index, now: now, via: transport)
        }
    }

    /// The request in flight on `index` failed with an error of `kind` (a SQL transaction the server aborted):
    /// counted, not completed. The connection takes the next request, or is reopened when `broken`.
    mutating func failed<T: WorkerTransport>(
        _ index: Int, as kind: WritableKeyPath<LoadResult.ErrorCounts, Int>, broken: Bool, now: Int64, via transport: T
    ) {
        guard links[index].count > 0, !links[index].waiting else { return }
        let request = ring[index * depth + links[index].first]
        links[index].first = links[index].first + 1 == depth ? 0 : links[index].first + 1
        links[index].count -= 1
        if request.counts { countError(kind, now: now) }
        if broken {
            lost(index, now: now, via: transport)
        } else {
            release(index, now: now, via: transport)
        }
    }

    /// `index` broke (reset, closed by the server, an unreadable reply): every request in flight on it failed.
    mutating func lost<T: WorkerTransport>(_ index: Int, now: Int64, via transport: T) {
        failInFlight(index, as: \.read, now: now)
        closeLink(index, via: transport)
        reopen(index, now: now, via: transport)
    }

    /// Times out connections whose oldest request waited longer than the timeout (every request in flight on it
    /// is lost with it) and connections that would not open; retries connections after their back-off. The
    /// transport calls it every ``sweepEvery``.
    mutating func sweep<T: WorkerTransport>(now: Int64, via transport: T) {
        for index in links.indices {
            switch links[index].state {
            case .ready where links[index].count > 0:
                guard now - ring[index * depth + links[index].first].sent > timeout else { continue }
                failInFlight(index, as: \.timeout, now: now)
                closeLink(index, via: transport)
                reopen(index, now: now, via: transport)
            case .connecting where now - links[index].connectStarted > connectTimeout:
                connectFailed(index, now: now, via: transport)
            case .backoff where now >= links[index].retryAt:
                links[index].state = .closed
                reopen(index, now: now, via: transport)
            default:
                break
            }
        }
    }
}
