import Foundation
import Testing

@testable import StackLabMySQL

/// The auth plugins' scrambles, checked against the same formulas computed with `openssl dgst`.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"), "openssl is not installed"))
struct MySQLScrambleTests {
    let scramble: [UInt8] = Array("0123456789abcdefghij".utf8)

    /// Runs openssl with `input` on its standard input and returns its standard output.
    func openssl(_ arguments: [String], input: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(output)
    }

    func digest(_ algorithm: String, _ input: [UInt8]) throws -> [UInt8] {
        try openssl(["dgst", "-\(algorithm)", "-binary"], input: input)
    }

    @Test(arguments: ["secret", "pässwörd-with-ütf8", String(repeating: "long", count: 40)])
    func nativePasswordMatchesOpenSSL(password: String) throws {
        let stage1 = try digest("sha1", Array(password.utf8))
        let stage2 = try digest("sha1", stage1)
        let mask = try digest("sha1", scramble + stage2)
        let expected = zip(stage1, mask).map { $0 ^ $1 }
        #expect(expected.count == 20)
        #expect(MySQLAuthentication.nativeScramble(password: password, scramble: scramble) == expected)
    }

    @Test(arguments: ["secret", "pässwörd-with-ütf8"])
    func cachingSHA2MatchesOpenSSL(password: String) throws {
        let stage1 = try digest("sha256", Array(password.utf8))
        let stage2 = try digest("sha256", stage1)
        let mask = try digest("sha256", stage2 + scramble)
        let expected = zip(stage1, mask).map { $0 ^ $1 }
        #expect(expected.count == 32)
        #expect(MySQLAuthentication.cachingSHA2Scramble(password: password, scramble: scramble) == expected)
    }

    @Test func emptyPasswordSendsNothing() {
        #expect(MySQLAuthentication.nativeScramble(password: "", scramble: scramble).isEmpty)
        #expect(MySQLAuthentication.cachingSHA2Scramble(password: "", scramble: scramble).isEmpty)
    }

    /// Full caching_sha2 authentication: what openssl decrypts with the private key is the password,
    /// NUL-terminated, XOR the scramble.
    @Test func rsaEncryptedPasswordDecryptsWithOpenSSL() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mysql-rsa-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let privateKey = directory.appendingPathComponent("private.pem").path
        _ = try openssl(
            ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", privateKey], input: [])
        let publicPEM = String(decoding: try openssl(["pkey", "-in", privateKey, "-pubout"], input: []), as: UTF8.self)
        #expect(publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----"))

        let encrypted = try MySQLAuthentication.encryptedPassword(
            "secret", scramble: scramble, publicKeyPEM: publicPEM)
        #expect(encrypted.count == 256)
        let decrypted = try openssl(
            ["pkeyutl", "-decrypt", "-inkey", privateKey, "-pkeyopt", "rsa_padding_mode:oaep"], input: encrypted)
        let password = decrypted.enumerated().map { $0.element ^ scramble[$0.offset % 20] }
        #expect(password == Array("secret".utf8) + [0])
    }
}
