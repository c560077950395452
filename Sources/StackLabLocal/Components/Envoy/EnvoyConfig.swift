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
                        - name: envoy.filters.network.http_connection_manager
                          typed_config:
                            "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                            stat_prefix: ingress
                            codec_type: \(sidecar == nil ? "HTTP1" : "AUTO")
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
            \(transportSocket)\
              clusters:
                - name: upstream
                  type: STATIC
                  connect_timeout: \(timeouts.connectSeconds)s
                  # A keep-alive pool upstream (HTTP/1.1, or HTTP/2 between sidecars): idle connections stay open this long.
                  typed_extension_protocol_options:
                    envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                      "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                      common_http_protocol_options: { idle_timeout: \(timeouts.idleSeconds)s }
                      explicit_http_config:
                        \(upstreamHTTP2 ? "http2_protocol_options: {}" : "http_protocol_options: {}")
                  load_assignment:
                    cluster_name: upstream
                    endpoints:
                      - lb_endpoints:
                          - endpoint: { address: \(upstreamAddress) }
            \(upstreamSocket)
            """
        return [RenderedConfig(fileName: "envoy.yaml", text: text)]
    }

    static func arguments(_ gateway: GatewayConfiguration) -> [String] {
        [
            "-c", gateway.directory + "/envoy.yaml", "--concurrency", String(gateway.workers), "--disable-hot-restart",
            "--log-level", "warn",
        ]
    }
}
