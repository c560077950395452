import Foundation

/// What dpkg knows of the files a build used: which Debian package installed a path, its version, and the
/// licenses its copyright file states.
public struct DebianPackages: Sendable {
    /// Where dpkg keeps the documentation (`/usr/share/doc/<package>/copyright`).
    public var documentation: URL

    public init(documentation: URL = URL(fileURLWithPath: "/usr/share/doc")) {
        self.documentation = documentation
    }

    /// The package that installed each of `paths` (`libc6:amd64`), in one `dpkg-query -S`; a path dpkg knows
    /// nothing of is left out.
    public func owners(of paths: [String]) -> [String: String] {
        guard !paths.isEmpty, let outcome = try? ToolRun.capture("dpkg-query", ["-S"] + paths) else { return [:] }
        var owners: [String: String] = [:]
        for path in paths {
            if let owner = Self.owner(inSearchOutput: outcome.stdout, path: path) { owners[path] = owner }
        }
        return owners
    }

    /// The package of a `dpkg-query -S` line that names exactly `path`: `libc6:amd64: /lib/x86_64-linux-gnu/libc.so.6`.
    static func owner(inSearchOutput output: String, path: String) -> String? {
        for line in output.split(separator: "\n") {
            guard let range = line.range(of: ": /") else { continue }
            let packages = line[..<range.lowerBound]
            let listed = line[line.index(range.lowerBound, offsetBy: 2)...]
            // Diversions ("diversion by …") and several owners ("a, b: path") take the first owner.
            guard listed == path, !packages.hasPrefix("diversion") else { continue }
            return packages.split(separator: ",").first.map { String($0.trimmingCharacters(in: .whitespaces)) }
        }
        return nil
    }

    /// Each installed package of `packages` as a `pkg:deb` dependency with the licenses its copyright file
    /// states, in one `dpkg-query -W`; keyed by the names as given.
    public func resolved(_ packages: [String]) -> [String: ResolvedPackage] {
        let unique = Array(Set(packages)).sorted()
        guard !unique.isEmpty,
            let outcome = try? ToolRun.capture(
                "dpkg-query", ["-W", "-f=${Package} ${Version} ${Architecture}\n"] + unique)
        else { return [:] }
        var installed: [String: (String, String)] = [:]
        for line in outcome.stdout.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            if fields.count == 3 { installed[fields[0]] = (fields[1], fields[2]) }
        }
        var found: [String: ResolvedPackage] = [:]
        for package in unique {
            let name = Self.name(package)
            guard let (version, architecture) = installed[name] else { continue }
            var resolved = ResolvedPackage(ecosystem: .deb, name: name, version: version, licenses: licenses(of: name))
            resolved.debianArchitecture = architecture
            found[package] = resolved
        }
        return found
    }

    /// `libc6` of `libc6:amd64`.
    static func name(_ package: String) -> String {
        package.split(separator: ":").first.map(String.init) ?? package
    }

    /// The `License:` names of `package`'s machine-readable copyright file; empty when it is free-form or missing.
    public func licenses(of package: String) -> [String] {
        let name = Self.name(package)
        let file = documentation.appendingPathComponent(name).appendingPathComponent("copyright")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        return Self.licenses(inCopyright: text)
    }

    /// The licenses of a DEP-5 copyright file (debian.org/doc/packaging-manuals/copyright-format/1.0): the first
    /// line of each `License:` field of a `Files:` paragraph, in order, once each, leaving out the packaging's own
    /// (`Files: debian/*`). A file not in that format states no license StackLab can read: empty.
    static func licenses(inCopyright text: String) -> [String] {
        guard text.hasPrefix("Format:"), text.split(separator: "\n").first?.contains("copyright-format") == true else {
            return []
        }
        var found: [String] = []
        for paragraph in text.components(separatedBy: "\n\n") {
            var files: String?
            var license: String?
            var field: String?
            for line in paragraph.split(separator: "\n") {
                if line.first == " " || line.first == "\t" {
                    if field == "Files", files?.isEmpty == true { files = line.trimmingCharacters(in: .whitespaces) }
                    continue
                }
                guard let colon = line.firstIndex(of: ":") else { continue }
                field = String(line[..<colon])
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if field == "Files" { files = value }
                if field == "License" { license = value }
            }
            guard let files, let license, !license.isEmpty else { continue }
            let patterns = files.split(separator: " ")
            if !patterns.isEmpty && patterns.allSatisfy({ $0.hasPrefix("debian/") }) { continue }
            if !found.contains(license) { found.append(license) }
        }
        return found
    }
}
