/// nginx as a reverse proxy: worker processes, an upstream block with a keep-alive pool, HTTP/1.1 upstream.
enum NginxConfig: GatewayRenderer {
    static func configFiles(_ gateway: GatewayConfiguration) -> [RenderedConfig] {
        let directory = gateway.directory
        let timeouts = gateway.timeouts
        var listen = "listen 127.0.0.1:\(gateway.port);"
        if let tls = gateway.tls {
            listen = """
                listen 127.0.0.1:\(gateway.port) ssl;
                        ssl_certificate \(tls.certificate);
                        ssl_certificate_key \(tls.key);
                        ssl_protocols TLSv1.2 TLSv1.3;
                """
            if let authority = gateway.clientAuthority {
                listen += """

                            ssl_client_certificate \(authority);
                            ssl_verify_client on;
                    """
            }
        }
        var upstreamScheme = "http"
        var upstreamTLS = ""
        if let tls = gateway.upstreamTLS {
            upstreamScheme = "https"
            upstreamTLS = """

                            proxy_ssl_verify on;
                            proxy_ssl_trusted_certificate \(tls.authority);
                            proxy_ssl_name \(GatewayConfiguration.upstreamServerName);
                            proxy_ssl_server_name on;
                            proxy_ssl_protocols TLSv1.2 TLSv1.3;
                """
            if let client = tls.client {
                upstreamTLS += """

                                proxy_ssl_certificate \(client.certificate);
                                proxy_ssl_certificate_key \(client.key);
                    """
            }
        }
        let accessLog = gateway.accessLog.map { "access_log \($0);" } ?? "access_log off;"
        let text = """
            # nginx reverse proxy for component \(gateway.name), written by StackLab.
            \(gateway.runsAsRoot ? "user root;\n" : "")\
            worker_processes \(gateway.workers);
            daemon off;
            master_process on;
            pid \(directory)/nginx.pid;
            error_log stderr warn;

            events {
                worker_connections 8192;
            }

            http {
                \(accessLog)
                client_body_temp_path \(directory)/client_body;
                proxy_temp_path \(directory)/proxy;
                fastcgi_temp_path \(directory)/fastcgi;
                uwsgi_temp_path \(directory)/uwsgi;
                scgi_temp_path \(directory)/scgi;

                # Client side: the same timeouts as every gateway, and no cap on requests per connection.
                keepalive_timeout \(timeouts.idleSeconds)s;
                keepalive_requests 1000000;
                client_header_timeout \(timeouts.requestSeconds)s;
                client_body_timeout \(timeouts.requestSeconds)s;
                send_timeout \(timeouts.requestSeconds)s;

                # Upstream keep-alive pool (needs HTTP/1.1 and an empty Connection header below).
                upstream upstream {
                    server 127.0.0.1:\(gateway.upstreamPort);
                    keepalive \(gateway.upstreamIdleConnections);
                    keepalive_timeout \(timeouts.idleSeconds)s;
                    keepalive_requests 1000000;
                }

                server {
                    \(listen)
                    location / {
                        proxy_pass \(upstreamScheme)://upstream;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header Host $http_host;
                        proxy_connect_timeout \(timeouts.connectSeconds)s;
                        proxy_send_timeout \(timeouts.requestSeconds)s;
                        proxy_read_timeout \(timeouts.requestSeconds)s;\(upstreamTLS)
                    }
                }

                # Readiness, answered by nginx itself.
                server {
                    listen 127.0.0.1:\(gateway.readyPort);
                    location = \(GatewayConfiguration.readyPath) {
                        default_type text/plain;
                        return 200 "ready\\n";
                    }
                }
            }

            """
        return [RenderedConfig(fileName: "nginx.conf", text: text)]
    }

    static func arguments(_ gateway: GatewayConfiguration) -> [String] {
        ["-p", gateway.directory + "/", "-c", gateway.directory + "/nginx.conf", "-e", "stderr"]
    }
}
