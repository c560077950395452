/// One worker's view of a run's time: when traffic starts, the measured window, and its place in the schedule.
///
/// Worker `w` of `T` owns requests `w, w+T, w+2T…` of an open-loop schedule; a closed loop has none. Times
/// are uptime nanoseconds; `.max` stands for "not yet" (before ``begin(start:)``) and "never" (schedule over).
struct WorkerTimeline {
    let schedule: ArrivalSchedule?
    let workerIndex: Int
    let workerCount: Int
    private let warmupNanoseconds: Int64
    private let durationNanoseconds: Int64

    private(set) var start: Int64 = .max
    private(set) var windowStart: Int64 = .max
    private(set) var windowEnd: Int64 = .max
    /// The next request of this worker's share and when it is due.
    private(set) var nextIndex: Int
    private(set) var nextDue: Int64 = .max
    private var stageHint = 0

    init(options: LoadOptions, workerIndex: Int, workerCount: Int) {
        if case .openLoop(let schedule) = options.arrival {
            self.schedule = schedule
        } else {
            self.schedule = nil
        }
        self.workerIndex = workerIndex
        self.workerCount = workerCount
        self.warmupNanoseconds = options.warmupNanoseconds
        self.durationNanoseconds = options.durationNanoseconds
        self.nextIndex = workerIndex
    }

    /// Sets the run's times: traffic from `start`, the measured window after the warm-up.
    mutating func begin(start: Int64) {
        self.start = start
        windowStart = start + warmupNanoseconds
        windowEnd = windowStart + durationNanoseconds
    }

    /// Points at the first request due; called when traffic starts.
    mutating func startSchedule() {
        nextDue = dueTime(of: nextIndex)
    }

    /// Moves past the request just sent to the next of this worker's share.
    mutating func advance() {
        nextIndex += workerCount
        nextDue = dueTime(of: nextIndex)
    }

    private mutating func dueTime(of index: Int) -> Int64 {
        schedule?.dueOffset(of: index, stageHint: &stageHint).map { start + $0 } ?? .max
    }

    /// Whether `time` (a request's due time, or when an error happened) falls in the measured window.
    func inWindow(_ time: Int64) -> Bool {
        time >= windowStart && time < windowEnd
    }

    /// This worker's requests due in the measured window before `stopTime` that were never sent.
    func unsent(stopTime: Int64) -> Int {
        guard let schedule, nextDue != .max else { return 0 }
        return schedule.unsent(
            from: nextIndex, worker: workerIndex, of: workerCount, start: start, windowStart: windowStart,
            windowEnd: windowEnd, stopTime: stopTime)
    }
}
