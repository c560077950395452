/// When each request of an open-loop run is due.
///
/// The rate is piecewise linear: each stage ramps from the rate at its start to the rate at its end, as
/// k6's ramping-arrival-rate does, and a constant rate is one flat stage. Request *i* is due at the
/// time the cumulative number of arrivals reaches *i*, so request 0 is due at the start and, at a
/// constant rate *N*, request *i* is due at *i/N*. Nothing is stored per request: the due time is
/// computed from the index, which keeps memory constant however long the run.
public struct ArrivalSchedule: Sendable, Equatable {
    public struct Stage: Sendable, Equatable {
        public var nanoseconds: Int64
        public var startRate: Double
        public var endRate: Double

        public init(nanoseconds: Int64, startRate: Double, endRate: Double) {
            self.nanoseconds = nanoseconds
            self.startRate = startRate
            self.endRate = endRate
        }

        /// Arrivals in the whole stage: the area under the rate.
        var arrivals: Double { (startRate + endRate) / 2 * Double(nanoseconds) / 1e9 }
    }

    public private(set) var stages: [Stage]
    /// Cumulative arrivals before each stage.
    private var arrivalsBefore: [Double]
    /// Start offset of each stage in nanoseconds.
    private var startOffsets: [Int64]

    public init(stages: [Stage]) {
        self.stages = stages
        var arrivals = 0.0
        var offset: Int64 = 0
        self.arrivalsBefore = []
        self.startOffsets = []
        for stage in stages {
            arrivalsBefore.append(arrivals)
            startOffsets.append(offset)
            arrivals += stage.arrivals
            offset += stage.nanoseconds
        }
        self.totalArrivals = arrivals
        self.totalNanoseconds = offset
    }

    /// A constant rate (requests per second) for `nanoseconds`.
    public static func constant(rate: Double, nanoseconds: Int64) -> ArrivalSchedule {
        ArrivalSchedule(stages: [Stage(nanoseconds: nanoseconds, startRate: rate, endRate: rate)])
    }

    /// Ramped stages `(duration, target rate)`, each linear from the previous stage's target; the first
    /// starts from `initialRate`.
    public static func ramp(_ steps: [(nanoseconds: Int64, rate: Double)], initialRate: Double = 0) -> ArrivalSchedule {
        var previous = initialRate
        var stages: [Stage] = []
        for step in steps {
            stages.append(Stage(nanoseconds: step.nanoseconds, startRate: previous, endRate: step.rate))
            previous = step.rate
        }
        return ArrivalSchedule(stages: stages)
    }

    public let totalNanoseconds: Int64
    public let totalArrivals: Double

    /// The number of requests due in the whole schedule.
    public var requestCount: Int { Int(totalArrivals.rounded(.up)) }

    /// Requests due before `offset` nanoseconds from the start (those with a due time `< offset`).
    public func requestsDue(before offset: Int64) -> Int {
        let arrivals = arrivals(at: offset)
        return Int(arrivals.rounded(.up))
    }

    /// Cumulative arrivals at `offset` nanoseconds from the start.
    public func arrivals(at offset: Int64) -> Double {
        guard offset > 0 else { return 0 }
        guard offset < totalNanoseconds else { return totalArrivals }
        var index = stages.count - 1
        while startOffsets[index] > offset { index -= 1 }
        let stage = stages[index]
        let t = Double(offset - startOffsets[index]) / 1e9
        let slope = (stage.endRate - stage.startRate) / (Double(stage.nanoseconds) / 1e9)
        return arrivalsBefore[index] + stage.startRate * t + slope * t * t / 2
    }

    /// The due offset, in nanoseconds from the start, of request `index`; nil past the end.
    ///
    /// `stageHint` remembers the stage of the previous call, so walking the indices in order costs
    /// nothing extra.
    public func dueOffset(of index: Int, stageHint: inout Int) -> Int64? {
        let target = Double(index)
        guard target < totalArrivals else { return nil }
        return offset(ofArrival: target, stageHint: &stageHint)
    }

    func offset(ofArrival target: Double, stageHint: inout Int) -> Int64 {
        var stageIndex = Swift.min(stageHint, stages.count - 1)
        while stageIndex > 0 && arrivalsBefore[stageIndex] > target { stageIndex -= 1 }
        while stageIndex + 1 < stages.count && arrivalsBefore[stageIndex + 1] <= target { stageIndex += 1 }
        // Skip stages that bring no arrival (a rate of 0 at both ends).
        while stageIndex + 1 < stages.count && stages[stageIndex].arrivals == 0 { stageIndex += 1 }
        stageHint = stageIndex
        let stage = stages[stageIndex]
        let within = target - arrivalsBefore[stageIndex]
        let seconds = Double(stage.nanoseconds) / 1e9
        let slope = (stage.endRate - stage.startRate) / seconds
        // Solve startRate·t + slope·t²/2 = within for t, in the form that stays exact when slope is 0.
        let root = (stage.startRate * stage.startRate + 2 * slope * within).squareRoot()
        let denominator = stage.startRate + root
        let t = denominator > 0 ? 2 * within / denominator : 0
        return startOffsets[stageIndex] + Swift.min(Int64(t * 1e9), stage.nanoseconds)
    }
}

extension ArrivalSchedule {
    /// How many of one worker's requests were due in the measured window before `stopTime` and never sent.
    ///
    /// Worker `workerIndex` of `workerCount` owns requests `workerIndex, workerIndex + workerCount, …`; those from
    /// `nextIndex` on were not sent. Times are uptime nanoseconds; `start` is when the schedule began.
    func unsent(
        from nextIndex: Int, worker workerIndex: Int, of workerCount: Int, start: Int64, windowStart: Int64,
        windowEnd: Int64, stopTime: Int64
    ) -> Int {
        let dueBeforeEnd = requestsDue(before: min(stopTime, windowEnd) - start)
        let from = max(nextIndex, requestsDue(before: windowStart - start))
        let firstOurs = from + ((workerIndex - from % workerCount) + workerCount) % workerCount
        guard dueBeforeEnd > firstOurs else { return 0 }
        return (dueBeforeEnd - firstOurs + workerCount - 1) / workerCount
    }
}
