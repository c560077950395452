import NIOCore

/// One wire protocol as a load worker speaks it: writes requests, reads replies. Any transport (epoll sockets,
/// SwiftNIO) drives any codec; the scheduling is ``WorkerCore``'s.
///
/// A codec is a value, one per worker (it may keep a cursor or a random generator); its ``Parser`` is one per
/// connection.
protocol WireCodec {
    associatedtype Parser: ReplyParser

    /// Appends the next request to `out`, a connection's bytes not yet written (often empty); returns the
    /// request's size and what its reply's parser must be told.
    mutating func writeRequest(into out: inout ByteBuffer) -> (bytes: Int, expectation: Parser.Expectation)

    /// As ``writeRequest(into:)``, told the connection it goes on and when it was due (uptime nanoseconds): a
    /// messaging codec numbers each producer's messages and stamps each with its intended send time.
    mutating func writeRequest(
        into out: inout ByteBuffer, connection: Int, due: Int64
    ) -> (bytes: Int, expectation: Parser.Expectation)

    /// A parser for a new connection.
    func makeParser() -> Parser

    /// Appends what a new connection sends before it takes requests (Redis's `AUTH`); false when there is none.
    /// The first reply answers it.
    func writeGreeting(into out: inout ByteBuffer) -> Bool
}

extension WireCodec {
    func writeGreeting(into out: inout ByteBuffer) -> Bool { false }

    mutating func writeRequest(
        into out: inout ByteBuffer, connection: Int, due: Int64
    ) -> (bytes: Int, expectation: Parser.Expectation) {
        writeRequest(into: &out)
    }
}

/// What a transport needs of a reply: its typed outcome and whether the server closes the connection after it.
struct ParsedReply: Equatable {
    var outcome: ReplyOutcome
    var closeAfter = false
}

/// Finds where each reply ends in a connection's byte stream, one value per connection, tested without a socket.
protocol ReplyParser {
    /// What the parser must know of the request a reply answers (HTTP: a HEAD has no body); `Void` when nothing.
    associatedtype Expectation

    mutating func expect(_ expectation: Expectation)

    /// Parses from `offset` up to the end of the first complete reply: how many bytes were consumed and the
    /// reply, if one was completed. Throws on bytes that are no reply.
    mutating func nextReply(
        _ bytes: UnsafeRawBufferPointer, from offset: Int
    ) throws -> (
        consumed: Int, reply: ParsedReply?
    )

    /// The server closed the connection: a reply delimited by the close, if one was being read.
    mutating func replyAtClose() throws -> ParsedReply?

    /// True between replies.
    var isIdle: Bool { get }

    /// Appends what the protocol answers the bytes read so far with, before any reply (MQTT's `PUBREL` to a
    /// `PUBREC`); nothing for most protocols.
    mutating func writeAnswers(into out: inout ByteBuffer)

    /// True when replies are complete that ``nextReply(_:from:)`` has not handed out yet: one AMQP `Basic.Ack`
    /// with its multiple flag confirms many publishes, one reply each, handed out without further bytes.
    var hasPendingReply: Bool { get }
}

extension ReplyParser {
    mutating func writeAnswers(into out: inout ByteBuffer) {}

    var hasPendingReply: Bool { false }
}

extension ReplyParser where Expectation == Void {
    mutating func expect(_ expectation: Void) {}
}
