import Foundation
import Testing

@testable import StackLabCore

struct ExperimentSpecTests {
    static let complete = """
        version: 1
        name: quickstart
        description: Swift reference app, /json and /db
        repeats: 3
        slo: { p99: 20ms, p99.9: 50ms, error_rate: 0.1% }
        pricing: opencost-default
        workload:
          protocol: http
          requests:
            - { path: /json, weight: 3 }
            - { path: /db, method: post, headers: { Content-Type: application/json }, body: '{"id": 1}', weight: 1 }
          rate: 2000/s
          connections: 64
          threads: 2
          duration: 1m30s
          warmup: 5s
          timeout: 2s
        components:
          app:   { kind: app, runtime: swift, settings: { db: sqlite, pool: 8 }, resources: { cpu: 1, memory: 512Mi } }
          nginx:
            kind: nginx
            tls: true
            resources: { requests: { cpu: 500m, memory: 64Mi }, limits: { cpu: 1, memory: 128Mi } }
        variants:
          direct: [app]
          nginx:  [nginx, app]
        """

    @Test func completeFileDecodesToTheValuesWritten() throws {
        let spec = try ExperimentSpec(yaml: Self.complete, file: "quickstart.yaml")
        #expect(spec.version == 1)
        #expect(spec.name == "quickstart")
        #expect(spec.description == "Swift reference app, /json and /db")
        #expect(spec.repeats == 3)
        #expect(
            spec.slo
                == ServiceLevelObjective(
                    latency: [
                        .init(percentile: "p99", nanoseconds: 20_000_000),
                        .init(percentile: "p99.9", nanoseconds: 50_000_000),
                    ],
                    errorRate: 0.1 / 100))
        #expect(spec.pricing == "opencost-default")
        #expect(
            spec.workload
                == Workload(
                    wireProtocol: .http,
                    requests: [
                        .init(path: "/json", weight: 3),
                        .init(
                            path: "/db", method: "POST",
                            headers: [.init(name: "Content-Type", value: "application/json")],
                            body: #"{"id": 1}"#, weight: 1),
                    ],
                    arrival: .constant(rate: 2000), connections: 64, threads: 2, durationNanoseconds: 90_000_000_000,
                    warmupNanoseconds: 5_000_000_000, timeoutNanoseconds: 2_000_000_000))
        #expect(
            spec.components == [
                Component(
                    name: "app", kind: .app, runtime: .swift, settings: ["db": "sqlite", "pool": "8"],
                    resources: Resources(both: .init(cpu: 1, memory: 512 * 1_048_576))),
                Component(
                    name: "nginx", kind: .nginx, tls: true,
                    resources: Resources(
                        requests: .init(cpu: 0.5, memory: 64 * 1_048_576),
                        limits: .init(cpu: 1, memory: 128 * 1_048_576))),
            ])
        #expect(
            spec.variants == [
                Variant(name: "direct", stack: ["app"]), Variant(name: "nginx", stack: ["nginx", "app"]),
            ])
        #expect(spec.stack(of: spec.variants[1]).map(\.kind) == [.nginx, .app])
    }

    @Test func roundTripsThroughJSON() throws {
        let spec = try ExperimentSpec(yaml: Self.complete, file: "quickstart.yaml")
        let data = try JSONEncoder().encode(spec)
        #expect(try JSONDecoder().decode(ExperimentSpec.self, from: data) == spec)
    }

    @Test func defaultsFillWhatIsLeftOut() throws {
        let spec = try ExperimentSpec(yaml: Self.minimal, file: "minimal.yaml")
        #expect(
            spec.version == 1 && spec.repeats == ExperimentSpec.defaultRepeats && spec.slo == nil && spec.pricing == nil
        )
        #expect(spec.workload.requests == [.init(path: "/json", method: "GET", weight: 1)])
        #expect(spec.workload.connections == 32 && spec.workload.threads == nil)
        #expect(spec.workload.durationNanoseconds == 30_000_000_000)
        #expect(spec.workload.warmupNanoseconds == 0 && spec.workload.timeoutNanoseconds == 5_000_000_000)
        #expect(
            spec.components == [
                Component(name: "app", kind: .app, runtime: .swift), Component(name: "nginx", kind: .nginx),
            ])
    }

    @Test(arguments: [
        ("rate: 100", Workload.Arrival.constant(rate: 100)),
        ("rate: 2_000/s", .constant(rate: 2000)),
        ("rate: max", .closedLoop),
        ("rates: [250, 500, 1000]", .sweep(rates: [250, 500, 1000])),
        (
            "stages: [{ duration: 10s, rate: 1000 }, { duration: 30s, rate: 5000 }, { duration: 5s, rate: 0 }]",
            .ramp(stages: [
                .init(nanoseconds: 10_000_000_000, rate: 1000), .init(nanoseconds: 30_000_000_000, rate: 5000),
                .init(nanoseconds: 5_000_000_000, rate: 0),
            ])
        ),
    ])
    func arrivalModels(line: String, arrival: Workload.Arrival) throws {
        let spec = try ExperimentSpec(
            yaml: Self.minimal.replacingOccurrences(of: "rate: 100", with: line), file: "a.yaml")
        #expect(spec.workload.arrival == arrival)
    }

    @Test func stagesSetTheMeasuredWindow() throws {
        let yaml = Self.minimal.replacingOccurrences(
            of: "rate: 100",
            with: "stages: [{ duration: 10s, rate: 1000 }, { duration: 30s, rate: 5000 }]\n  warmup: 5s")
        #expect(try ExperimentSpec(yaml: yaml, file: "a.yaml").workload.durationNanoseconds == 35_000_000_000)
    }

    @Test(
        arguments: [
            ("1", 1.0), ("0.5", 0.5), ("500m", 0.5), ("2500m", 2.5),
        ] as [(String, Double)])
    func cpuQuantities(text: String, cores: Double) {
        #expect(Resources.cores(parsing: text) == cores)
    }

    @Test(
        arguments: [
            ("512Mi", 536_870_912), ("1Gi", 1_073_741_824), ("256M", 256_000_000), ("1G", 1_000_000_000),
            ("64Ki", 65_536), ("1.5Gi", 1_610_612_736), ("2097152", 2_097_152),
        ] as [(String, Int)])
    func memoryQuantities(text: String, bytes: Int) {
        #expect(Resources.bytes(parsing: text) == bytes)
    }

    @Test(arguments: ["", "lots", "512MB", "1e9", "-1Gi", "Gi"])
    func notMemory(text: String) {
        #expect(Resources.bytes(parsing: text) == nil)
    }

    @Test func sloBecomesThresholds() throws {
        let spec = try ExperimentSpec(yaml: Self.complete, file: "quickstart.yaml")
        let thresholds = try #require(spec.slo?.thresholds)
        #expect(
            thresholds.map(\.metric) == [
                .latency("p99", service: false), .latency("p99.9", service: false), .errorRate,
            ])
        #expect(thresholds.map(\.limit) == [.value(20_000), .value(50_000), .value(0.001)])
        #expect(thresholds.allSatisfy { $0.comparison == .lessOrEqual })
    }

    @Test func sloNeedsTheTargetRateAchieved() throws {
        let slo = ServiceLevelObjective(latency: [.init(percentile: "p99", nanoseconds: 20_000_000)], errorRate: 0.001)
        func meets(_ result: LoadResult) throws -> Bool {
            try slo.thresholds(for: result).allSatisfy { try $0.evaluate(result).passed }
        }
        #expect(try meets(.fixture(achievedRate: 990)))
        // Fast replies, but only 60% of what was asked for was served: the objective is not met.
        #expect(try !meets(.fixture(achievedRate: 600)))
        var closedLoop = LoadResult.fixture()
        closedLoop.arrival = .init(model: "closed", targetRate: nil, stages: nil)
        #expect(try meets(closedLoop))
        closedLoop.requests.completed = 0
        #expect(try !meets(closedLoop))
    }

    // MARK: Mistakes

    /// A valid experiment, one key per line, that each mistake below changes in one place.
    static let minimal = """
        name: minimal
        workload:
          path: /json
          rate: 100
        components:
          app: { kind: app, runtime: swift }
          nginx: { kind: nginx }
        variants:
          direct: [app]
        """

    struct Mistake: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var replace: String
        var with: String
        var expected: SpecProblem
    }

    static let mistakes: [Mistake] = [
        Mistake(
            testDescription: "unknown key", replace: "  rate: 100", with: "  rat: 100",
            expected: .init(line: 4, keyPath: "workload.rat", message: "unknown key; did you mean 'rate'?")),
        Mistake(
            testDescription: "unknown key with no near name", replace: "name: minimal",
            with: "name: minimal\ncolour: blue",
            expected: .init(
                line: 2, keyPath: "colour",
                message:
                    "unknown key; expected one of version, name, description, repeats, slo, pricing, egress, workload, "
                    + "workloads, components, variants, gate")),
        Mistake(
            testDescription: "wrong type", replace: "  rate: 100", with: "  rate: 100\n  connections: many",
            expected: .init(
                line: 5, keyPath: "workload.connections", message: "expected a whole number, found 'many'")),
        Mistake(
            testDescription: "a list where a text goes", replace: "name: minimal", with: "name: [a, b]",
            expected: .init(line: 1, keyPath: "name", message: "expected a text, found a list")),
        Mistake(
            testDescription: "zero rate", replace: "rate: 100", with: "rate: 0",
            expected: .init(line: 4, keyPath: "workload.rate", message: "must be more than 0, found 0")),
        Mistake(
            testDescription: "negative rate", replace: "rate: 100", with: "rate: -5/s",
            expected: .init(line: 4, keyPath: "workload.rate", message: "must be more than 0, found -5/s")),
        Mistake(
            testDescription: "rate that is not a number", replace: "rate: 100", with: "rate: fast",
            expected: .init(
                line: 4, keyPath: "workload.rate",
                message: "expected a rate in requests per second like 2000 or 2000/s, found 'fast'")),
        Mistake(
            testDescription: "undefined component", replace: "  direct: [app]",
            with: "  direct: [app]\n  nginx: [ngnix, app]",
            expected: .init(
                line: 10, keyPath: "variants.nginx", message: "component 'ngnix' is not defined; did you mean 'nginx'?")
        ),
        Mistake(
            testDescription: "undefined component with no near name", replace: "direct: [app]",
            with: "direct: [envoy, app]",
            expected: .init(
                line: 9, keyPath: "variants.direct",
                message: "component 'envoy' is not defined; define it under components"
            )),
        Mistake(
            testDescription: "empty stack", replace: "direct: [app]", with: "direct: []",
            expected: .init(
                line: 9, keyPath: "variants.direct",
                message: "empty stack; list the components a request passes through, e.g. [nginx, app]")),
        Mistake(
            testDescription: "YAML syntax", replace: "  path: /json", with: "  path: /json: now",
            expected: .init(
                line: 3, keyPath: "",
                message: "YAML syntax error at column 14: mapping values are not allowed in this context")),
        Mistake(
            testDescription: "key written twice", replace: "  rate: 100", with: "  rate: 100\n  rate: 200",
            expected: .init(line: 4, keyPath: "", message: "key 'rate' appears twice in one mapping; keep one")),
        Mistake(
            testDescription: "missing required key", replace: "name: minimal\n", with: "",
            expected: .init(
                line: 1, keyPath: "name", message: "required key is missing; name the experiment, e.g. name: quickstart"
            )),
        Mistake(
            testDescription: "no arrival model", replace: "  rate: 100\n", with: "",
            expected: .init(
                line: 3, keyPath: "workload.rate",
                message:
                    "required key is missing; give rate: 1000/s, rate: max (closed loop), stages, rates or capacity")),
        Mistake(
            testDescription: "two arrival models", replace: "  rate: 100", with: "  rate: 100\n  rates: [100, 200]",
            expected: .init(
                line: 5, keyPath: "workload.rates",
                message: "give only one of rate, stages, rates and capacity; this workload has 'rate' and 'rates'")),
        Mistake(
            testDescription: "path and requests", replace: "  path: /json",
            with: "  path: /json\n  requests: [{ path: /db }]",
            expected: .init(line: 4, keyPath: "workload.requests", message: "give either path or requests, not both")),
        Mistake(
            testDescription: "bad duration", replace: "  rate: 100", with: "  rate: 100\n  duration: 3x",
            expected: .init(
                line: 5, keyPath: "workload.duration", message: "'3x' has unit 'x'; use h, m, s, ms, us or ns")),
        Mistake(
            testDescription: "zero duration", replace: "  rate: 100", with: "  rate: 100\n  duration: 0s",
            expected: .init(line: 5, keyPath: "workload.duration", message: "must be more than 0")),
        Mistake(
            testDescription: "duration beside stages", replace: "rate: 100",
            with: "stages: [{ duration: 10s, rate: 100 }]\n  duration: 30s",
            expected: .init(
                line: 5, keyPath: "workload.duration",
                message: "not used with stages; the stages set the length of the run"
            )),
        Mistake(
            testDescription: "warm-up as long as the stages", replace: "rate: 100",
            with: "stages: [{ duration: 10s, rate: 100 }]\n  warmup: 10s",
            expected: .init(
                line: 5, keyPath: "workload.warmup",
                message: "is as long as the stages or longer; nothing would be measured")),
        Mistake(
            testDescription: "rates out of order", replace: "rate: 100", with: "rates: [500, 250]",
            expected: .init(line: 4, keyPath: "workload.rates[1]", message: "list the rates in increasing order")),
        Mistake(
            testDescription: "a postgres workload against an app", replace: "  path: /json",
            with: "  protocol: postgres\n  transaction: tpcb",
            expected: .init(
                line: 10, keyPath: "variants.direct",
                message: "variant 'direct' starts with 'app' (kind app), which does not speak the workload's "
                    + "protocol postgres; put a component of kind postgres first")),
        Mistake(
            testDescription: "an http workload against a database", replace: "app: { kind: app, runtime: swift }",
            with: "app: { kind: postgres }",
            expected: .init(
                line: 9, keyPath: "variants.direct",
                message: "variant 'direct' starts with 'app' (kind postgres), which does not speak the workload's "
                    + "protocol http; put a component of kind app, nginx, haproxy, traefik, envoy, caddy or sidecar first"
            )),
        Mistake(
            testDescription: "unknown transaction", replace: "  path: /json",
            with: "  protocol: postgres\n  transaction: tpcc",
            expected: .init(
                line: 4, keyPath: "workload.transaction",
                message: "unknown transaction 'tpcc'; did you mean 'tpcb'?")),
        Mistake(
            testDescription: "scale with read-write", replace: "  path: /json",
            with: "  protocol: postgres\n  transaction: read-write\n  scale: 10",
            expected: .init(
                line: 5, keyPath: "workload.scale",
                message: "not used by read-write; give rows: N for the sbtest1 table")),
        Mistake(
            testDescription: "an http key in a postgres workload", replace: "  rate: 100",
            with: "  rate: 100\n  protocol: postgres",
            expected: .init(
                line: 3, keyPath: "workload.path",
                message: "not a key of protocol postgres; it takes transaction, scale, rows")),
        Mistake(
            testDescription: "an http key in a redis workload", replace: "  path: /json",
            with: "  protocol: redis\n  path: /json",
            expected: .init(
                line: 4, keyPath: "workload.path",
                message: "an http key; protocol redis takes mix, records, value_size, pipeline")),
        Mistake(
            testDescription: "a redis key in an http workload", replace: "  path: /json",
            with: "  path: /json\n  mix: ycsb-a",
            expected: .init(line: 4, keyPath: "workload.mix", message: "only with protocol: redis")),
        Mistake(
            testDescription: "unknown mix", replace: "  path: /json",
            with: "  protocol: redis\n  mix: ycsb-x",
            expected: .init(line: 4, keyPath: "workload.mix", message: "unknown mix 'ycsb-x'; did you mean 'ycsb-a'?")),
        Mistake(
            testDescription: "path without a slash", replace: "path: /json", with: "path: json",
            expected: .init(
                line: 3, keyPath: "workload.path",
                message: "must start with '/' and hold no spaces, e.g. /json; found 'json'"
            )),
        Mistake(
            testDescription: "misspelt kind", replace: "kind: nginx", with: "kind: ngnix",
            expected: .init(
                line: 7, keyPath: "components.nginx.kind", message: "unknown kind 'ngnix'; did you mean 'nginx'?")),
        Mistake(
            testDescription: "misspelt runtime", replace: "runtime: swift", with: "runtime: swfit",
            expected: .init(
                line: 6, keyPath: "components.app.runtime", message: "unknown runtime 'swfit'; did you mean 'swift'?")),
        Mistake(
            testDescription: "app without runtime", replace: "{ kind: app, runtime: swift }", with: "{ kind: app }",
            expected: .init(
                line: 6, keyPath: "components.app.runtime",
                message: "required key is missing; kind app needs a runtime: swift, go, rust, node, bun, dotnet")),
        Mistake(
            testDescription: "runtime on a gateway", replace: "{ kind: nginx }", with: "{ kind: nginx, runtime: go }",
            expected: .init(
                line: 7, keyPath: "components.nginx.runtime", message: "only a component of kind app has a runtime")),
        Mistake(
            testDescription: "memory without a unit", replace: "{ kind: nginx }",
            with: "{ kind: nginx, resources: { memory: 512 } }",
            expected: .init(
                line: 7, keyPath: "components.nginx.resources.memory",
                message: "512 bytes is too little to run anything; write it like 512Mi or 1Gi")),
        Mistake(
            testDescription: "cpu that is not a quantity", replace: "{ kind: nginx }",
            with: "{ kind: nginx, resources: { cpu: fast } }",
            expected: .init(
                line: 7, keyPath: "components.nginx.resources.cpu",
                message: "expected cores (1, 0.5) or millicores (500m), found 'fast'")),
        Mistake(
            testDescription: "request above limit", replace: "{ kind: nginx }",
            with: "{ kind: nginx, resources: { requests: { cpu: 2 }, limits: { cpu: 1 } } }",
            expected: .init(
                line: 7, keyPath: "components.nginx.resources.requests.cpu",
                message: "2.0 cores is more than the limit of 1.0")),
        Mistake(
            testDescription: "repeats of zero", replace: "name: minimal", with: "name: minimal\nrepeats: 0",
            expected: .init(line: 2, keyPath: "repeats", message: "must be at least 1, found 0")),
        Mistake(
            testDescription: "name with a space", replace: "name: minimal", with: "name: my lab",
            expected: .init(line: 1, keyPath: "name", message: "'my lab' may hold only letters, digits, - and _")),
        Mistake(
            testDescription: "SLO latency without a unit", replace: "name: minimal",
            with: "name: minimal\nslo: { p99: 20 }",
            expected: .init(line: 2, keyPath: "slo.p99", message: "'20' has no unit; write it like 20ms or 0.5s")),
        Mistake(
            testDescription: "SLO percentile misspelt", replace: "name: minimal",
            with: "name: minimal\nslo: { p999: 5ms }",
            expected: .init(line: 2, keyPath: "slo.p999", message: "unknown key; did you mean 'p99.9'?")),
        Mistake(
            testDescription: "SLO error rate over 100%", replace: "name: minimal",
            with: "name: minimal\nslo: { error_rate: 150% }",
            expected: .init(line: 2, keyPath: "slo.error_rate", message: "must be from 0% to 100%, found '150%'")),
        Mistake(
            testDescription: "newer version", replace: "name: minimal", with: "version: 2\nname: minimal",
            expected: .init(
                line: 1, keyPath: "version",
                message: "version 2 is newer than this stacklab reads (1); upgrade stacklab")),
        Mistake(
            testDescription: "no variants", replace: "  direct: [app]", with: "  {}",
            expected: .init(
                line: 9, keyPath: "variants", message: "no variants; add at least one, e.g. direct: [app]")),
    ]

    @Test(arguments: mistakes)
    func eachMistakeHasItsOwnMessageAndLine(mistake: Mistake) throws {
        let yaml = Self.minimal.replacingOccurrences(of: mistake.replace, with: mistake.with)
        #expect(yaml != Self.minimal)
        let error = try #require(throws: SpecError.self) { try ExperimentSpec(yaml: yaml, file: "minimal.yaml") }
        #expect(error.problems.contains(mistake.expected), "\(error.problems)")
    }

    @Test func emptyFile() throws {
        let error = try #require(throws: SpecError.self) { try ExperimentSpec(yaml: "# nothing yet\n", file: "e.yaml") }
        #expect(
            error.description
                == "e.yaml:1: the file is empty; an experiment needs name, workload, components and variants")
    }

    @Test func errorLineNamesFileLineAndKeyPath() throws {
        let yaml = """
            # The quickstart experiment.
            name: quickstart
            repeats: 2

            workload:
              path: /json
              rat: 2000/s
            components:
              app: { kind: app, runtime: swift }
            variants:
              direct: [app]
            """
        let error = try #require(throws: SpecError.self) { try ExperimentSpec(yaml: yaml, file: "quickstart.yaml") }
        // The misspelt key is not reported a second time as a missing rate.
        #expect(error.lines == ["quickstart.yaml:7: workload.rat: unknown key; did you mean 'rate'?"])
    }

    @Test func collectsEveryProblemInFileOrder() throws {
        let yaml = """
            name: quickstart
            repeats: many
            workload:
              path: /json
              rate: 0
              duration: 3x
            components:
              app: { kind: ap, runtime: swift }
            variants:
              direct: [ap]
              empty: []
            """
        let error = try #require(throws: SpecError.self) { try ExperimentSpec(yaml: yaml, file: "q.yaml") }
        #expect(
            error.lines == [
                "q.yaml:2: repeats: expected a whole number, found 'many'",
                "q.yaml:5: workload.rate: must be more than 0, found 0",
                "q.yaml:6: workload.duration: '3x' has unit 'x'; use h, m, s, ms, us or ns",
                "q.yaml:8: components.app.kind: unknown kind 'ap'; did you mean 'app'?",
                "q.yaml:10: variants.direct: component 'ap' is not defined; did you mean 'app'?",
                "q.yaml:11: variants.empty: empty stack; list the components a request passes through, "
                    + "e.g. [nginx, app]",
            ])
        #expect(error.description == error.lines.joined(separator: "\n"))
    }

    @Test func missingFileIsAUserError() {
        let error = #expect(throws: UserError.self) { try ExperimentSpec.load(path: "/nonexistent/x.yaml") }
        #expect(error?.message == "/nonexistent/x.yaml: no such file")
    }

    @Test func nearestNameAllowsTwoEdits() {
        #expect(NameSuggestion.nearest(to: "ngnix", among: ["nginx", "envoy"]) == "nginx")
        #expect(NameSuggestion.nearest(to: "conections", among: SpecReader.workloadKeys) == "connections")
        #expect(NameSuggestion.nearest(to: "colour", among: ExperimentSpec.topLevelKeys) == nil)
        #expect(NameSuggestion.editDistance(Array("kitten"), Array("sitting")) == 3)
    }

    // MARK: Shipped examples

    static let examplesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples")

    static var exampleFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: examplesDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test func examplesAreShipped() {
        #expect(Self.exampleFiles.contains("quickstart.yaml"))
        #expect(Self.exampleFiles.contains("gateways.yaml"))
    }

    @Test(arguments: exampleFiles)
    func shippedExampleValidates(name: String) throws {
        let spec = try ExperimentSpec.load(path: Self.examplesDirectory.appendingPathComponent(name).path)
        #expect(!spec.variants.isEmpty)
    }

    @Test func quickstartIsTheSwiftAppAloneSearchingForItsCapacity() throws {
        let spec = try ExperimentSpec.load(path: Self.examplesDirectory.appendingPathComponent("quickstart.yaml").path)
        #expect(spec.variants == [Variant(name: "direct", stack: ["app"])])
        #expect(spec.components.first?.runtime == .swift && spec.components.first?.settings["db"] == "sqlite")
        #expect(spec.workload.arrival == .search(CapacitySearch(from: 500, to: 32_000, precision: 0.1)))
        #expect(spec.repeats == 3 && spec.pricing == "opencost-default" && spec.slo != nil)
    }

    @Test func databasesComparesTheSQLServersAndRedisInOneExperiment() throws {
        let spec = try ExperimentSpec.load(path: Self.examplesDirectory.appendingPathComponent("databases.yaml").path)
        #expect(spec.variants.map(\.name) == ["postgres", "mariadb", "redis", "redis-aof"])
        #expect(spec.components.map(\.kind) == [.postgres, .mariadb, .redis, .redis])
        #expect(spec.components.allSatisfy { $0.settings["backup"] != nil })
        #expect(
            spec.variantsByWorkload.map { "\($0.name ?? "-"): \($0.variants.joined(separator: ","))" } == [
                "tpcb: postgres,mariadb", "point-select: postgres,mariadb", "ycsb-a: redis,redis-aof",
                "ycsb-b: redis,redis-aof", "ycsb-c: redis,redis-aof",
            ])
        let tpcb = try #require(spec.workloads?.first).workload
        #expect(tpcb.wireProtocol == .sql && tpcb.sql == Workload.SQL(transaction: .tpcb, scale: 10))
        #expect(tpcb.arrival == .sweep(rates: [250, 500, 1000, 2000]) && tpcb.includesClosedLoop == true)
        #expect(
            spec.workloads?.last?.workload.keyValue
                == Workload.KeyValue(mix: .ycsbC, records: 100_000, valueSize: 100, pipeline: 1))
    }

    @Test func postgresWorkload() throws {
        let yaml = """
            name: sql
            workload: { protocol: postgres, transaction: point-select, scale: 10, rates: [100, 200], connections: 8 }
            components: { db: { kind: postgres } }
            variants: { pg: [db] }
            """
        let spec = try ExperimentSpec(yaml: yaml, file: "sql.yaml")
        #expect(spec.workload.sql == Workload.SQL(transaction: .pointSelect, scale: 10))
        #expect(spec.workload.requests.isEmpty)
        #expect(
            spec.workload.summary.hasPrefix("postgres point-select at scale 10, rate sweep 100, 200/s, 8 connections"))
        let decoded = try JSONDecoder().decode(Workload.self, from: try JSONEncoder().encode(spec.workload))
        #expect(decoded == spec.workload)
    }

    @Test func redisWorkloadDefaults() throws {
        let yaml = """
            name: kv
            workload: { protocol: redis, rate: max }
            components: { cache: { kind: redis } }
            variants: { direct: [cache] }
            """
        let spec = try ExperimentSpec(yaml: yaml, file: "kv.yaml")
        #expect(spec.workload.keyValue == Workload.KeyValue())
        #expect(spec.workload.keyValue?.mix.readProportion == 0.5)
    }
}

struct KeepAliveSpecTests {
    static func spec(_ keepalive: String) -> String {
        """
        name: handshakes
        workload: { path: /json, rate: 100/s, keepalive: \(keepalive) }
        components:
          app: { kind: app, runtime: swift }
        variants:
          direct: [app]
        """
    }

    @Test func keepAliveIsTheDefaultAndFalseAsksForANewConnectionPerRequest() throws {
        let plain = try ExperimentSpec(yaml: Self.spec("true"), file: "k.yaml")
        #expect(plain.workload.keepAlive == true)
        let fresh = try ExperimentSpec(yaml: Self.spec("false"), file: "k.yaml")
        #expect(fresh.workload.keepAlive == false)
        #expect(fresh.workload.summary.contains("a new connection per request"))
    }

    @Test func aValueThatIsNotABooleanIsNamed() {
        #expect {
            try ExperimentSpec(yaml: Self.spec("sometimes"), file: "k.yaml")
        } throws: { error in
            ((error as? SpecError)?.lines.first ?? "").hasPrefix("k.yaml:2: workload.keepalive:")
        }
    }
}
