import Foundation
import StackLabCore

/// A self-signed certificate for one run's TLS gateway, made with the `openssl` command line.
///
/// Valid for `127.0.0.1` and `localhost` (subject alternative names) for two days; the load engine connects
/// with verification off, and a client that trusts the certificate file verifies it properly.
public enum TLSCertificate {
    /// The key type: the `tls_key` setting of a component.
    public enum KeyType: String, Sendable, Equatable, CaseIterable {
        /// ECDSA on P-256, the default: what current TLS deployments use.
        case ecdsaP256 = "ecdsa-p256"
        /// RSA 2048, for the cost of the handshake most of the web still pays.
        case rsa2048 = "rsa2048"

        /// Reads the `tls_key` setting; a missing one is ECDSA P-256.
        ///
        /// - Throws: `UserError` naming the component and the accepted values.
        public init(setting: String?, component: String) throws {
            guard let setting else {
                self = .ecdsaP256
                return
            }
            switch setting.lowercased() {
            case "ecdsa-p256", "ecdsa", "p256", "p-256", "ec": self = .ecdsaP256
            case "rsa2048", "rsa-2048", "rsa": self = .rsa2048
            default:
                throw UserError(
                    "component '\(component)': tls_key '\(setting)' is not known; use ecdsa-p256 (the default) or rsa2048"
                )
            }
        }

        var opensslKeyArguments: [String] {
            switch self {
            case .ecdsaP256: ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
            case .rsa2048: ["-newkey", "rsa:2048"]
            }
        }
    }

    /// Writes `cert.pem`, `key.pem` and `bundle.pem` (both, for HAProxy) into `directory`; the key and the
    /// bundle are 0600 and the directory 0700.
    ///
    /// - Throws: `UserError` when openssl is missing or fails, with its output.
    public static func generate(
        in directory: URL, keyType: KeyType, commonName: String
    ) throws
        -> GatewayConfiguration.TLSFiles
    {
        // The key and the bundle are private to this user, and so is the directory they are in.
        try SecretFile.makeDirectory(directory)
        let certificate = directory.appendingPathComponent("cert.pem")
        let key = directory.appendingPathComponent("key.pem")
        let bundle = directory.appendingPathComponent("bundle.pem")
        let arguments =
            ["req", "-x509"] + keyType.opensslKeyArguments + [
                "-nodes", "-days", "2", "-subj", "/CN=\(commonName)",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", key.path, "-out", certificate.path,
            ]
        try openssl(arguments, making: "a certificate")
        let pem = try Data(contentsOf: certificate) + Data(contentsOf: key)
        try SecretFile.write(pem, to: bundle)
        return GatewayConfiguration.TLSFiles(certificate: certificate.path, key: key.path, bundle: bundle.path)
    }
}
