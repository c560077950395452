import Foundation
import StackLabCore
import Testing

@testable import StackLabLocal

/// Files holding a secret are their owner's alone: 0600, in 0700 directories.
struct SecretFileTests {
    func mode(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    @Test(.enabled(if: ExecutableLookup.find("openssl", includeSystemDirectories: true) != nil, "needs openssl"))
    func aTLSGatewaysKeyAndBundleArePrivate() throws {
        let directory = makeRunDirectory().appendingPathComponent("gw/tls")
        let files = try TLSCertificate.generate(in: directory, keyType: .ecdsaP256, commonName: "stacklab-gw")
        #expect(try String(contentsOfFile: files.bundle, encoding: .utf8).contains("PRIVATE KEY"))
        #expect(mode(files.bundle) == 0o600)
        #expect(mode(files.key) == 0o600)
        #expect(mode(directory.path) == 0o700)
    }

    @Test func aSecretIsNeverWiderThan0600EvenOverAnOldFile() throws {
        let directory = makeRunDirectory()
        let file = directory.appendingPathComponent("secret")
        try "old".write(to: file, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        try SecretFile.write("new", to: file)
        #expect(mode(file.path) == 0o600)
        #expect(try String(contentsOf: file, encoding: .utf8) == "new")
    }
}
