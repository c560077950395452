/// Caddy as a reverse proxy, from a Caddyfile: HTTP/1.1 only (no HTTP/3 listener beside the TCP one), the
/// admin API off, automatic HTTPS off (StackLab brings the certificate). Caddy is a Go program: `GOMAXPROCS`
/// sets its threads, and the XDG directories keep its state inside the run.
enum CaddyConfig: GatewayRenderer {
    static func configFiles(_ gateway: GatewayConfiguration) -> [RenderedConfig] {
        let timeouts = gateway.timeouts
        // A site address without a host matches any Host header; `bind` keeps it on loopback.
        let site = gateway.tls == nil ? "http://:\(gateway.port)" : "https://:\(gateway.port)"
        var tls = gateway.tls.map { "\ttls \($0.certificate) \($0.key)\n" } ?? ""
        if let files = gateway.tls, let authority = gateway.clientAuthority {
            // Mutual TLS: the handshake fails for a client without a certificate from the run's authority.
            tls = """
                \ttls \(files.certificate) \(files.key) {
                \t\tclient_auth {
                \t\t\tmode require_and_verify
                \t\t\ttrusted_ca_cert_file \(authority)
                \t\t}
                \t}

                """
        }
        // With client certificates Caddy refuses a request whose Host is not the TLS server name; a gateway in
        // front sends the client's Host (127.0.0.1:port) and the name `localhost`, and this is the only site.
        let strictSNI = gateway.tls != nil && gateway.clientAuthority != nil ? "\t\tstrict_sni_host insecure_off\n" : ""
        var upstreamTLS = ""
        if let files = gateway.upstreamTLS {
            upstreamTLS = """
                \t\t\ttls
                \t\t\ttls_trusted_ca_certs \(files.authority)
                \t\t\ttls_server_name \(GatewayConfiguration.upstreamServerName)

                """
            if let client = files.client {
                upstreamTLS += "\t\t\ttls_client_auth \(client.certificate) \(client.key)\n"
            }
        }
        let log = gateway.accessLog.map { "\tlog {\n\t\toutput file \($0)\n\t}\n" } ?? ""
        let text = """
            # Caddy reverse proxy for component \(gateway.name), written by StackLab.
            {
            \tadmin off
            \tauto_https off
            \tservers {
            \t\tprotocols h1
            \(strictSNI)\
            \t\ttimeouts {
            \t\t\tread_header \(timeouts.requestSeconds)s
            \t\t\tidle \(timeouts.idleSeconds)s
            \t\t}
            \t}
            }

            \(site) {
            \tbind 127.0.0.1
            \(tls)\(log)\
            \treverse_proxy 127.0.0.1:\(gateway.upstreamPort) {
            \t\ttransport http {
            \t\t\tdial_timeout \(timeouts.connectSeconds)s
            \t\t\tresponse_header_timeout \(timeouts.requestSeconds)s
            \t\t\tkeepalive \(timeouts.idleSeconds)s
            \t\t\tkeepalive_idle_conns \(gateway.upstreamIdleConnections)
            \t\t\tkeepalive_idle_conns_per_host \(gateway.upstreamIdleConnections)
            \(upstreamTLS)\
            \t\t}
            \t}
            }

            # Readiness, answered by Caddy itself.
            http://:\(gateway.readyPort) {
            \tbind 127.0.0.1
            \trespond \(GatewayConfiguration.readyPath) "ready" 200
            }

            """
        return [RenderedConfig(fileName: "Caddyfile", text: text)]
    }

    static func arguments(_ gateway: GatewayConfiguration) -> [String] {
        ["run", "--config", gateway.directory + "/Caddyfile", "--adapter", "caddyfile"]
    }

    static func environment(_ gateway: GatewayConfiguration) -> [String: String] {
        [
            "GOMAXPROCS": String(gateway.workers),
            "XDG_DATA_HOME": gateway.directory + "/xdg-data",
            "XDG_CONFIG_HOME": gateway.directory + "/xdg-config",
        ]
    }
}
