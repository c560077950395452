import Yams

extension SpecReader {
    static let componentKeys = ["kind", "runtime", "tls", "settings", "resources", "policy"]

    /// `components:`, a mapping from names to components, in the file's order.
    mutating func components(_ node: Node, _ keyPath: String) -> [Component]? {
        guard let fields = fields(node, keyPath, allowed: nil, expected: "a mapping of component names to components")
        else { return nil }
        if fields.isEmpty {
            report(node, keyPath, "no components; define at least one, e.g. app: { kind: app, runtime: swift }")
            return nil
        }
        var components: [Component] = []
        var complete = true
        for name in fields.keys {
            let path = fields.path(name)
            if checkName(name, fields.keyNode(name) ?? node, path),
                let component = component(fields[name]!, path, name: name, identities: fields.keys)
            {
                components.append(component)
            } else {
                complete = false
            }
        }
        return complete ? components : nil
    }

    /// One component; `identities` are the names a sidecar's policy may allow (every component's).
    mutating func component(_ node: Node, _ keyPath: String, name: String, identities: [String]) -> Component? {
        guard
            let fields = fields(
                node, keyPath, allowed: Self.componentKeys, expected: "a component, e.g. { kind: nginx }")
        else { return nil }
        let kind = required(fields, "kind", example: "e.g. kind: nginx").flatMap {
            scalarText($0).flatMap { ComponentKind.spellings[$0] }
                ?? choice($0, fields.path("kind"), of: ComponentKind.self, what: "kind")
        }
        var runtime: AppRuntime?
        if let node = fields["runtime"] {
            runtime = choice(node, fields.path("runtime"), of: AppRuntime.self, what: "runtime")
            if let kind, kind != .app {
                report(fields.keyNode("runtime"), fields.path("runtime"), "only a component of kind app has a runtime")
            }
        } else if kind == .app {
            let runtimes = AppRuntime.allCases.map(\.rawValue).joined(separator: ", ")
            report(node, fields.path("runtime"), "required key is missing; kind app needs a runtime: \(runtimes)")
        }
        let tls = fields["tls"].map { bool($0, fields.path("tls")) } ?? false
        let settings = fields["settings"].map { self.settings($0, fields.path("settings")) } ?? [:]
        let resources = fields["resources"].flatMap { self.resources($0, fields.path("resources")) }
        var policy: SidecarPolicy?
        var policyRead = true
        if kind == .sidecar {
            if let settings, let settingsNode = fields["settings"] {
                checkSidecarSettings(settings, settingsNode, fields.path("settings"))
            }
            if let node = fields["policy"] {
                policy = sidecarPolicy(node, fields.path("policy"), identities: identities)
                policyRead = policy != nil
            }
        } else if kind == .nodeProxy, let node = fields["policy"] {
            policy = sidecarPolicy(node, fields.path("policy"), identities: identities)
            if let read = policy, read.allow.contains(where: { !$0.paths.isEmpty || !$0.methods.isEmpty }) {
                report(
                    node, fields.path("policy"),
                    "a node proxy's policy is L4, as ztunnel's: it allows by identity (from) only; paths and methods "
                        + "need a sidecar")
                policy = nil
            }
            policyRead = policy != nil
        } else if fields["policy"] != nil, kind != nil {
            report(
                fields.keyNode("policy"), fields.path("policy"),
                "only a component of kind sidecar or node-proxy has a policy (Envoy's RBAC filter in front of what it "
                    + "carries)")
        }
        if kind == .prometheus || kind == .victoriaMetrics, let kind, let settings,
            let settingsNode = fields["settings"]
        {
            let problems = MetricsBackendSettings.read(settings, kind: kind).problems.map {
                (key: $0.key, message: $0.message)
            }
            reportSettings(problems, known: MetricsBackendSettings.keys, settingsNode, fields.path("settings"))
        }
        guard let kind, let tls, let settings, policyRead, kind != .app || runtime != nil else { return nil }
        let component = Component(
            name: name, kind: kind, runtime: runtime, tls: tls, settings: settings, resources: resources,
            policy: policy)
        if kind == .app, let settingsNode = fields["settings"] {
            checkAppDelay(component, settingsNode: settingsNode, SpecReader.path(fields.path("settings"), "delay"))
        }
        return component
    }

    /// One of an enumeration's raw values, with the nearest as a hint when the text is none of them.
    mutating func choice<Choice: RawRepresentable & CaseIterable>(
        _ node: Node, _ keyPath: String, of type: Choice.Type, what: String
    ) -> Choice? where Choice.RawValue == String {
        guard let text = text(node, keyPath) else { return nil }
        if let value = Choice(rawValue: text) { return value }
        let known = Choice.allCases.map(\.rawValue)
        let hint =
            NameSuggestion.nearest(to: text, among: known).map { "did you mean '\($0)'?" }
            ?? "known \(what)s: " + known.joined(separator: ", ")
        report(node, keyPath, "unknown \(what) \(MessageText.quoted(text)); \(hint)")
        return nil
    }

