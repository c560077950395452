import Foundation
import StackLabCore
import StackLabTestSupport
import Testing

/// `stacklab sbom` on the apps built here: each document validates against CycloneDX 1.5's JSON schema (the one
/// cyclonedx-python-lib ships, checked with jsonschema in the test venv), and lists what the build used.
@Suite(.enabled(if: CycloneDXSchema.isInstalled, CycloneDXSchema.missing))
struct SBOMSchemaTests {
    static let validator = """
        import sys
        from cyclonedx.schema import SchemaVersion
        from cyclonedx.validation.json import JsonStrictValidator
        error = JsonStrictValidator(SchemaVersion.V1_5).validate_str(open(sys.argv[1]).read())
        print("valid" if error is None else "invalid: " + str(error).splitlines()[0])
        """

    /// Writes APP's SBOM with `-o` and returns the validator's verdict and the document.
    static func sbom(
        _ runtime: AppRuntime, _ options: [String] = []
    ) throws -> (verdict: String, document: [String: Any]) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sbom-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let outcome = try BuiltApps.stacklab(["sbom", runtime.rawValue, "-o", file.path] + options)
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let verdict = try PythonTools.python(validator, [file.path]).output.trimmingCharacters(
            in: .whitespacesAndNewlines)
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any] ?? [:]
        return (verdict, document)
    }

    static func components(_ document: [String: Any]) -> [[String: Any]] {
        document["components"] as? [[String: Any]] ?? []
    }

    /// The validator itself rejects a document that breaks the schema, so a "valid" below means something.
    @Test func theValidatorRejectsAnInvalidDocument() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sbom-bad-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(
            #"{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{"type": "lib", "name": "x"}]}"#.utf8
        )
        .write(to: file)
        #expect(try PythonTools.python(Self.validator, [file.path]).output.hasPrefix("invalid"))
    }

    /// Every crate of the Cargo.lock cargo wrote, at its version (tokio and hyper among them), and licenses.
    @Test(.enabled(if: BuiltApps.isBuilt(.rust), BuiltApps.notBuilt(.rust)))
    func rustSBOMListsCargoLockAndValidates() throws {
        let (verdict, document) = try Self.sbom(.rust)
        #expect(verdict == "valid")
        let lockText = try String(
            contentsOf: BuiltApps.buildDirectory(.rust).appendingPathComponent("src/Cargo.lock"), encoding: .utf8)
        let lock = lockText.components(separatedBy: "[[package]]").dropFirst().compactMap { block -> String? in
            guard block.contains("source = ") else { return nil }
            let fields = block.split(separator: "\n").filter { $0.hasPrefix("name = ") || $0.hasPrefix("version = ") }
            let values = fields.map { $0.split(separator: "\"")[1] }
            return "pkg:cargo/\(values[0])@\(values[1])"
        }
        let purls = Self.components(document).compactMap { $0["purl"] as? String }
        #expect(Set(purls) == Set(lock))
        #expect(
            purls.contains { $0.hasPrefix("pkg:cargo/tokio@1.") }
                && purls.contains { $0.hasPrefix("pkg:cargo/hyper@0.14.") })
        #expect(Self.components(document).filter { $0["licenses"] != nil }.count > lock.count / 2)
    }

    /// With the image's runtime: the Debian packages of the libraries ldd resolves, libc6 at dpkg's version.
    @Test(.enabled(if: BuiltApps.isBuilt(.rust), BuiltApps.notBuilt(.rust)))
    func rustSBOMWithRuntimeAddsDebianLibraries() throws {
        let (verdict, document) = try Self.sbom(.rust, ["--with-runtime"])
        #expect(verdict == "valid")
        let libc = try ImageTools.run("dpkg-query", ["-W", "-f=${Version}?arch=${Architecture}", "libc6"]).output
        let purls = Self.components(document).compactMap { $0["purl"] as? String }
        let expected = "pkg:deb/debian/libc6@" + libc.replacingOccurrences(of: "+", with: "%2B")
        #expect(purls.contains(expected), "\(purls.filter { $0.hasPrefix("pkg:deb") })")
    }

    /// pgx and its siblings as Go modules from Debian's packages, with the package that supplied each.
    @Test(.enabled(if: BuiltApps.isBuilt(.go), BuiltApps.notBuilt(.go)))
    func goSBOMListsPgxFromDebianAndValidates() throws {
        let (verdict, document) = try Self.sbom(.go)
        #expect(verdict == "valid")
        let pgx = Self.components(document).first { $0["name"] as? String == "github.com/jackc/pgx/v4" }
        let debian = (pgx?["properties"] as? [[String: String]])?.first?["value"] ?? ""
        #expect(debian.hasPrefix("golang-github-jackc-pgx-v4-dev "))
        let version = pgx?["version"] as? String ?? "?"
        #expect(version.hasPrefix("v4.") && debian.contains(" \(version.dropFirst())-"))
    }

    /// pg at the version its package.json says.
    @Test(.enabled(if: BuiltApps.isBuilt(.node), BuiltApps.notBuilt(.node)))
    func nodeSBOMListsPgAndValidates() throws {
        let (verdict, document) = try Self.sbom(.node)
        #expect(verdict == "valid")
        let manifest = BuiltApps.buildDirectory(.node).appendingPathComponent("app/node_modules/pg/package.json")
        let pg = try JSONSerialization.jsonObject(with: Data(contentsOf: manifest)) as? [String: Any]
        let purls = Self.components(document).compactMap { $0["purl"] as? String }
        #expect(purls.contains("pkg:npm/pg@\(pg?["version"] as? String ?? "?")"))
    }

    @Test(.enabled(if: BuiltApps.isBuilt(.bun), BuiltApps.notBuilt(.bun)))
    func bunSBOMValidates() throws {
        let (verdict, document) = try Self.sbom(.bun)
        #expect(verdict == "valid")
        #expect(Self.components(document).count == 1)
    }

    /// Every pin of Package.resolved.
    @Test func swiftSBOMListsPackageResolvedAndValidates() throws {
        let (verdict, document) = try Self.sbom(.swift)
        #expect(verdict == "valid")
        let resolved = try String(
            contentsOf: BuiltApps.checkout.appendingPathComponent("Package.resolved"), encoding: .utf8)
        let pins = resolved.components(separatedBy: "\"identity\"").count - 1
        #expect(Self.components(document).count == pins)
        #expect(
            Self.components(document).contains {
                $0["purl"] as? String == "pkg:swift/github.com/apple/swift-nio@"
                    + (Self.version(of: "swift-nio", in: resolved) ?? "?")
            })
    }

    static func version(of identity: String, in resolved: String) -> String? {
        guard let range = resolved.range(of: "\"identity\" : \"\(identity)\"") else { return nil }
        let rest = resolved[range.upperBound...]
        guard let key = rest.range(of: "\"version\" : \"") else { return nil }
        return rest[key.upperBound...].split(separator: "\"").first.map(String.init)
    }
}

/// CycloneDX's schemas as cyclonedx-python-lib ships them, with jsonschema, in the test venv.
enum CycloneDXSchema {
    static let isInstalled = (try? PythonTools.python("import cyclonedx.validation.json, jsonschema").status) == 0
    static let missing: Comment =
        "needs cyclonedx-python-lib and jsonschema in the test venv (scripts/test.sh installs them)"
}
