import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import StackLabLocal

/// One HTTP/1.1 reply, read to the end of the connection.
struct HTTPReply: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: String

    /// The first header with this name, case ignored.
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// A minimal client for the bytes on the wire: one request per connection (`Connection: close`), plain or over
/// TLS that trusts exactly the certificate given and checks it against 127.0.0.1.
enum HTTPExchange {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func send(
        port: Int, method: String = "GET", path: String, headers: [(String, String)] = [], body: String? = nil,
        trusting certificate: String? = nil, presenting identity: GatewayConfiguration.TLSFiles? = nil,
        timeout: TimeAmount = .seconds(10)
    ) async throws -> HTTPReply {
        var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        if let body { request += "Content-Length: \(body.utf8.count)\r\n" }
        request += "\r\n" + (body ?? "")

        var sslContext: NIOSSLContext?
        if let certificate {
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificate))
            configuration.certificateVerification = .fullVerification
            if let identity {
                // A client certificate, for a server that terminates mutual TLS.
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(identity.certificate).map {
                    .certificate($0)
                }
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: identity.key, format: .pem))
            }
            sslContext = try NIOSSLContext(configuration: configuration)
        }
        let group = MultiThreadedEventLoopGroup.singleton
        let promise = group.any().makePromise(of: ByteBuffer.self)
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelInitializer { [sslContext] channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        // No server name: the certificate is checked against the IP address, as a load run connects.
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: sslContext, serverHostname: nil))
                    }
                    try channel.pipeline.syncOperations.addHandler(Collector(promise: promise))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let timer = channel.eventLoop.scheduleTask(in: timeout) {
            promise.fail(Failure(description: "no complete reply within \(timeout)"))
            channel.close(promise: nil)
        }
        try await channel.writeAndFlush(ByteBuffer(string: request))
        let received = try await promise.futureResult.get()
        timer.cancel()
        return try parse(String(buffer: received))
    }

    static func parse(_ text: String) throws -> HTTPReply {
        guard let headEnd = text.range(of: "\r\n\r\n") else {
            throw Failure(description: "no complete response head in \(text.debugDescription)")
        }
        let lines = text[..<headEnd.lowerBound].components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw Failure(description: "bad status line \(lines[0].debugDescription)")
        }
        let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var body = String(text[headEnd.upperBound...])
        if headers.contains(where: { $0.name.lowercased() == "transfer-encoding" && $0.value.lowercased() == "chunked" }
        ) {
            body = dechunk(body)
        }
        return HTTPReply(status: status, headers: headers, body: body)
    }

    static func dechunk(_ text: String) -> String {
        var rest = Substring(text)
        var body = ""
        while let lineEnd = rest.range(of: "\r\n"), let size = Int(rest[..<lineEnd.lowerBound], radix: 16), size > 0 {
            let start = lineEnd.upperBound
            let bytes = Array(rest[start...].utf8)
            body += String(decoding: bytes.prefix(size), as: UTF8.self)
            rest = Substring(String(decoding: bytes.dropFirst(size + 2), as: UTF8.self))
        }
        return body
    }
}

/// Gathers every byte until the server closes the connection.
private final class Collector: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let promise: EventLoopPromise<ByteBuffer>
    private var received = ByteBuffer()

    init(promise: EventLoopPromise<ByteBuffer>) {
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        received.writeBuffer(&buffer)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.succeed(received)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A TLS close without close_notify still ends a complete Connection: close reply.
        if let sslError = error as? NIOSSLError, case .uncleanShutdown = sslError {
            return
        }
        promise.fail(error)
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension Collector: Sendable {}
