import Foundation

/// CPU and memory a component reserves (requests) and may not exceed (limits), as Kubernetes has them.
///
/// The spec's short form `{ cpu: 1, memory: 512Mi }` sets requests and limits alike.
public struct Resources: Sendable, Equatable, Codable {
    /// An amount of CPU and memory; either may be left unset.
    public struct Amounts: Sendable, Equatable, Codable {
        /// CPU in cores: 0.5 is `500m`.
        public var cpu: Double?
        /// Memory in bytes: `512Mi` is 536870912.
        public var memory: Int?

        public init(cpu: Double? = nil, memory: Int? = nil) {
            self.cpu = cpu
            self.memory = memory
        }

        /// Whether neither amount is set.
        public var isEmpty: Bool { cpu == nil && memory == nil }
    }

    public var requests: Amounts
    public var limits: Amounts

    public init(requests: Amounts = .init(), limits: Amounts = .init()) {
        self.requests = requests
        self.limits = limits
    }

    /// Requests and limits both set to `amounts`.
    public init(both amounts: Amounts) {
        self.init(requests: amounts, limits: amounts)
    }
}

extension Resources {
    /// Parses CPU as Kubernetes writes it: cores (`1`, `0.5`) or millicores (`500m`). `nil` if it is neither.
    public static func cores(parsing text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("m"), let millicores = Double(trimmed.dropLast()), millicores.isFinite {
            return millicores / 1_000
        }
        guard let cores = Double(trimmed), cores.isFinite else { return nil }
        return cores
    }

    /// Parses memory as Kubernetes writes it: `512Mi`, `1Gi`, `256M`, `1G`, `64k` or a byte count. `nil` if it is
    /// none of these or does not fit in an `Int`.
    public static func bytes(parsing text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let unitStart = trimmed.firstIndex(where: { !($0.isNumber || $0 == ".") }) ?? trimmed.endIndex
        guard let value = Double(trimmed[..<unitStart]), value.isFinite,
            let scale = memoryUnits[String(trimmed[unitStart...])]
        else { return nil }
        let bytes = (value * scale).rounded()
        guard bytes < 9e18 else { return nil }
        return Int(bytes)
    }

    /// Binary (`Ki`, `Mi`, …) and decimal (`k`, `M`, …) suffixes, as in Kubernetes quantities.
    private static let memoryUnits: [String: Double] = [
        "": 1, "Ki": 1_024, "Mi": 1_048_576, "Gi": 1_073_741_824, "Ti": 1_099_511_627_776,
        "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12,
    ]
}
