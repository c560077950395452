import StackLabCore

extension NodeProxyConfiguration {
    /// Envoy's configuration: the admin interface, the tunnel listener (when components on this node receive
    /// tunnels), one TCP listener per route to another node, and their clusters.
    public var envoyYAML: String {
        var listeners: [String] = []
        var clusters: [String] = []
        if let passthroughPort {
            listeners += tcpListener(name: "passthrough", port: port, cluster: "next", tunnel: nil)
            clusters += cluster(name: "next", port: passthroughPort, http2: false, tls: nil)
        }
        if !arrivals.isEmpty, let authority {
            listeners += tunnelListener(authority)
            for arrival in arrivals {
                clusters += cluster(name: "arrival-\(arrival.name)", port: arrival.port, http2: false, tls: nil)
            }
        }
        for destination in destinations {
            let route = "\(destination.source)-to-\(destination.name)"
            listeners += tcpListener(
                name: route, port: destination.listenPort, cluster: route, tunnel: Self.authority(of: destination.name))
            clusters += cluster(
                name: route, port: destination.peerPort, http2: true,
                tls: authority.map { upstreamTLS(destination, authority: $0) })
        }
        let lines =
            [
                "# Envoy node proxy (ztunnel-like) for component \(name), written by StackLab.",
                "admin:",
                "  address: { socket_address: { address: 127.0.0.1, port_value: \(readyPort) } }",
                "static_resources:",
                "  listeners:" + (listeners.isEmpty ? " []" : ""),
            ] + listeners.map { "    " + $0 }
            + ["  clusters:" + (clusters.isEmpty ? " []" : "")] + clusters.map { "    " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func address(_ port: Int) -> String {
        "{ socket_address: { address: 127.0.0.1, port_value: \(port) } }"
    }

    /// A TCP listener to `cluster`; with `tunnel`, each connection rides an HTTP/2 CONNECT stream for that
    /// authority.
    private func tcpListener(name: String, port: Int, cluster: String, tunnel: String?) -> [String] {
        [
            "- name: \(name)",
            "  address: \(Self.address(port))",
            "  filter_chains:",
            "    - filters:",
            "        - name: envoy.filters.network.tcp_proxy",
            "          typed_config:",
            "            \"@type\": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy",
            "            stat_prefix: \(name)",
            "            cluster: \(cluster)",
        ] + (tunnel.map { ["            tunneling_config: { hostname: \"\($0)\" }"] } ?? [])
    }

    /// The tunnel listener: one filter chain per arrival, chosen by the SNI the sender names (the TLS inspector
    /// reads it), serving the arrival's certificate and requiring a client certificate from the run's authority
    /// with the identity of one of its senders; then the policy, if any, and HTTP/2 with CONNECT ended here and its
    /// bytes sent plain to the arrival. A connection for no arrival matches no chain and is closed.
    private func tunnelListener(_ authority: String) -> [String] {
        [
            "- name: tunnel",
            "  address: \(Self.address(port))",
            "  listener_filters:",
            "    - name: envoy.filters.listener.tls_inspector",
            "      typed_config:",
            "        \"@type\": type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector",
            "  filter_chains:",
        ] + arrivals.flatMap { arrivalChain($0, authority: authority) }
    }

    /// One arrival's filter chain of the tunnel listener.
    private func arrivalChain(_ arrival: Arrival, authority: String) -> [String] {
        let stat = "tunnel-\(arrival.name)"
        let rbac =
            policy.map {
                SidecarRBAC.networkFilter($0, stat: stat, indent: 8).split(separator: "\n").map(String.init)
            } ?? []
        return [
            "    - filter_chain_match: { server_names: [\"\(arrival.name)\"] }",
            "      filters:",
        ] + rbac + [
            "        - name: envoy.filters.network.http_connection_manager",
            "          typed_config:",
            "            \"@type\": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3"
                + ".HttpConnectionManager",
            "            stat_prefix: \(stat)",
            "            codec_type: HTTP2",
            "            http2_protocol_options: { allow_connect: true }",
            "            upgrade_configs: [{ upgrade_type: CONNECT }]",
            "            route_config:",
            "              name: \(arrival.name)",
            "              virtual_hosts:",
            "                - name: \(arrival.name)",
            "                  domains: [\"\(Self.authority(of: arrival.name))\"]",
            "                  routes:",
            "                    - match: { connect_matcher: {} }",
            "                      route:",
            "                        cluster: arrival-\(arrival.name)",
            "                        timeout: 0s",
            "                        upgrade_configs: [{ upgrade_type: CONNECT, connect_config: {} }]",
            "            http_filters:",
            "              - name: envoy.filters.http.router",
            "                typed_config:",
            "                  \"@type\": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router",
        ]
            + transportSocket(
                "DownstreamTlsContext", ["require_client_certificate: true"], certificate: arrival.certificate,
                authority: authority, validation: EnvoyTLSContext.sanMatchers("URI", arrival.peers)
            ).map { "      " + $0 }
    }

    /// The upstream side of a route's tunnel: name the destination by SNI, verify it presents the destination's
    /// SPIFFE ID from the run's authority, present the sender's certificate, speak HTTP/2.
    private func upstreamTLS(_ destination: Destination, authority: String) -> [String] {
        transportSocket(
            "UpstreamTlsContext", ["sni: \(destination.name)"], certificate: destination.sourceCertificate,
            authority: authority, validation: EnvoyTLSContext.sanMatchers("URI", [destination.identity]))
    }

    /// An Envoy TLS transport socket (`context` DownstreamTlsContext or UpstreamTlsContext) with `fields`, HTTP/2 by
    /// ALPN, `certificate`, and the run's authority to verify the other side, with `validation` below it (lines as
    /// ``EnvoyTLSContext/sanMatchers(_:_:)`` writes them).
    private func transportSocket(
        _ context: String, _ fields: [String], certificate: GatewayConfiguration.TLSFiles, authority: String,
        validation: [String]
    ) -> [String] {
        [
            "transport_socket:",
            "  name: envoy.transport_sockets.tls",
            "  typed_config:",
            "    \"@type\": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.\(context)",
        ] + fields.map { "    " + $0 }
            + [
                "    common_tls_context:",
                "      alpn_protocols: [\"h2\"]",
                "      tls_certificates:",
                "        - certificate_chain: { filename: \"\(certificate.certificate)\" }",
                "          private_key: { filename: \"\(certificate.key)\" }",
                "      validation_context:",
                "        trusted_ca: { filename: \"\(authority)\" }",
            ] + validation.map { "    " + $0 }
    }

    /// A static cluster of one loopback endpoint; HTTP/2 for a tunnel's peer, plain TCP otherwise.
    private func cluster(name: String, port: Int, http2: Bool, tls: [String]?) -> [String] {
        var lines = [
            "- name: \(name)",
            "  type: STATIC",
            "  connect_timeout: \(connectTimeoutSeconds)s",
        ]
        if http2 {
            lines += [
                "  typed_extension_protocol_options:",
                "    envoy.extensions.upstreams.http.v3.HttpProtocolOptions:",
                "      \"@type\": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                "      explicit_http_config:",
                "        http2_protocol_options: {}",
            ]
        }
        lines += [
            "  load_assignment:",
            "    cluster_name: \(name)",
            "    endpoints:",
            "      - lb_endpoints:",
            "          - endpoint: { address: \(Self.address(port)) }",
        ]
        return lines + (tls ?? []).map { "  " + $0 }
    }
}
