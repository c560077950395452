/// Upper bounds on what an experiment file or a flag may ask for, so that an absurd value is refused with one
/// line before anything starts, rather than trapping on an overflow or loading petabytes.
///
/// Each bound is far above what a run on one machine can use; `MachineLimits` adds what this machine allows.
public enum InputLimits {
    /// Durations (`duration`, `warmup`, `timeout`, a stage) at most one week.
    public static let durationNanoseconds: Int64 = 7 * 24 * 3_600 * 1_000_000_000
    /// Requests per second at most 100 million: ten times what the fastest load generators reach on one host.
    public static let rate: Double = 100_000_000
    /// Repeats of each variant.
    public static let repeats = 1_000
    /// Client threads of the load engine.
    public static let threads = 1_024
    /// A request's share of a mix; 10,000 still gives a resolution of 0.01%.
    public static let weight = 10_000
    /// CPU cores of a request or limit.
    public static let cores: Double = 4_096
    /// Memory of a request or limit: 1 PiB, so that sums over components stay far from overflowing.
    public static let memoryBytes = 1 << 50
    /// pgbench's scale factor: 100,000 is 10 billion accounts, about 1.5 TB.
    public static let scale = 100_000
    /// Rows of sysbench's table, and Redis records.
    public static let rows = 10_000_000_000
    /// Requests a Redis connection keeps in flight.
    public static let pipeline = 10_000
    /// Characters of a name (experiment, component, variant, workload): names become file names.
    public static let nameLength = 100
    /// Characters of a text value echoed whole in a message; longer ones are cut (`MessageText.quoted`).
    public static let echoedLength = 80
}
