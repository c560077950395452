/// Finds whole protocol units (MQTT packets, AMQP frames) in a connection's byte stream, which may arrive cut
/// anywhere and with several units in one read; one value per connection.
protocol FrameParser {
    associatedtype Frame

    /// True between units.
    var isIdle: Bool { get }

    /// Parses from `offset` up to the end of the first complete unit: the bytes consumed and the unit, if one
    /// was completed.
    ///
    /// - Throws: `FramingError` for bytes that are no unit of the protocol.
    mutating func parse(
        _ bytes: UnsafeRawBufferPointer, from offset: Int
    ) throws(FramingError) -> (consumed: Int, frame: Frame?)
}

extension FrameParser {
    /// Parses every unit in `bytes`, for tests and for a blocking client reading whole answers; throws
    /// `FramingError`.
    mutating func parseAll(_ bytes: [UInt8]) throws -> [Frame] {
        var frames: [Frame] = []
        var offset = 0
        while offset < bytes.count {
            let step = try bytes.withUnsafeBytes { try parse($0, from: offset) }
            offset += step.consumed
            if let frame = step.frame { frames.append(frame) }
        }
        return frames
    }
}
