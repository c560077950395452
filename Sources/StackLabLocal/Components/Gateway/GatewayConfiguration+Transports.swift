import Foundation
import StackLabCore

extension GatewayConfiguration {
    /// Sets both sides of gateway `name` from the transports of `graph`, with certificates from the run's
    /// `authority`: it serves TLS when what connects to it uses `tls` or `mtls` (and requires client certificates
    /// for `mtls`), and opens its upstream over TLS, verifying it against the authority, when its hop out says
    /// so (presenting a client certificate for `mtls`).
    ///
    /// Certificates are issued into `directory/tls` (the one it serves) and `directory/tls-client` (the one it
    /// presents), keys 0600, each carrying the gateway's mesh identity (`StackGraph.identity(of:)`) as a SPIFFE
    /// URI; a side whose transport is plain is left as it is.
    ///
    /// - Throws: `UserError` when openssl fails.
    public mutating func applyTransports(
        of name: String, in graph: StackGraph, authority: TLSCertificate.Authority, directory: URL,
        keyType: TLSCertificate.KeyType = .ecdsaP256
    ) throws {
        let inbound = graph.inboundTransport(of: name)
        let identity = graph.identity(of: name)
        if inbound.isEncrypted {
            tls = try TLSCertificate.issue(
                by: authority, in: directory.appendingPathComponent("tls"), name: name, server: true, client: false,
                identity: identity, keyType: keyType)
            clientAuthority = inbound == .mutualTLS ? authority.certificate : nil
        }
        // A gateway forwards to one component (the reader refuses more).
        guard let upstream = graph.upstreams(of: name).first, upstream.transport.isEncrypted else { return }
        var client: TLSFiles?
        if upstream.transport == .mutualTLS {
            client = try TLSCertificate.issue(
                by: authority, in: directory.appendingPathComponent("tls-client"), name: name, server: false,
                client: true, identity: identity, keyType: keyType)
        }
        upstreamTLS = UpstreamTLS(authority: authority.certificate, client: client)
    }
}
