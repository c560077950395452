import Crypto
import Foundation
import _CryptoExtras

/// The password scrambles of the auth plugins this client speaks.
enum MySQLAuthentication {
    static let nativePassword = "mysql_native_password"
    static let cachingSHA2Password = "caching_sha2_password"

    /// What to send for `plugin`; nil for a plugin this client does not know.
    static func response(plugin: String, password: String, scramble: [UInt8]) -> [UInt8]? {
        switch plugin {
        case nativePassword: nativeScramble(password: password, scramble: scramble)
        case cachingSHA2Password: cachingSHA2Scramble(password: password, scramble: scramble)
        default: nil
        }
    }

    /// `mysql_native_password`: SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password))); empty for no password.
    static func nativeScramble(password: String, scramble: [UInt8]) -> [UInt8] {
        guard !password.isEmpty else { return [] }
        let stage1 = Array(Insecure.SHA1.hash(data: Array(password.utf8)))
        let stage2 = Array(Insecure.SHA1.hash(data: stage1))
        let mask = Array(Insecure.SHA1.hash(data: Array(scramble.prefix(20)) + stage2))
        return zip(stage1, mask).map { $0 ^ $1 }
    }

    /// `caching_sha2_password`'s fast path: SHA256(password) XOR SHA256(SHA256(SHA256(password)) + scramble).
    static func cachingSHA2Scramble(password: String, scramble: [UInt8]) -> [UInt8] {
        guard !password.isEmpty else { return [] }
        let stage1 = Array(SHA256.hash(data: Array(password.utf8)))
        let stage2 = Array(SHA256.hash(data: stage1))
        let mask = Array(SHA256.hash(data: stage2 + Array(scramble.prefix(20))))
        return zip(stage1, mask).map { $0 ^ $1 }
    }

    /// `caching_sha2_password`'s full authentication without TLS: the NUL-terminated password XOR the
    /// scramble, encrypted with RSA-OAEP (SHA-1) under the server's public key.
    static func encryptedPassword(_ password: String, scramble: [UInt8], publicKeyPEM: String) throws -> [UInt8] {
        let plain = Array(password.utf8) + [0]
        let seed = Array(scramble.prefix(20))
        let masked = plain.enumerated().map { $0.element ^ seed[$0.offset % seed.count] }
        do {
            let key = try _RSA.Encryption.PublicKey(unsafePEMRepresentation: publicKeyPEM)
            return Array(try key.encrypt(masked, padding: .PKCS1_OAEP))
        } catch {
            throw MySQLError.authentication(
                "cannot encrypt the password with the server's RSA key (\(error)); use mysql_native_password for "
                    + "this user, or a server with a cached login")
        }
    }
}