    /// `settings:`, free keys to scalar values, every value kept as the text written.
    mutating func settings(_ node: Node, _ keyPath: String) -> [String: String]? {
        guard let fields = fields(node, keyPath, allowed: nil, expected: "a mapping of settings, e.g. { db: sqlite }")
        else { return nil }
        var settings: [String: String] = [:]
        var complete = true
        for key in fields.keys {
            guard let value = fields[key], let text = scalarText(value) else {
                report(fields[key], fields.path(key), "expected a text or a number, found \(Self.found(fields[key]!))")
                complete = false
                continue
            }
            settings[key] = text
        }
        return complete ? settings : nil
    }

    /// `resources:`, either `{ cpu, memory }` for requests and limits alike, or `{ requests: {…}, limits: {…} }`.
    ///
    /// Limits alone also set the requests, as Kubernetes does; requests alone leave the limits unset.
    mutating func resources(_ node: Node, _ keyPath: String) -> Resources? {
        guard
            let fields = fields(
                node, keyPath, allowed: ["cpu", "memory", "requests", "limits"],
                expected: "resources, e.g. { cpu: 1, memory: 512Mi }")
        else { return nil }
        let short = fields["cpu"] != nil || fields["memory"] != nil
        let long = fields["requests"] != nil || fields["limits"] != nil
        if short && long {
            let second = fields.keys.first(where: { ["requests", "limits"].contains($0) }).map(fields.keyNode) ?? node
            report(second, keyPath, "give either cpu and memory, or requests and limits, not both")
            return nil
        }
        guard long else {
            guard short else {
                if fields.isEmpty {
                    report(node, keyPath, "empty; give cpu and/or memory, e.g. { cpu: 1, memory: 512Mi }")
                }
                return nil
            }
            return amounts(fields).map(Resources.init(both:))
        }
        var parts: [String: Resources.Amounts] = [:]
        for key in ["requests", "limits"] {
            guard let partNode = fields[key] else { continue }
            guard
                let partFields = self.fields(
                    partNode, fields.path(key), allowed: ["cpu", "memory"], expected: "{ cpu, memory }"),
                let amounts = amounts(partFields)
            else { continue }
            if amounts.isEmpty {
                if partFields.isEmpty { report(partNode, fields.path(key), "empty; give cpu and/or memory") }
                continue
            }
            parts[key] = amounts
        }
        guard parts.count == fields.keys.filter({ $0 == "requests" || $0 == "limits" }).count else { return nil }
        let requests = parts["requests"]
        let limits = parts["limits"]
        let resources = Resources(requests: requests ?? limits ?? .init(), limits: limits ?? .init())
        if let request = resources.requests.cpu, let limit = resources.limits.cpu, request > limit {
            report(
                fields["requests"], fields.path("requests.cpu"), "\(request) cores is more than the limit of \(limit)")
            return nil
        }
        if let request = resources.requests.memory, let limit = resources.limits.memory, request > limit {
            report(
                fields["requests"], fields.path("requests.memory"),
                "\(request) bytes is more than the limit of \(limit)")
            return nil
        }
        return resources
    }

    /// CPU and memory from a mapping whose keys were checked.
    mutating func amounts(_ fields: SpecFields) -> Resources.Amounts? {
        var amounts = Resources.Amounts()
        var complete = true
        if let node = fields["cpu"] {
            let cores = scalarText(node).flatMap(Resources.cores(parsing:))
            if let cores, cores > InputLimits.cores {
                let most = Int(InputLimits.cores)
                report(node, fields.path("cpu"), "must be at most \(most) cores, found \(Self.found(node))")
                complete = false
            } else if let cores, cores > 0 {
                amounts.cpu = cores
            } else {
                let message = cores == nil ? "expected cores (1, 0.5) or millicores (500m)" : "must be more than 0"
                report(node, fields.path("cpu"), "\(message), found \(Self.found(node))")
                complete = false
            }
        }
        if let node = fields["memory"] {
            let bytes = scalarText(node).flatMap(Resources.bytes(parsing:))
            if let bytes, bytes > InputLimits.memoryBytes {
                report(node, fields.path("memory"), "must be at most 1024Ti, found \(Self.found(node))")
                complete = false
            } else if let bytes, bytes >= 1_048_576 {
                amounts.memory = bytes
            } else if let bytes {
                // A bare number is bytes, as in Kubernetes; a bare 512 almost always meant 512Mi.
                let message = bytes == 0 ? "must be more than 0" : "\(bytes) bytes is too little to run anything"
                report(node, fields.path("memory"), "\(message); write it like 512Mi or 1Gi")
                complete = false
            } else {
                report(
                    node, fields.path("memory"),
                    "expected memory like 512Mi, 1Gi, 256M or a byte count, found \(Self.found(node))")
                complete = false
            }
        }
        return complete ? amounts : nil
    }
}
