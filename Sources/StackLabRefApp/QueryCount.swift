/// The number of rows `/queries` and `/updates` work on, read from the `queries` parameter.
///
/// TechEmpower's rule: the count is clamped to 1...500, and a missing, empty, zero, negative or
/// non-numeric value means 1. A run of digits too long for `Int` is still a number, so it means 500.
public struct QueryCount: Sendable, Equatable {
    /// The counts a request can ask for.
    public static let allowed: ClosedRange<Int> = 1...500

    /// The clamped count, always within `allowed`.
    public var value: Int

    /// Reads the raw value of the `queries` parameter; nil when the request has none.
    public init(parameter: String?) {
        guard let parameter else {
            self.value = Self.allowed.lowerBound
            return
        }
        if let number = Int(parameter) {
            self.value = min(max(number, Self.allowed.lowerBound), Self.allowed.upperBound)
        } else if !parameter.isEmpty, parameter.allSatisfy({ $0.isASCII && $0.isNumber }) {
            self.value = Self.allowed.upperBound
        } else {
            self.value = Self.allowed.lowerBound
        }
    }
}
