import Foundation
import Histogram
import StackLabCore

/// The files `stacklab load` writes: JSON, the HdrHistogram percentile distribution, the series as CSV.
public enum LoadFiles {
    public static func json(_ result: LoadResult) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(result)
    }

    /// The percentile distribution in HdrHistogram's text format, values in milliseconds, as its plotter
    /// and wrk2 `--latency` print it.
    public static func hgrm(_ histogram: LatencyHistogram) -> String {
        var text = ""
        histogram.outputPercentileDistribution(to: &text, outputValueUnitScalingRatio: 1_000)
        return text
    }

    /// The per-second series: one row per second of the measured window, latencies in microseconds.
    public static func seriesCSV(_ result: LoadResult) -> String {
        var text = "second,requests,rate,p50_us,p99_us,errors\n"
        for sample in result.series {
            text += "\(sample.second),\(sample.requests),\(sample.requests),"
            text += "\(Int(sample.p50)),\(Int(sample.p99)),\(sample.errors)\n"
        }
        return text
    }

    /// Writes `contents` to `path` as `OutputFile.write` does: a device or FIFO in place, a symlink's target, a
    /// regular file by atomic rename; a clear error when it cannot.
    public static func write(_ contents: Data, to path: String) throws {
        try OutputFile.write(contents, to: path)
    }
}
