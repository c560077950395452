import Foundation
import StackLabCore

extension ComponentRecipe {
    /// The error for a component whose program is missing, with the command that installs it.
    static func notInstalled(_ component: Component, _ source: ComponentSource) -> UserError {
        UserError(
            "component '\(component.name)': \(source.name) is not installed (\(source.program) not found, from "
                + "\(source.origin.description)); install it with: \(source.installCommand)")
    }

    /// Reads the `access_log` setting: off unless `true`.
    static func accessLogSetting(_ component: Component) throws -> Bool {
        guard let text = component.settings["access_log"] else { return false }
        switch text.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default:
            throw UserError("component '\(component.name)': access_log '\(text)' must be true or false")
        }
    }

    /// Plans a gateway: renders its configuration into `runDirectory/<name>/`, makes its certificate when it
    /// terminates TLS, and waits for readiness on a port of its own that the gateway answers itself.
    ///
    /// `configure` adds what the kind sets beyond the shared configuration, just before it is rendered.
    static func gatewayPlan(
        _ component: Component, renderer: any GatewayRenderer.Type, in context: LocalPlanContext,
        configure: (inout GatewayConfiguration) throws -> Void = { _ in }
    ) throws -> LocalComponentPlan {
        let (port, cpus, runDirectory, locator) = (context.port, context.cpus, context.runDirectory, context.locator)
        guard let upstream = context.upstream else {
            throw UserError(
                "component '\(component.name)': a \(component.kind.rawValue) gateway forwards to the next component "
                    + "of the stack, and it is last; put what it serves after it, e.g. [\(component.name), app]")
        }
        let upstreamPort = upstream.port
        let source = ComponentSource.of(component)
        guard let executable = locator.executable(for: source) else { throw notInstalled(component, source) }
        let keyType = try TLSCertificate.KeyType(setting: component.settings["tls_key"], component: component.name)
        let accessLog = try accessLogSetting(component)

        let directory = runDirectory.appendingPathComponent(component.name)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw UserError("cannot create \(directory.path): \(error.localizedDescription)")
        }
        var tls: GatewayConfiguration.TLSFiles?
        if component.tls, context.transports == nil {
            tls = try TLSCertificate.generate(
                in: directory.appendingPathComponent("tls"), keyType: keyType, commonName: "stacklab-\(component.name)")
        }
        var gateway = GatewayConfiguration(
            name: component.name, port: port, upstreamPort: upstreamPort, readyPort: try context.ports.next(),
            workers: GatewayConfiguration.workers(for: component, cpus: cpus), directory: directory.path,
            accessLog: accessLog ? directory.appendingPathComponent("access.log").path : nil, tls: tls)
        if let transports = context.transports {
            // A graph's hops say what it serves and what it opens upstream, with the run's authority.
            try gateway.applyTransports(
                of: component.name, in: transports.graph, authority: transports.authority, directory: directory,
                keyType: keyType)
        }
        gateway.runsAsRoot = geteuid() == 0
        try configure(&gateway)
        let files = renderer.configFiles(gateway)
        for file in files {
            let url = directory.appendingPathComponent(file.fileName)
            do {
                try file.text.write(to: url, atomically: true, encoding: .utf8)
            } catch {
                throw UserError("cannot write \(url.path): \(error.localizedDescription)")
            }
        }
        var environment = ProcessInfo.processInfo.environment
        environment.merge(renderer.environment(gateway)) { _, new in new }
        return LocalComponentPlan(
            component: component,
            command: LaunchCommand(
                name: component.name, executable: executable, arguments: renderer.arguments(gateway),
                environment: environment, workingDirectory: directory.path, cpus: cpus),
            readiness: .http(port: gateway.readyPort, path: GatewayConfiguration.readyPath), port: port,
            version: locator.version(of: source, executable: executable) ?? "unknown", configFiles: files,
            endpoints: [ComponentEndpoint(port: port, wireProtocol: .http, tls: gateway.tls != nil)]
                + (gateway.sidecar?.outbound ?? []).map { ComponentEndpoint(port: $0.listenPort, wireProtocol: .http) })
    }
}
