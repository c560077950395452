import Foundation
import StackLabCore

extension TrafficTrace {
    /// Seconds: a simulation steps through every second, so a trace is at most 31 days.
    public static let longest = 31 * 86_400

    /// A trace from CSV text of `time_seconds,rate` rows (a header row of those names is allowed, `#` starts a
    /// comment), times rising from 0, rates at or above 0.
    ///
    /// - Throws: `SpecError` naming the file, the line and the column of each bad cell.
    public init(csv text: String, file: String) throws {
        var points: [(second: Double, rate: Double)] = []
        var problems: [SpecProblem] = []
        var previous: Double?
        var lastLine = 1
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = index + 1
            let row = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if row.isEmpty || row.hasPrefix("#") { continue }
            let cells = row.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            if previous == nil, problems.isEmpty, cells.first?.lowercased() == "time_seconds" { continue }
            guard cells.count == 2 else {
                problems.append(
                    .init(line: line, keyPath: "", message: "expected time_seconds,rate, found \(cells.count) columns"))
                continue
            }
            let found = problems.count
            lastLine = line
            let second = Double(cells[0]).flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
            let rate = Double(cells[1]).flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
            if let second {
                if second > Double(TrafficTrace.longest) {
                    problems.append(
                        .init(
                            line: line, keyPath: "time_seconds",
                            message: "\(cells[0]) is past the longest trace, \(TrafficTrace.longest) s (31 days)"))
                } else if let previous, second < previous {
                    problems.append(
                        .init(line: line, keyPath: "time_seconds", message: "\(cells[0]) is before the row above"))
                }
                previous = second
            } else {
                problems.append(
                    .init(line: line, keyPath: "time_seconds", message: "'\(cells[0])' is not a time in seconds ≥ 0"))
            }
            if rate == nil {
                problems.append(.init(line: line, keyPath: "rate", message: "'\(cells[1])' is not a rate ≥ 0"))
            }
            if let second, let rate, problems.count == found { points.append((second, rate)) }
        }
        if problems.isEmpty && points.count < 2 {
            problems.append(
                .init(line: 1, keyPath: "", message: "a trace needs at least two rows of time_seconds,rate"))
        } else if problems.isEmpty, let last = points.last, last.second < 60 {
            problems.append(
                .init(
                    line: lastLine, keyPath: "time_seconds",
                    message: "a trace lasts at least 60 s; this one ends at \(last.second) s"))
        }
        guard problems.isEmpty else { throw SpecError(file: file, problems: problems) }
        let name = URL(fileURLWithPath: file).lastPathComponent
        self.init(name: name, length: Int(points.last!.second.rounded(.up)), points: points)
    }
}
