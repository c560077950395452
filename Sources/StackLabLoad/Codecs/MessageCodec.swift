import NIOCore

/// A messaging protocol's producer codec: every request is a stamped publish (``StampedPublish``), which needs the
/// connection and due time it is sent for; a write without them is one for connection 0, due now.
protocol MessageCodec: WireCodec where Parser.Expectation == Void {}

extension MessageCodec {
    mutating func writeRequest(into out: inout ByteBuffer) -> (bytes: Int, expectation: Void) {
        writeRequest(into: &out, connection: 0, due: 0)
    }
}
