extension NodeProxyConfiguration {
    /// Envoy's configuration: the admin interface, the tunnel listener (when components on this node receive
    /// tunnels), one TCP listener per destination on another node, and their clusters.
    public var envoyYAML: String {
        var listeners: [String] = []
        var clusters: [String] = []
        if let passthroughPort {
            listeners += tcpListener(name: "passthrough", port: port, cluster: "next", tunnel: nil)
            clusters += cluster(name: "next", port: passthroughPort, http2: false, tls: nil)
        }
        if !arrivals.isEmpty, let mutualTLS {
            listeners += tunnelListener(mutualTLS)
            for arrival in arrivals {
                clusters += cluster(name: "arrival-\(arrival.name)", port: arrival.port, http2: false, tls: nil)
            }
        }
        var peers: Set<String> = []
        for destination in destinations {
            listeners += tcpListener(
                name: "to-\(destination.name)", port: destination.listenPort, cluster: "peer-\(destination.peer)",
                tunnel: Self.authority(of: destination.name))
            guard peers.insert(destination.peer).inserted else { continue }
            clusters += cluster(
                name: "peer-\(destination.peer)", port: destination.peerPort, http2: true,
                tls: mutualTLS.map(upstreamTLS))
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

    /// The tunnel listener: mutual TLS (a client certificate from the run's authority required), HTTP/2, CONNECT
    /// ended here and its bytes sent plain to the arrival its authority names.
    private func tunnelListener(_ mutualTLS: MutualTLS) -> [String] {
        var lines = [
            "- name: tunnel",
            "  address: \(Self.address(port))",
            "  filter_chains:",
            "    - filters:",
            "        - name: envoy.filters.network.http_connection_manager",
            "          typed_config:",
            "            \"@type\": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3"
                + ".HttpConnectionManager",
            "            stat_prefix: tunnel",
            "            codec_type: HTTP2",
            "            http2_protocol_options: { allow_connect: true }",
            "            upgrade_configs: [{ upgrade_type: CONNECT }]",
            "            route_config:",
            "              name: arrivals",
            "              virtual_hosts:",
        ]
        for arrival in arrivals {
            let authority = Self.authority(of: arrival.name)
            lines += [
                "                - name: \(arrival.name)",
                "                  domains: [\"\(authority)\"]",
                "                  routes:",
                "                    - match: { connect_matcher: {} }",
                "                      route:",
                "                        cluster: arrival-\(arrival.name)",
                "                        timeout: 0s",
                "                        upgrade_configs: [{ upgrade_type: CONNECT, connect_config: {} }]",
            ]
        }
        lines += [
            "            http_filters:",
            "              - name: envoy.filters.http.router",
            "                typed_config:",
            "                  \"@type\": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router",
        ]
        return lines
            + transportSocket("DownstreamTlsContext", ["require_client_certificate: true"], mutualTLS).map {
                "      " + $0
            }
    }

    /// The upstream side of a tunnel: verify the peer against the run's authority for the name its server
    /// certificate carries, present this proxy's certificate, speak HTTP/2.
    private func upstreamTLS(_ mutualTLS: MutualTLS) -> [String] {
        let name = GatewayConfiguration.upstreamServerName
        return transportSocket(
            "UpstreamTlsContext", ["sni: \(name)"], mutualTLS,
            validation: [
                "  match_typed_subject_alt_names:", "    - san_type: DNS", "      matcher: { exact: \(name) }",
            ])
    }

    /// An Envoy TLS transport socket (`context` DownstreamTlsContext or UpstreamTlsContext) with `fields`, HTTP/2 by
    /// ALPN, this proxy's certificate, and the run's authority to verify the other side, with `validation` below it.
    private func transportSocket(
        _ context: String, _ fields: [String], _ mutualTLS: MutualTLS, validation: [String] = []
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
                "        - certificate_chain: { filename: \"\(mutualTLS.certificate.certificate)\" }",
                "          private_key: { filename: \"\(mutualTLS.certificate.key)\" }",
                "      validation_context:",
                "        trusted_ca: { filename: \"\(mutualTLS.authority)\" }",
            ] + validation.map { "      " + $0 }
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
