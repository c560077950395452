import StackLabCore

/// The built-in quickstart, the same text as examples/quickstart.yaml (a test keeps them equal).
enum Quickstart {
    static let yaml = #"""
        # The quickstart experiment: the Swift reference app alone, half /json and half /db (SQLite),
        # searching for the highest rate whose p99 stays under 20ms (up from 500/s, doubling until the
        # SLO fails, then halving the gap to within 10%).
        #
        #   stacklab validate examples/quickstart.yaml
        #
        # The format is described in docs/experiment-spec.md.
        version: 1
        name: quickstart
        description: Swift reference app on SQLite, /json and /db, capacity search against a 20ms p99
        repeats: 3
        slo: { p99: 20ms, error_rate: 0.1% }
        pricing: opencost-default

        workload:
          protocol: http
          requests:
            - { path: /json, weight: 1 }
            - { path: /db, weight: 1 }
          capacity: { from: 500/s, to: 32000/s, precision: 10% }
          connections: 32
          duration: 5s
          warmup: 1s
          timeout: 5s

        components:
          app:
            kind: app
            runtime: swift
            settings: { db: sqlite }
            resources: { cpu: 1, memory: 512Mi }

        variants:
          direct: [app]
        """#

    static func spec() throws -> ExperimentSpec {
        try ExperimentSpec(yaml: yaml, file: "quickstart.yaml (built in)")
    }
}
