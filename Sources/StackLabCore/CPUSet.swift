import Foundation

/// A set of CPU numbers, written as Linux and `taskset -c` write them: `0-3,6`.
public struct CPUSet: Sendable, Hashable, CustomStringConvertible, ExpressibleByArrayLiteral {
    /// The CPU numbers, ascending, without repeats.
    public let cpus: [Int]

    public init(_ cpus: some Sequence<Int>) {
        self.cpus = Array(Set(cpus)).sorted()
    }

    public init(arrayLiteral cpus: Int...) {
        self.init(cpus)
    }

    /// Parses a list such as `0-3,6` (the form of `Cpus_allowed_list` in /proc/PID/status).
    ///
    /// - Throws: `UserError` naming the part that is not a CPU number or range.
    public init(parsing list: String) throws {
        var cpus: [Int] = []
        for part in list.split(separator: ",") {
            let text = part.trimmingCharacters(in: .whitespacesAndNewlines)
            let bounds = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
            switch bounds.count {
            case 1 where bounds[0] != nil && bounds[0]! >= 0:
                cpus.append(bounds[0]!)
            case 2 where bounds[0] != nil && bounds[1] != nil && 0 <= bounds[0]! && bounds[0]! <= bounds[1]!:
                cpus += Array(bounds[0]!...bounds[1]!)
            default:
                throw UserError(
                    "\(MessageText.quoted(text)) in CPU list \(MessageText.quoted(list)) is not a CPU number or range; write it like 0-3,6"
                )
            }
        }
        self.init(cpus)
    }

    /// The CPUs this process may run on (its affinity, which `taskset` narrows); nil where
    /// /proc/self/status cannot be read.
    public static func allowed() -> CPUSet? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }),
            let cpus = try? CPUSet(parsing: String(line.dropFirst("Cpus_allowed_list:".count))), !cpus.isEmpty
        else { return nil }
        return cpus
    }

    public var count: Int { cpus.count }
    public var isEmpty: Bool { cpus.isEmpty }

    /// Ranges joined by commas, the form `taskset -c` accepts.
    public var description: String {
        var parts: [String] = []
        var index = 0
        while index < cpus.count {
            var end = index
            while end + 1 < cpus.count && cpus[end + 1] == cpus[end] + 1 { end += 1 }
            parts.append(end == index ? "\(cpus[index])" : "\(cpus[index])-\(cpus[end])")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }
}
