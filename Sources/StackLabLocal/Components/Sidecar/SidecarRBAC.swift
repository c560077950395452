import StackLabCore

/// A sidecar's policy as Envoy's RBAC HTTP filter, action ALLOW: a request no policy matches is answered 403.
///
/// Envoy evaluates the policies in the order of their names, so the generated ones (`a-never-00000`, …), which
/// name a path and a peer no request has, all come before the allow rules (`b-allow-00000`, …): every allowed
/// request pays for the whole policy, as the cost of policy evaluation is meant to be measured.
enum SidecarRBAC {
    /// The filter, as an item of `http_filters`, every line indented by `indent` spaces.
    static func filter(_ policy: SidecarPolicy, indent: Int) -> String {
        rbac(
            "envoy.filters.http.rbac", "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC", [], policy,
            never: { SidecarPolicy.Rule(from: ["never-\($0)"], paths: ["/stacklab-never/\($0)"], methods: ["GET"]) },
            indent: indent)
    }

    /// The policy as Envoy's network RBAC filter, action ALLOW, for what is carried as TCP (a database behind a
    /// sidecar, a node proxy's tunnels): by the peer's identity alone, as ztunnel enforces an L4 policy. A
    /// connection no rule allows is closed before a byte reaches the component. The generated rules name identities
    /// no peer has. An item of `filters`, every line indented by `indent` spaces; denials are counted under
    /// `<stat>.rbac.denied` in Envoy's stats.
    static func networkFilter(_ policy: SidecarPolicy, stat: String, indent: Int) -> String {
        rbac(
            "envoy.filters.network.rbac", "type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC",
            ["    stat_prefix: \(stat)"], policy, never: { SidecarPolicy.Rule(from: ["never-\($0)"]) }, indent: indent)
    }

    /// An RBAC filter named `name` of `type`: the generated rules that never match (`never`), then the allow rules.
    private static func rbac(
        _ name: String, _ type: String, _ fields: [String], _ policy: SidecarPolicy, never: (Int) -> SidecarPolicy.Rule,
        indent: Int
    ) -> String {
        var lines = ["- name: \(name)", "  typed_config:", "    \"@type\": \(type)"] + fields
        lines += ["    rules:", "      action: ALLOW", "      policies:"]
        for index in 0..<policy.generatedRules { lines += entry(Self.name(index, "a-never"), never(index)) }
        for (index, rule) in policy.allow.enumerated() { lines += entry(Self.name(index, "b-allow"), rule) }
        let pad = String(repeating: " ", count: indent)
        return lines.map { pad + $0 + "\n" }.joined()
    }

    /// `a-never-00042`: names that sort as their numbers do.
    private static func name(_ index: Int, _ prefix: String) -> String {
        let digits = String(index)
        return prefix + "-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }

    /// One named policy: every condition of `rule` must hold (its path, its method, its peer).
    private static func entry(_ name: String, _ rule: SidecarPolicy.Rule) -> [String] {
        var permissions: [String] = []
        if !rule.paths.isEmpty {
            permissions.append(
                "{ or_rules: { rules: [" + rule.paths.map(pathMatcher).joined(separator: ", ") + "] } }")
        }
        if !rule.methods.isEmpty {
            permissions.append(
                "{ or_rules: { rules: ["
                    + rule.methods.map { "{ header: { name: \":method\", string_match: { exact: \($0) } } }" }
                    .joined(separator: ", ") + "] } }")
        }
        let permission =
            permissions.isEmpty
            ? "{ any: true }" : "{ and_rules: { rules: [" + permissions.joined(separator: ", ") + "] } }"
        let principals =
            rule.from.isEmpty
            ? ["{ any: true }"]
            : rule.from.map { "{ authenticated: { principal_name: { exact: \"\(MeshIdentity.spiffeID($0))\" } } }" }
        return [
            "        \(name):", "          permissions: [\(permission)]",
            "          principals: [" + principals.joined(separator: ", ") + "]",
        ]
    }

    /// `/api/*` is a prefix, any other path exact; the query is not part of what is matched.
    private static func pathMatcher(_ path: String) -> String {
        path.hasSuffix("*")
            ? "{ url_path: { path: { prefix: \"\(path.dropLast())\" } } }"
            : "{ url_path: { path: { exact: \"\(path)\" } } }"
    }
}
