import Foundation
import StackLabCore

/// A metrics backend's ingestion over a trial's measured window: its counters read when the window opens and
/// again when it closes (``IngestedSamples``), as a ``MetricsIngestion``.
///
/// A backend whose `/metrics` does not answer at either end leaves the trial without ingestion figures (its
/// report shows none) rather than with a guess; its failed scrapes and queries are counted elsewhere.
public struct IngestionWindow: Sendable {
    var kind: ComponentKind
    var port: Int
    var expectedPerSecond: Double?
    var opening: IngestedSamples

    /// Reads `plan`'s backend as the window opens; nil for a component that is not a metrics backend or whose
    /// metrics did not answer.
    public static func open(_ plan: LocalComponentPlan) -> IngestionWindow? {
        let kind = plan.component.kind
        guard IngestedSamples.counter(of: kind) != nil,
            let opening = try? IngestedSamples.read(kind: kind, port: plan.port, absentIsZero: true)
        else { return nil }
        return IngestionWindow(
            kind: kind, port: plan.port, expectedPerSecond: plan.expectedSamplesPerSecond, opening: opening)
    }

    /// Reads the backend again as the window closes: the samples ingested in between, and its totals now.
    public func close() -> MetricsIngestion? {
        guard let closing = try? IngestedSamples.read(kind: kind, port: port, absentIsZero: true) else { return nil }
        return MetricsIngestion(
            samples: max(0, closing.total - opening.total), samplesSinceStart: closing.total,
            activeSeries: closing.activeSeries, expectedPerSecond: expectedPerSecond)
    }
}

/// The metrics backends of a stack read at both ends of a trial's measured window on a serial queue of their own,
/// so that neither end waits on a backend's HTTP answer: a resource window is opened and closed on the load
/// engine's thread, where a wait would delay requests (and count in their latency).
///
/// Its state is touched only on `queue`, which orders the reads: the closing read follows the opening one.
public final class IngestionReads: @unchecked Sendable {
    private let plans: [LocalComponentPlan]
    private let queue = DispatchQueue(label: "stacklab.ingestion-reads")
    private var opened: [IngestionWindow?] = []
    private var closed: [MetricsIngestion?] = []

    /// Reads for the backends among `plans` (none when there are none).
    public init(_ plans: [LocalComponentPlan]) {
        self.plans = plans.contains { IngestedSamples.counter(of: $0.component.kind) != nil } ? plans : []
    }

    /// Reads the backends' counters as the window opens, in the background.
    public func open() {
        queue.async { self.opened = self.plans.map { IngestionWindow.open($0) } }
    }

    /// Reads them again as it closes, in the background, after the opening read.
    public func close() {
        queue.async { self.closed = self.opened.map { $0?.close() } }
    }

    /// Waits for both reads; what each of `count` components ingested, in stack order, nil where nothing was read
    /// (not a backend, no answer, or a window never closed).
    public func results(count: Int) -> [MetricsIngestion?] {
        queue.sync { closed.count == count ? closed : Array(repeating: nil, count: count) }
    }
}
