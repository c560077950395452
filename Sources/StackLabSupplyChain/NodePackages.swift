import Foundation
import StackLabCore

/// The npm packages a Node.js app loads: from its `package-lock.json` (lockfile versions 2 and 3), or, where the
/// modules came from elsewhere (Debian's node-pg), by walking `node_modules` from the app's `package.json`
/// as Node's resolver does.
public enum NodePackages {
    /// The `packages` of a package-lock.json, the root (`""`) left out: each `node_modules/<name>` entry with
    /// its version and license.
    ///
    /// - Throws: `SpecError` naming the key of an entry without a version, or a file that is not a lockfile.
    public static func lockfile(_ data: Data, file: String) throws -> [ResolvedPackage] {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw SpecError(file: file, problems: [SpecProblem(line: 1, keyPath: "", message: "not a JSON object")])
        }
        guard let entries = root["packages"] as? [String: Any] else {
            let version = root["lockfileVersion"].map { "\($0)" } ?? "none"
            throw SpecError(
                file: file,
                problems: [
                    SpecProblem(
                        line: 1, keyPath: "packages",
                        message: "missing (lockfileVersion \(version)); npm 7 or later writes it, run 'npm install'")
                ])
        }
        var packages: [ResolvedPackage] = []
        var problems: [SpecProblem] = []
        for (path, value) in entries.sorted(by: { $0.key < $1.key }) where !path.isEmpty {
            guard let entry = value as? [String: Any], let marker = path.range(of: "node_modules/", options: .backwards)
            else { continue }
            if entry["link"] as? Bool == true { continue }
            guard let version = entry["version"] as? String else {
                problems.append(SpecProblem(line: 1, keyPath: "packages.\(path).version", message: "missing"))
                continue
            }
            let name = entry["name"] as? String ?? String(path[marker.upperBound...])
            packages.append(npm(name: name, version: version, license: entry["license"]))
        }
        guard problems.isEmpty else { throw SpecError(file: file, problems: problems) }
        return packages
    }

    /// The packages `package.json` in `app` depends on, and theirs, found in `node_modules` folders the way Node
    /// resolves them (the nearest `node_modules` up from the requiring package), each once, in the order reached.
    ///
    /// - Throws: `UserError` naming a dependency that is not installed, and the package that needs it.
    public static func installed(app: URL) throws -> [ResolvedPackage] {
        var found: [ResolvedPackage] = []
        var visited = Set<String>()
        var queue: [(directory: URL, manifest: [String: Any])] = [(app, try manifest(in: app))]
        while !queue.isEmpty {
            let (directory, manifest) = queue.removeFirst()
            let dependencies = (manifest["dependencies"] as? [String: Any] ?? [:]).keys.sorted()
            for name in dependencies {
                guard let location = resolve(name, from: directory) else {
                    let who = manifest["name"] as? String ?? directory.path
                    throw UserError(
                        "\(who) depends on \(name), which no node_modules above \(directory.path) holds", exitCode: 1)
                }
                let real = location.resolvingSymlinksInPath()
                guard visited.insert(real.path).inserted else { continue }
                let package = try Self.manifest(in: location)
                found.append(
                    npm(
                        name: package["name"] as? String ?? name, version: package["version"] as? String ?? "",
                        license: package["license"]))
                queue.append((location, package))
            }
        }
        return found
    }

    static func manifest(in directory: URL) throws -> [String: Any] {
        let file = directory.appendingPathComponent("package.json")
        guard let data = try? Data(contentsOf: file),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            throw UserError("\(file.path): missing or not a JSON object", exitCode: 1)
        }
        return object
    }

    /// `node_modules/<name>` in `directory` or the nearest folder above it that has one.
    static func resolve(_ name: String, from directory: URL) -> URL? {
        var current = directory
        while true {
            let candidate = current.appendingPathComponent("node_modules").appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("package.json").path) {
                return candidate
            }
            if current.path == "/" { return nil }
            current.deleteLastPathComponent()
        }
    }

    /// A `pkg:npm` package; `license` as package.json writes it: an SPDX expression, or the old `{ "type": … }`.
    static func npm(name: String, version: String, license: Any?) -> ResolvedPackage {
        let text = (license as? String) ?? ((license as? [String: Any])?["type"] as? String)
        return ResolvedPackage(
            ecosystem: .npm, name: name, version: version, licenses: text.map { [$0] } ?? [],
            licenseIsExpression: true)
    }
}
