/// Envoy's TLS transport sockets as StackLab writes them, for every Envoy it renders (the gateway, the sidecar):
/// the context a listener serves (TLS, or mutual TLS against the run's authority) and the one a cluster opens,
/// each optionally matching the peer's SPIFFE identity (`MeshIdentity`) in its URI subject alternative name.
enum EnvoyTLSContext {
    /// A listener's transport socket: serves `certificate`; with `clientAuthority`, requires a client certificate
    /// that chains to it and, when `peers` are given, carries one of those SPIFFE IDs.
    static func downstream(
        serving certificate: GatewayConfiguration.TLSFiles, clientAuthority: String?, peers: [String] = [],
        alpn: [String], indent: Int
    ) -> String {
        var fields = clientAuthority == nil ? [] : ["require_client_certificate: true"]
        fields += ["common_tls_context:", "  alpn_protocols: \(list(alpn))"] + certificateLines(certificate)
        if let clientAuthority {
            fields += ["  validation_context:", "    trusted_ca: { filename: \"\(clientAuthority)\" }"]
            fields += sanMatchers("URI", peers)
        }
        return socket("DownstreamTlsContext", fields, indent: indent)
    }

    /// A cluster's transport socket: verifies the upstream against `upstream.authority`, for the SPIFFE ID
    /// `identity` when given, else for the name its server certificates carry (`localhost`, also sent as SNI);
    /// presents `upstream.client` for mutual TLS.
    static func upstream(
        _ upstream: GatewayConfiguration.UpstreamTLS, identity: String? = nil, alpn: [String], indent: Int
    ) -> String {
        let name = GatewayConfiguration.upstreamServerName
        let fields =
            [
                "sni: \(name)", "common_tls_context:", "  alpn_protocols: \(list(alpn))", "  validation_context:",
                "    trusted_ca: { filename: \"\(upstream.authority)\" }",
            ] + (identity.map { sanMatchers("URI", [$0]) } ?? sanMatchers("DNS", [name]))
            + (upstream.client.map(certificateLines) ?? [])
        return socket("UpstreamTlsContext", fields, indent: indent)
    }

    /// `match_typed_subject_alt_names` under a validation context: the peer's certificate must carry one of
    /// `values` as a subject alternative name of `type` (`URI`, `DNS`); none: no lines, any name passes.
    static func sanMatchers(_ type: String, _ values: [String]) -> [String] {
        guard !values.isEmpty else { return [] }
        return ["    match_typed_subject_alt_names:"]
            + values.flatMap { ["      - san_type: \(type)", "        matcher: { exact: \"\($0)\" }"] }
    }

    /// An Envoy TLS transport socket with `fields` under its typed config (`context` is DownstreamTlsContext or
    /// UpstreamTlsContext), every line indented by `indent` spaces.
    static func socket(_ context: String, _ fields: [String], indent: Int) -> String {
        let lines =
            [
                "transport_socket:", "  name: envoy.transport_sockets.tls", "  typed_config:",
                "    \"@type\": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.\(context)",
            ] + fields.map { "    " + $0 }
        let pad = String(repeating: " ", count: indent)
        return lines.map { pad + $0 + "\n" }.joined()
    }

    /// The `tls_certificates` of a common TLS context: the certificate Envoy presents.
    static func certificateLines(_ files: GatewayConfiguration.TLSFiles) -> [String] {
        [
            "  tls_certificates:", "    - certificate_chain: { filename: \"\(files.certificate)\" }",
            "      private_key: { filename: \"\(files.key)\" }",
        ]
    }

    /// `["h2", "http/1.1"]`.
    private static func list(_ protocols: [String]) -> String {
        "[" + protocols.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
    }
}
