/// Word stems that speak for each area, as features of the text classifier: a word starting with one adds the
/// feature `area:<area>`, so that "brokers", "streaming" and "Kafka" all count for messaging even when the
/// training saw none of them under that area.
///
/// Written by hand from the areas' vocabulary, not learned: the model's labels come 96% from the landscape's
/// categories, not from these words.
public enum AreaLexicon {
    public static let stems: [LabArea: [String]] = [
        .messaging: [
            "stream", "messag", "event", "broker", "queue", "pubsub", "kafka", "mqtt", "amqp", "pulsar", "rabbit",
        ],
        .autoscaling: ["autoscal", "scal", "cost", "finops", "optimi", "rightsiz", "elastic", "spend", "utiliz"],
        .serviceMesh: ["mesh", "sidecar", "envoy"],
        .traffic: ["gateway", "proxy", "ingress", "balanc", "dns", "network", "rpc", "traffic"],
        .observability: ["monitor", "observ", "trac", "log", "metric", "telemetr", "alert", "dashboard"],
        .security: ["secur", "polic", "secret", "vulnerab", "auth", "identit", "complian", "encrypt", "certificat"],
        .data: ["databas", "sql", "storag", "stor", "vector", "cach", "graph", "backup"],
        .delivery: ["build", "pipelin", "deploy", "registr", "ci", "cd", "release", "artifact", "package"],
        .runtimes: ["runtim", "container", "wasm", "webassembl", "serverless", "function", "inferenc", "sandbox"],
        .platform: [
            "kubernet", "cluster", "platform", "provision", "orchestrat", "infrastructur", "gitops", "operator",
        ],
    ]

    /// `area:messaging` for each area with a stem `word` starts with.
    public static func features(of word: String) -> [String] {
        LabArea.allCases.compactMap { area in
            stems[area]!.contains(where: word.hasPrefix) ? "area:\(area.rawValue)" : nil
        }
    }
}
