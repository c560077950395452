import Foundation
import StackLabCore

/// Hands out free TCP ports on 127.0.0.1 for the components of one run, each port once.
///
/// Ports come from `preferred` (20000–32767), below the kernel's ephemeral range (32768–60999 on Debian),
/// so a server's listen port cannot collide with a port the kernel picks for an outgoing connection — the
/// load generator opens thousands of those. A port is handed out only if it binds at that moment. When no
/// preferred port is free, the kernel picks one (binding 127.0.0.1:0), and `isEphemeral(_:)` tells.
public final class PortAllocator: Sendable {
    public static let defaultRange = 20000...32767

    /// The ports this allocator may try, with the ephemeral range taken out.
    public let preferred: [ClosedRange<Int>]
    private let attempts: Int
    private let handedOut = Locked<Set<Int>>([])

    /// - Parameters:
    ///   - range: where to look first.
    ///   - attempts: random ports to try in `range` before asking the kernel.
    public init(range: ClosedRange<Int> = PortAllocator.defaultRange, attempts: Int = 200) {
        preferred = Self.subtract(Self.ephemeralRange(), from: range)
        self.attempts = attempts
    }

    /// Every port handed out so far.
    public var ports: Set<Int> { handedOut.withLock { $0 } }

    /// A port free on 127.0.0.1 now and not handed out before by this allocator.
    ///
    /// - Throws: `UserError` when neither the preferred range nor the kernel has a free port.
    public func next() throws -> Int {
        let total = preferred.reduce(0) { $0 + $1.count }
        if total > 0 {
            for _ in 0..<attempts {
                var offset = Int.random(in: 0..<total)
                let range = preferred.first { range in
                    if offset < range.count { return true }
                    offset -= range.count
                    return false
                }!
                let port = range.lowerBound + offset
                if claim(port) { return port }
            }
        }
        for _ in 0..<20 {
            if let port = LoopbackSocket.kernelChosenPort(), claim(port) { return port }
        }
        throw UserError(
            "no free TCP port on 127.0.0.1: \(attempts) tries in \(preferred.map { "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ",")) "
                + "and 20 from the kernel failed; stop servers left running (ss -ltnp shows them)")
    }

    /// Whether `port` lies in the kernel's ephemeral range, where a client connection could take it.
    public static func isEphemeral(_ port: Int) -> Bool {
        ephemeralRange().contains(port)
    }

    private func claim(_ port: Int) -> Bool {
        handedOut.withLock { ports in
            guard !ports.contains(port), LoopbackSocket.canBind(port: port) else { return false }
            ports.insert(port)
            return true
        }
    }

    /// The kernel's ephemeral port range (/proc/sys/net/ipv4/ip_local_port_range); Linux's default when
    /// unreadable.
    static func ephemeralRange() -> ClosedRange<Int> {
        if let text = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8) {
            let numbers = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).compactMap { Int($0) }
            if numbers.count == 2, numbers[0] <= numbers[1] { return numbers[0]...numbers[1] }
        }
        return 32768...60999
    }

    static func subtract(_ hole: ClosedRange<Int>, from range: ClosedRange<Int>) -> [ClosedRange<Int>] {
        var parts: [ClosedRange<Int>] = []
        if range.lowerBound < hole.lowerBound {
            parts.append(range.lowerBound...min(range.upperBound, hole.lowerBound - 1))
        }
        if range.upperBound > hole.upperBound {
            parts.append(max(range.lowerBound, hole.upperBound + 1)...range.upperBound)
        }
        return parts
    }
}
