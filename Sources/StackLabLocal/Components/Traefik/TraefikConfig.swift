/// Traefik as a reverse proxy: a static file (entry points, file provider) and a dynamic file (routers,
/// service, servers transport with the keep-alive pool). Traefik is a Go program: `GOMAXPROCS` sets its threads.
///
/// Readiness is a router to Traefik's own ping service on the ready port, in the dynamic file: it answers only
/// once the file provider's routes are loaded, which the ping entry point alone does not show.
enum TraefikConfig: GatewayRenderer {
    static func configFiles(_ gateway: GatewayConfiguration) -> [RenderedConfig] {
        let timeouts = gateway.timeouts
        let accessLog = gateway.accessLog.map { "accessLog:\n  filePath: \"\($0)\"\n" } ?? ""
        let staticText = """
            # Traefik static configuration for component \(gateway.name), written by StackLab.
            global:
              checkNewVersion: false
              sendAnonymousUsage: false
            entryPoints:
              web:
                address: "127.0.0.1:\(gateway.port)"
                transport:
                  respondingTimeouts:
                    readTimeout: \(timeouts.requestSeconds)s
                    writeTimeout: 0s
                    idleTimeout: \(timeouts.idleSeconds)s
              ready:
                address: "127.0.0.1:\(gateway.readyPort)"
            ping:
              manualRouting: true
            log:
              level: WARN
              noColor: true
            \(accessLog)\
            providers:
              file:
                filename: "\(gateway.directory)/dynamic.yml"
                watch: false

            """
        var tlsRouter = ""
        var tlsSection = ""
        if let tls = gateway.tls {
            tlsRouter = "      tls: {}\n"
            // Mutual TLS: the handshake fails for a client without a certificate from the run's authority.
            let clientAuth =
                gateway.clientAuthority.map {
                    "      clientAuth:\n        caFiles: [\"\($0)\"]\n        clientAuthType: RequireAndVerifyClientCert\n"
                } ?? ""
            tlsSection = """
                tls:
                  options:
                    default:
                      alpnProtocols: ["http/1.1"]
                \(clientAuth)\
                  stores:
                    default:
                      defaultCertificate:
                        certFile: "\(tls.certificate)"
                        keyFile: "\(tls.key)"

                """
        }
        var upstreamScheme = "http"
        var upstreamTLS = ""
        if let tls = gateway.upstreamTLS {
            upstreamScheme = "https"
            upstreamTLS = """
                      serverName: \(GatewayConfiguration.upstreamServerName)
                      rootCAs: ["\(tls.authority)"]

                """
            if let client = tls.client {
                upstreamTLS += """
                          certificates:
                            - certFile: "\(client.certificate)"
                              keyFile: "\(client.key)"

                    """
            }
        }
        let dynamicText = """
            # Traefik dynamic configuration for component \(gateway.name), written by StackLab.
            http:
              routers:
                proxy:
                  entryPoints: [web]
                  rule: "PathPrefix(`/`)"
                  service: upstream
            \(tlsRouter)\
                ready:
                  entryPoints: [ready]
                  rule: "Path(`\(GatewayConfiguration.readyPath)`)"
                  service: ping@internal
              services:
                upstream:
                  loadBalancer:
                    serversTransport: pool
                    servers:
                      - url: "\(upstreamScheme)://127.0.0.1:\(gateway.upstreamPort)"
              # Upstream keep-alive pool and the timeouts every gateway uses.
              serversTransports:
                pool:
                  maxIdleConnsPerHost: \(gateway.upstreamIdleConnections)
                  forwardingTimeouts:
                    dialTimeout: \(timeouts.connectSeconds)s
                    responseHeaderTimeout: \(timeouts.requestSeconds)s
                    idleConnTimeout: \(timeouts.idleSeconds)s
            \(upstreamTLS)\(tlsSection)
            """
        return [
            RenderedConfig(fileName: "traefik.yml", text: staticText),
            RenderedConfig(fileName: "dynamic.yml", text: dynamicText),
        ]
    }

    static func arguments(_ gateway: GatewayConfiguration) -> [String] {
        ["--configFile=\(gateway.directory)/traefik.yml"]
    }

    static func environment(_ gateway: GatewayConfiguration) -> [String: String] {
        ["GOMAXPROCS": String(gateway.workers)]
    }
}
