/// A feed that could not be read: reported, never fatal.
public struct FeedError: Error, Sendable, Equatable, CustomStringConvertible {
    public var source: String
    public var message: String

    public var description: String { "\(source): \(message)" }
}
