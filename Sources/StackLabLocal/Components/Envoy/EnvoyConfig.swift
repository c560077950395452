import StackLabCore

/// Envoy as a reverse proxy: one listener, a static cluster with an HTTP/1.1 connection pool, `--concurrency`
/// workers, hot restart off (so several Envoys share a machine without `--base-id`).
///
/// Readiness is the admin interface's `/ready` on the ready port, which answers 200 once the server is live.
enum EnvoyConfig: GatewayRenderer {
    static func configFiles(_ gateway: GatewayConfiguration) -> [RenderedConfig] {
        let timeouts = gateway.timeouts
        // A sidecar also speaks HTTP/2 to its peer sidecar, matches peers by identity and may authorize.
        let sidecar = gateway.sidecar
        var transportSocket = ""
        if let tls = gateway.tls {
            // Mutual TLS: a client without a certificate from the run's authority is refused in the handshake.
            transportSocket = EnvoyTLSContext.downstream(
                serving: tls, clientAuthority: gateway.clientAuthority, peers: sidecar?.peerIdentities ?? [],
                alpn: sidecar == nil ? ["http/1.1"] : ["h2", "http/1.1"], indent: 10)
        }
        let upstreamHTTP2 = sidecar?.upstreamHTTP2 ?? false
        var upstreamSocket = ""
        if let tls = gateway.upstreamTLS {
            upstreamSocket = EnvoyTLSContext.upstream(
                tls, identity: sidecar?.upstreamIdentity, alpn: [upstreamHTTP2 ? "h2" : "http/1.1"], indent: 6)
        }
        var accessLog = ""
        if let path = gateway.accessLog {
            accessLog = """
                                access_log:
                                  - name: envoy.access_loggers.file
                                    typed_config:
                                      "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
                                      path: "\(path)"

                """
        }
        let upstreamAddress = "{ socket_address: { address: 127.0.0.1, port_value: \(gateway.upstreamPort) } }"
        // Stats off: Envoy keeps none, as a mesh with its telemetry turned off.
        let stats = sidecar?.settings.stats == false ? "stats_config: { stats_matcher: { reject_all: true } }\n" : ""
        let authorization = sidecar?.policy.map { SidecarRBAC.filter($0, indent: 18) } ?? ""
        let ingress =
            sidecar?.tcp == true
            ? tcpFilters(
                gateway, stat: "ingress", cluster: "upstream", accessLog: gateway.accessLog, policy: sidecar?.policy)
            : httpFilters(gateway, accessLog: accessLog, authorization: authorization)
        // HTTP/1.1 keep-alive (or HTTP/2 between sidecars) to the component; none when it is carried as TCP.
        let protocolOptions =
            sidecar?.tcp == true
            ? ""
            : """
                  # A keep-alive pool upstream (HTTP/1.1, or HTTP/2 between sidecars): idle connections stay open this long.
                  typed_extension_protocol_options:
                    envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                      "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                      common_http_protocol_options: { idle_timeout: \(timeouts.idleSeconds)s }
                      explicit_http_config:
                        \(upstreamHTTP2 ? "http2_protocol_options: {}" : "http_protocol_options: {}")

            """
        let outbound = sidecar?.outbound ?? []
        let text = """
            # Envoy \(sidecar == nil ? "reverse proxy" : "sidecar") for component \(gateway.name), written by StackLab.
            \(stats)\
            admin:
              address: { socket_address: { address: 127.0.0.1, port_value: \(gateway.readyPort) } }
            static_resources:
              listeners:
                - name: ingress
                  address: { socket_address: { address: 127.0.0.1, port_value: \(gateway.port) } }
                  filter_chains:
                    - filters:
            \(ingress)\
            \(transportSocket)\
            \(outbound.map { outboundListener($0, gateway: gateway) }.joined())\
              clusters:
                - name: upstream
                  type: STATIC
                  connect_timeout: \(timeouts.connectSeconds)s
            \(protocolOptions)\
                  load_assignment:
                    cluster_name: upstream
                    endpoints:
                      - lb_endpoints:
                          - endpoint: { address: \(upstreamAddress) }
            \(upstreamSocket)\
            \(outbound.map { outboundCluster($0, gateway: gateway) }.joined())
            """
        return [RenderedConfig(fileName: "envoy.yaml", text: text)]
    }

