import Foundation
import StackLabCore

/// The packages of a `Cargo.lock` (versions 1 to 4): what cargo resolved for a build.
public struct CargoLock: Sendable, Equatable {
    public struct Package: Sendable, Equatable {
        public var name: String
        public var version: String
        /// `registry+https://…` for a crate from a registry; nil for the workspace's own packages.
        public var source: String?
    }

    public var packages: [Package]

    /// The third-party packages: those with a source (the workspace's own have none).
    public var dependencies: [Package] { packages.filter { $0.source != nil } }

    /// Reads `text`, the contents of the file `file` (named in errors).
    ///
    /// - Throws: `SpecError` naming the line and key of a `[[package]]` without a name or version, or a line that
    ///   is not `key = value`.
    public init(parsing text: String, file: String) throws {
        var packages: [Package] = []
        var problems: [SpecProblem] = []
        var current: (line: Int, fields: [String: String])?
        var inPackage = false
        var inArray = false
        func finish() {
            guard let block = current else { return }
            for key in ["name", "version"] where block.fields[key] == nil {
                problems.append(SpecProblem(line: block.line, keyPath: "package.\(key)", message: "missing"))
            }
            if let name = block.fields["name"], let version = block.fields["version"] {
                packages.append(Package(name: name, version: version, source: block.fields["source"]))
            }
            current = nil
        }
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if inArray {
                if line.hasPrefix("]") { inArray = false }
                continue
            }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[") {
                finish()
                inPackage = line == "[[package]]"
                if inPackage { current = (index + 1, [:]) }
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                problems.append(SpecProblem(line: index + 1, keyPath: "", message: "expected 'key = value'"))
                continue
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("[") && !value.hasSuffix("]") {
                inArray = true
                continue
            }
            guard inPackage, value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 else { continue }
            current?.fields[key] = String(value.dropFirst().dropLast())
        }
        finish()
        guard problems.isEmpty else { throw SpecError(file: file, problems: problems) }
        self.packages = packages
    }
}

extension CargoLock {
    /// The crates as resolved packages, each with the `license` its `Cargo.toml` states in the directory source
    /// (`/usr/share/cargo/registry/<name>-<version>/Cargo.toml`, where Debian's librust-*-dev put them).
    ///
    /// - Parameter manifest: the text of a crate's Cargo.toml, nil when it is not there.
    public func resolved(
        manifest: (Package) -> String?, debianPackage: (Package) -> String? = { _ in nil }
    )
        -> [ResolvedPackage]
    {
        dependencies.map { package in
            let license = manifest(package).flatMap(Self.license(inManifest:))
            return ResolvedPackage(
                ecosystem: .cargo, name: package.name, version: package.version, licenses: license.map { [$0] } ?? [],
                licenseIsExpression: true, debianPackage: debianPackage(package))
        }
    }

    /// The `license` of a Cargo.toml's `[package]` table; nil when it has none (a `license-file` is not read).
    static func license(inManifest text: String) -> String? {
        // Older crates write `MIT/Apache-2.0`, which SPDX reads as `MIT OR Apache-2.0`.
        packageValue("license", inManifest: text).map {
            $0.replacingOccurrences(of: "/", with: " OR ").split(separator: " ").joined(separator: " ")
        }
    }

    /// A string value of a Cargo.toml's `[package]` table (`name`, `version`, `license`).
    static func packageValue(_ key: String, inManifest text: String) -> String? {
        var inPackage = false
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                inPackage = line == "[package]"
                continue
            }
            guard inPackage, line.hasPrefix(key), let equals = line.firstIndex(of: "=") else { continue }
            guard line[..<equals].trimmingCharacters(in: .whitespaces) == key else { continue }
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 else { return nil }
            return String(value.dropFirst().dropLast())
        }
        return nil
    }

    /// The crate folders of a cargo directory source by `name@version`, as each folder's Cargo.toml names its
    /// crate (Debian names some folders otherwise: md-5 0.10.1 is in `md-0.10.1`).
    static func directorySource(_ registry: URL) -> [String: URL] {
        var crates: [String: URL] = [:]
        for folder in (try? FileManager.default.contentsOfDirectory(atPath: registry.path)) ?? [] {
            let directory = registry.appendingPathComponent(folder)
            guard let text = try? String(contentsOf: directory.appendingPathComponent("Cargo.toml"), encoding: .utf8),
                let name = packageValue("name", inManifest: text),
                let version = packageValue("version", inManifest: text)
            else { continue }
            crates["\(name)@\(version)"] = directory
        }
        return crates
    }
}
