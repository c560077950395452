import Hummingbird

/// The body of `/bytes/N`: exactly N bytes of `x`, so a proxy's cost can be measured at the response size
/// Istio's latency method uses (1 KiB) rather than at `/json`'s 27 bytes.
enum SizedBody {
    /// The largest N the API serves: 1 MiB.
    static let maximum = 1_048_576

    /// N from the path segment: decimal digits only, 0 to ``maximum``; nil for anything else (a 404).
    static func count(_ segment: String?) -> Int? {
        guard let segment, !segment.isEmpty, segment.count <= 7, segment.utf8.allSatisfy({ (48...57).contains($0) }),
            let count = Int(segment), count <= maximum
        else { return nil }
        return count
    }

    /// The body, cut from one buffer made at start: the route measures the server and its proxies, not filling
    /// memory.
    static func bytes(_ count: Int) -> ByteBuffer {
        filled.getSlice(at: 0, length: count) ?? ByteBuffer()
    }

    private static let filled = ByteBuffer(repeating: UInt8(ascii: "x"), count: maximum)
}
