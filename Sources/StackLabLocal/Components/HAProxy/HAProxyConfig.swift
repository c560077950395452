/// HAProxy as a reverse proxy: one process with `nbthread` threads, idle upstream connections reused.
///
/// HAProxy cannot write a log file itself; with `access_log: true` it logs each request to its standard
/// output, which the supervisor keeps as `<name>.out.log`.
enum HAProxyConfig: GatewayRenderer {
    static func configFiles(_ gateway: GatewayConfiguration) -> [RenderedConfig] {
        let timeouts = gateway.timeouts
        let logging = gateway.accessLog != nil
        var bind =
            gateway.tls.map { "bind 127.0.0.1:\(gateway.port) ssl crt \($0.bundle) alpn http/1.1" }
            ?? "bind 127.0.0.1:\(gateway.port)"
        if gateway.tls != nil, let authority = gateway.clientAuthority {
            // Mutual TLS: the handshake fails for a client without a certificate from the run's authority.
            bind += " ca-file \(authority) verify required"
        }
        var upstreamTLS = ""
        if let tls = gateway.upstreamTLS {
            let name = GatewayConfiguration.upstreamServerName
            upstreamTLS =
                " ssl verify required ca-file \(tls.authority) verifyhost \(name) sni str(\(name)) alpn http/1.1"
                + (tls.client.map { " crt \($0.bundle)" } ?? "")
        }
        let text = """
            # HAProxy reverse proxy for component \(gateway.name), written by StackLab.
            global
                nbthread \(gateway.workers)
            \(logging ? "    log stdout format raw local0\n" : "")
            defaults
                mode http
            \(logging ? "    log global\n    option httplog\n" : "    no log\n")\
                option http-keep-alive
                # No retries (HAProxy's default is 3, a second apart), as the other gateways do not retry either.
                retries 0
                timeout connect \(timeouts.connectSeconds)s
                timeout client \(timeouts.requestSeconds)s
                timeout http-request \(timeouts.requestSeconds)s
                timeout server \(timeouts.requestSeconds)s
                timeout http-keep-alive \(timeouts.idleSeconds)s

            # Readiness, answered by HAProxy itself.
            frontend ready
                bind 127.0.0.1:\(gateway.readyPort)
                monitor-uri \(GatewayConfiguration.readyPath)

            frontend proxy
                \(bind)
                default_backend upstream

            # Idle upstream connections are kept and reused by any request (keep-alive pool).
            backend upstream
                http-reuse always
                server upstream 127.0.0.1:\(gateway.upstreamPort) pool-max-conn \(gateway.upstreamIdleConnections) \
            pool-purge-delay \(timeouts.idleSeconds)s\(upstreamTLS)

            """
        return [RenderedConfig(fileName: "haproxy.cfg", text: text)]
    }

    static func arguments(_ gateway: GatewayConfiguration) -> [String] {
        // -db: stay in the foreground, one process, so the supervisor's group holds all of it.
        ["-db", "-f", gateway.directory + "/haproxy.cfg"]
    }
}
