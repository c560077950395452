import Foundation

extension AppSBOM {
    /// The Debian packages an image of the app ships besides the app: those holding `executable` (an interpreter
    /// such as node) and each shared library `ldd` resolves for it, as `pkg:deb` with their copyright licenses.
    /// Files no Debian package installed (the Swift runtime under /opt/swift, the app itself) are not listed.
    public func runtimePackages(executable: URL) throws -> [ResolvedPackage] {
        let files = [executable.path] + (try SharedLibraryClosure.of(executable.path))
        // With /lib a link to /usr/lib, ldd prints one path and dpkg may know the file by the other.
        let candidates = files.map { file in
            let real = URL(fileURLWithPath: file).resolvingSymlinksInPath().path
            return [file, real, "/usr" + file, "/usr" + real].filter { !$0.hasPrefix("/usr/usr/") }
        }
        let owners = debian.owners(of: Array(Set(candidates.joined())).sorted())
        let installed = debian.resolved(Array(owners.values))
        var seen = Set<String>()
        return candidates.compactMap { paths in
            guard let owner = paths.lazy.compactMap({ owners[$0] }).first, let package = installed[owner],
                seen.insert(package.purl).inserted
            else { return nil }
            return package
        }
    }
}
