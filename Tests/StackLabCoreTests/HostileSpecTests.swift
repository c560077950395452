import Foundation
import Testing

@testable import StackLabCore

/// Experiment files a hostile or unlucky user writes: every one is refused with one line naming the file, the
/// line and the key, never a trap, a raw Foundation error or a message split by the value it echoes.
struct HostileSpecTests {
    /// A valid experiment with `workload` as the workload's extra lines and `components` replacing the default.
    static func spec(
        name: String = "hostile", workload: String = "", components: String? = nil, variants: String? = nil,
        extra: String = ""
    ) -> String {
        """
        name: \(name)
        \(extra)
        workload:
          path: /json
          rate: 100/s
        \(workload)
        components:
        \(components ?? "  app: { kind: app, runtime: swift }")
        variants:
        \(variants ?? "  direct: [app]")
        """
    }

    /// The problems of `yaml`, each line as `validate` prints it.
    static func problems(_ yaml: String) -> [String] {
        do {
            _ = try ExperimentSpec(yaml: yaml, file: "h.yaml")
            return []
        } catch let error as SpecError {
            return error.lines
        } catch {
            return ["not a SpecError: \(error)"]
        }
    }

    @Test(arguments: [
        ("  duration: 9300000000000000000", "workload.duration"),
        ("  duration: 1e300", "workload.duration"),
        ("  timeout: 9223372036854775807", "workload.timeout"),
        ("  warmup: 99999999999h", "workload.warmup"),
        ("  connections: 9223372036854775807", "workload.connections"),
        ("  connections: 99999999999999999999999", "workload.connections"),
        ("  threads: 9223372036854775807", "workload.threads"),
    ])
    func hugeNumbersAreOneLineNotATrap(line: String, key: String) {
        let problems = Self.problems(Self.spec(workload: line))
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.hasPrefix("h.yaml:6: \(key): ") == true, "\(problems)")
    }

    @Test func hugeWeightsPostgresScaleCPUAndRepeatsAreRefused() {
        let weights = Self.problems(
            """
            name: w
            workload:
              requests: [{ path: /a, weight: 9223372036854775807 }, { path: /b, weight: 9223372036854775807 }]
              rate: 100
            components: { app: { kind: app, runtime: swift } }
            variants: { direct: [app] }
            """)
        #expect(weights.count == 2)
        #expect(weights.allSatisfy { $0.contains("weight: must be at most 10,000") }, "\(weights)")

        let scale = Self.problems(
            """
            name: s
            workload: { protocol: postgres, scale: 9223372036854775807, rate: 100 }
            components: { db: { kind: postgres } }
            variants: { pg: [db] }
            """)
        #expect(
            scale
                == ["s.yaml:2: workload.scale: must be at most 100,000, found 9223372036854775807"].map {
                    $0.replacingOccurrences(of: "s.yaml", with: "h.yaml")
                })

        let cpu = Self.problems(
            Self.spec(components: "  app: { kind: app, runtime: swift, resources: { cpu: 1e308 } }"))
        #expect(cpu.count == 1)
        #expect(cpu.first?.contains("components.app.resources.cpu: must be at most 4096 cores") == true, "\(cpu)")

        let repeats = Self.problems(Self.spec(extra: "repeats: 9223372036854775807"))
        #expect(repeats.first?.contains("repeats: must be at most 1,000") == true, "\(repeats)")
    }

    @Test func connectionsAboveWhatTheMachineAllowsAreRefused() {
        let limits = MachineLimits.current
        let problems = Self.problems(Self.spec(workload: "  connections: \(limits.connections + 1)"))
        #expect(problems.count == 1)
        #expect(problems.first?.contains("must be at most \(MessageText.grouped(limits.connections))") == true)
        #expect(problems.first?.contains(limits.connectionsReason) == true, "\(problems)")
        #expect(Self.problems(Self.spec(workload: "  connections: \(limits.connections)")).isEmpty)
    }

    @Test func aMegabyteNameIsRefusedBriefly() {
        let name = String(repeating: "a", count: 1_048_576)
        let problems = Self.problems(Self.spec(name: name))
        #expect(problems.count == 1)
        let line = problems.first ?? ""
        #expect(line.contains("is too long for a name; at most 100 characters"), "\(line.prefix(300))")
        #expect(line.contains("…' (1,048,576 characters)"))
        #expect(line.count < 300)
    }

    @Test func valuesWithNewlinesAreEscapedAndLongOnesCut() {
        let injected = Self.problems(Self.spec(name: "\"evil\\nstacklab: all good\""))
        #expect(injected.count == 1)
        #expect(injected.first?.contains(#"'evil\nstacklab: all good' may hold only"#) == true, "\(injected)")
        #expect(injected.allSatisfy { !$0.contains("\n") })

        let long = String(repeating: "x", count: 5_000)
        let problems = Self.problems(Self.spec(workload: "  protocol: \(long)"))
        #expect(problems.count == 1)
        #expect(problems.first?.contains("'\(String(repeating: "x", count: 80))…' (5,000 characters)") == true)
        #expect((problems.first?.count ?? 0) < 400)
    }

    @Test func durationTextRefusesWhatWouldOverflow() throws {
        for text in ["9223372036854775808", "9300000000", "1e308", "inf", "99999999999999h", "nan"] {
            #expect(throws: UserError.self, "\(text)") { try DurationText.nanoseconds(text, what: "--duration") }
        }
        #expect(try DurationText.nanoseconds("168h", what: "d") == 604_800_000_000_000)
        let error = #expect(throws: UserError.self) { try DurationText.nanoseconds("9223372036854775808", what: "-d") }
        #expect(error?.message == "-d: '9223372036854775808' is too long; at most 168h (7 days)")
    }

    @Test func aSymlinkLoopIsReportedAsOne() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-loop-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let a = directory.appendingPathComponent("a.yaml").path
        let b = directory.appendingPathComponent("b.yaml").path
        try FileManager.default.createSymbolicLink(atPath: a, withDestinationPath: b)
        try FileManager.default.createSymbolicLink(atPath: b, withDestinationPath: a)
        let error = #expect(throws: UserError.self) { try ExperimentSpec.load(path: a) }
        #expect(error?.message == "\(a): too many levels of symbolic links (a symlink loop?)")
        let directoryError = #expect(throws: UserError.self) { try ExperimentSpec.load(path: directory.path) }
        #expect(directoryError?.message == "\(directory.path): is a directory, not a file")
    }

    // MARK: Header injection

    @Test func controlCharactersInRequestsAreRefused() {
        let header = Self.problems(
            Self.spec(workload: "  headers: { X-A: \"b\\r\\nX-Injected: 1\" }"))
        #expect(header.count == 1)
        #expect(header.first?.hasPrefix("h.yaml:6: workload.headers.X-A: the value of X-A holds a control") == true)
        #expect(header.first?.contains(#"'b\r\nX-Injected: 1'"#) == true, "\(header)")

        let bareLF = Self.problems(Self.spec(workload: "  headers: { X-A: \"b\\nX-Injected: 1\" }"))
        #expect(bareLF.count == 1)

        let name = Self.problems(Self.spec(workload: "  headers: { \"X-A\\r\\nX-B\": c }"))
        #expect(name.first?.contains("is not a header name") == true, "\(name)")

        let method = Self.problems(
            Self.spec(workload: "  method: \"GET /smuggled HTTP/1.1\\r\\nHost: x\\r\\n\\r\\nGET\""))
        #expect(method.count == 1)
        #expect(method.first?.contains("workload.method: 'GET /smuggled HTTP/1.1\\r\\nHost: x") == true, "\(method)")
        #expect(method.first?.contains("is not an HTTP method") == true)

        let path = Self.problems(
            """
            name: p
            workload: { path: "/a\\u0000b", rate: 1 }
            components: { app: { kind: app, runtime: swift } }
            variants: { direct: [app] }
            """)
        #expect(path.first?.contains("workload.path: must start with '/'") == true, "\(path)")

        #expect(Self.problems(Self.spec(workload: "  method: PATCH\n  headers: { X-Ok: \"tab\\there é\" }")).isEmpty)
    }

    @Test func httpFieldRulesFollowRFC9110() {
        #expect(HTTPField.isToken("GET") && HTTPField.isToken("M-SEARCH") && !HTTPField.isToken("GE T"))
        #expect(!HTTPField.isToken("") && !HTTPField.isToken("A:B") && !HTTPField.isToken("A\0"))
        #expect(
            HTTPField.isFieldValue("a b\tc é") && !HTTPField.isFieldValue("a\rb") && !HTTPField.isFieldValue("\u{7F}"))
        #expect(!HTTPField.isFieldValue("a\0b") && !HTTPField.isFieldValue("a\nb"))
    }

    // MARK: One validation for validate and run

    @Test func whatARunRefusesTheFileRefuses() {
        let gatewayLast = Self.problems(
            Self.spec(
                components: "  app: { kind: app, runtime: swift }\n  nginx: { kind: nginx }",
                variants: "  direct: [app]\n  broken: [app, nginx]"))
        #expect(gatewayLast.count == 1)
        #expect(
            gatewayLast.first?.contains("variants.broken: 'nginx' is a nginx gateway and last in the stack") == true)

        let secondTLS = Self.problems(
            Self.spec(
                components:
                    "  app: { kind: app, runtime: swift }\n  a: { kind: nginx }\n  b: { kind: envoy, tls: true }",
                variants: "  chain: [a, b, app]"))
        #expect(secondTLS.count == 1)
        #expect(secondTLS.first?.contains("variants.chain: component 'b' has tls: true but is not first") == true)

        let appTLS = Self.problems(Self.spec(components: "  app: { kind: app, runtime: swift, tls: true }"))
        #expect(appTLS.first?.contains("components.app.tls: the reference app does not serve TLS") == true)

        let pricing = Self.problems(Self.spec(extra: "pricing: aws-m7-large"))
        #expect(pricing.count == 1)
        #expect(
            pricing.first?.hasPrefix("h.yaml:2: pricing: no price catalog named 'aws-m7-large'; did you mean") == true)
        let missingFile = Self.problems(Self.spec(extra: "pricing: /nonexistent/prices.yaml"))
        #expect(missingFile.first?.contains("no such price catalog file") == true, "\(missingFile)")
    }
}