    /// The ingress listener's HTTP connection manager: routes every request to the upstream cluster, through the
    /// sidecar's RBAC filter when it has a policy. Indented as an item of `filters`.
    private static func httpFilters(_ gateway: GatewayConfiguration, accessLog: String, authorization: String) -> String
    {
        let timeouts = gateway.timeouts
        return """
                        - name: envoy.filters.network.http_connection_manager
                          typed_config:
                            "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                            stat_prefix: ingress
                            codec_type: \(gateway.sidecar == nil ? "HTTP1" : "AUTO")
                            common_http_protocol_options: { idle_timeout: \(timeouts.idleSeconds)s }
                            request_headers_timeout: \(timeouts.requestSeconds)s
            \(accessLog)\
                            route_config:
                              name: upstream
                              virtual_hosts:
                                - name: all
                                  domains: ["*"]
                                  routes:
                                    - match: { prefix: "/" }
                                      route: { cluster: upstream, timeout: \(timeouts.requestSeconds)s }
                            http_filters:
            \(authorization)\
                              - name: envoy.filters.http.router
                                typed_config:
                                  "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router

            """
    }

    /// Envoy's TCP proxy to `cluster` (Istio's way with TCP), after the network RBAC filter when there is a
    /// `policy`; its connections are counted under `tcp.<stat>.` in Envoy's stats, and logged to `accessLog`.
    /// Indented as an item of `filters`.
    static func tcpFilters(
        _ gateway: GatewayConfiguration, stat: String, cluster: String, accessLog: String?, policy: SidecarPolicy?
    ) -> String {
        let log =
            accessLog.map {
                """
                                access_log:
                                  - name: envoy.access_loggers.file
                                    typed_config:
                                      "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
                                      path: "\($0)"

                """
            } ?? ""
        return (policy.map { SidecarRBAC.networkFilter($0, stat: stat, indent: 12) } ?? "") + """
                        - name: envoy.filters.network.tcp_proxy
                          typed_config:
                            "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                            stat_prefix: \(stat)
                            cluster: \(cluster)
                            idle_timeout: \(gateway.timeouts.idleSeconds)s
            \(log)
            """
    }

    /// An outbound listener (Istio's): the component connects to it plain, and its TCP proxy opens the hop to the
    /// target's cluster. Indented as an item of `listeners`.
    private static func outboundListener(_ hop: SidecarOptions.Outbound, gateway: GatewayConfiguration) -> String {
        let filters = tcpFilters(
            gateway, stat: "outbound-\(hop.target)", cluster: "outbound-\(hop.target)", accessLog: nil, policy: nil)
        return """
                - name: outbound-\(hop.target)
                  address: { socket_address: { address: 127.0.0.1, port_value: \(hop.listenPort) } }
                  filter_chains:
                    - filters:
            \(filters)
            """
    }

    /// The cluster of an outbound hop: the target's listener, over TLS or mutual TLS when the hop says so, checking
    /// the target's SPIFFE identity. Indented as an item of `clusters`.
    private static func outboundCluster(_ hop: SidecarOptions.Outbound, gateway: GatewayConfiguration) -> String {
        let socket = hop.tls.map { EnvoyTLSContext.upstream($0, identity: hop.identity, alpn: [], indent: 6) } ?? ""
        return """
                - name: outbound-\(hop.target)
                  type: STATIC
                  connect_timeout: \(gateway.timeouts.connectSeconds)s
                  load_assignment:
                    cluster_name: outbound-\(hop.target)
                    endpoints:
                      - lb_endpoints:
                          - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: \(hop.upstreamPort) } } }
            \(socket)
            """
    }

    static func arguments(_ gateway: GatewayConfiguration) -> [String] {
        [
            "-c", gateway.directory + "/envoy.yaml", "--concurrency", String(gateway.workers), "--disable-hot-restart",
            "--log-level", "warn",
        ]
    }
}
