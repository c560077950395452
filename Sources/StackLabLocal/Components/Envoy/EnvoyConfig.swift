/// Envoy as a reverse proxy: one listener, a static cluster with an HTTP/1.1 connection pool, `--concurrency`
/// workers, hot restart off (so several Envoys share a machine without `--base-id`).
///
/// Readiness is the admin interface's `/ready` on the ready port, which answers 200 once the server is live.
enum EnvoyConfig: GatewayRenderer {
    static func configFiles(_ gateway: GatewayConfiguration) -> [RenderedConfig] {
        let timeouts = gateway.timeouts
        var transportSocket = ""
        if let tls = gateway.tls {
            // Mutual TLS: a client without a certificate from the run's authority is refused in the handshake.
            let mutual = gateway.clientAuthority.map { authority in
                (
                    require: ["require_client_certificate: true"],
                    validation: ["  validation_context:", "    trusted_ca: { filename: \"\(authority)\" }"]
                )
            }
            transportSocket = tlsSocket(
                "DownstreamTlsContext",
                (mutual?.require ?? []) + ["common_tls_context:", "  alpn_protocols: [\"http/1.1\"]"]
                    + certificateLines(tls) + (mutual?.validation ?? []),
                indent: 10)
        }
        var upstreamSocket = ""
        if let tls = gateway.upstreamTLS {
            // Verify the upstream against the run's authority for the name its server certificates carry.
            let name = GatewayConfiguration.upstreamServerName
            upstreamSocket = tlsSocket(
                "UpstreamTlsContext",
                [
                    "sni: \(name)", "common_tls_context:", "  alpn_protocols: [\"http/1.1\"]", "  validation_context:",
                    "    trusted_ca: { filename: \"\(tls.authority)\" }", "    match_typed_subject_alt_names:",
                    "      - san_type: DNS", "        matcher: { exact: \(name) }",
                ] + (tls.client.map(certificateLines) ?? []),
                indent: 6)
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
        let text = """
            # Envoy reverse proxy for component \(gateway.name), written by StackLab.
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
                            codec_type: HTTP1
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
                              - name: envoy.filters.http.router
                                typed_config:
                                  "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
            \(transportSocket)\
              clusters:
                - name: upstream
                  type: STATIC
                  connect_timeout: \(timeouts.connectSeconds)s
                  # HTTP/1.1 upstream with a keep-alive pool: idle connections stay open this long.
                  typed_extension_protocol_options:
                    envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                      "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                      common_http_protocol_options: { idle_timeout: \(timeouts.idleSeconds)s }
                      explicit_http_config:
                        http_protocol_options: {}
                  load_assignment:
                    cluster_name: upstream
                    endpoints:
                      - lb_endpoints:
                          - endpoint: { address: \(upstreamAddress) }
            \(upstreamSocket)
            """
        return [RenderedConfig(fileName: "envoy.yaml", text: text)]
    }

    /// An Envoy TLS transport socket with `fields` under its typed config (`context` is DownstreamTlsContext or
    /// UpstreamTlsContext), every line indented by `indent` spaces.
    static func tlsSocket(_ context: String, _ fields: [String], indent: Int) -> String {
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

    static func arguments(_ gateway: GatewayConfiguration) -> [String] {
        [
            "-c", gateway.directory + "/envoy.yaml", "--concurrency", String(gateway.workers), "--disable-hot-restart",
            "--log-level", "warn",
        ]
    }
}
