import Foundation
import StackLabCore

extension TLSCertificate {
    /// A certificate authority made for one run, with the `openssl` command line: it signs the certificates of the
    /// run's TLS and mutual-TLS hops, and every component that verifies a peer trusts it alone.
    ///
    /// Its key never leaves the run directory (0600, in a 0700 directory) and the certificate is valid for two
    /// days, so nothing it signed outlives the run by much.
    public struct Authority: Sendable, Equatable {
        /// The authority's certificate, PEM: what a verifying component trusts.
        public var certificate: String
        /// Its private key, PEM, 0600.
        public var key: String
    }

    /// Makes a new authority in `directory` (`ca.pem`, `ca-key.pem`).
    ///
    /// - Throws: `UserError` when openssl is missing or fails, with its output.
    public static func makeAuthority(in directory: URL, keyType: KeyType = .ecdsaP256) throws -> Authority {
        try SecretFile.makeDirectory(directory)
        let certificate = directory.appendingPathComponent("ca.pem")
        let key = directory.appendingPathComponent("ca-key.pem")
        try openssl(
            ["req", "-x509"] + keyType.opensslKeyArguments + [
                "-nodes", "-days", "2", "-subj", "/CN=StackLab run CA",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout", key.path, "-out", certificate.path,
            ], making: "a certificate authority")
        try restrict(key)
        return Authority(certificate: certificate.path, key: key.path)
    }

    /// Issues a certificate signed by `authority` into `directory` (`cert.pem`, `key.pem`, `bundle.pem`), for a
    /// server (valid for `127.0.0.1` and `localhost`), a client, or both; the key and the bundle are 0600.
    ///
    /// - Parameters:
    ///   - name: the certificate's common name (a component's name).
    ///   - server: whether it may serve TLS (extended key usage serverAuth).
    ///   - client: whether it may authenticate a client (clientAuth), as a mutual-TLS hop's sender presents.
    ///   - identity: a mesh identity (`MeshIdentity`): the certificate then also carries its SPIFFE ID as a URI
    ///     subject alternative name, which a peer's proxy matches (`spiffe://stacklab.local/ns/default/sa/app`).
    /// - Throws: `UserError` when openssl is missing or fails, with its output.
    public static func issue(
        by authority: Authority, in directory: URL, name: String, server: Bool, client: Bool,
        identity: String? = nil, keyType: KeyType = .ecdsaP256
    ) throws -> GatewayConfiguration.TLSFiles {
        precondition(server || client, "a certificate is issued for a server, a client or both")
        try SecretFile.makeDirectory(directory)
        let certificate = directory.appendingPathComponent("cert.pem")
        let key = directory.appendingPathComponent("key.pem")
        let request = directory.appendingPathComponent("request.csr")
        let extensions = directory.appendingPathComponent("extensions.cnf")
        let usages = (server ? ["serverAuth"] : []) + (client ? ["clientAuth"] : [])
        var lines = [
            "basicConstraints = critical, CA:FALSE",
            "keyUsage = critical, digitalSignature, keyEncipherment",
            "extendedKeyUsage = " + usages.joined(separator: ", "),
        ]
        let names =
            (identity.map { ["URI:" + MeshIdentity.spiffeID($0)] } ?? [])
            + (server ? ["IP:127.0.0.1", "DNS:localhost"] : [])
        if !names.isEmpty { lines.append("subjectAltName = " + names.joined(separator: ", ")) }
        try (lines.joined(separator: "\n") + "\n").write(to: extensions, atomically: true, encoding: .utf8)
        try openssl(
            ["req", "-new"] + keyType.opensslKeyArguments + [
                "-nodes", "-subj", "/CN=\(name)", "-keyout", key.path, "-out", request.path,
            ], making: "a key for \(name)")
        try restrict(key)
        // A random serial: certificates of one authority must not share one, and no serial file is kept.
        let serial = "0x" + String(UInt64.random(in: 1...UInt64.max), radix: 16)
        try openssl(
            [
                "x509", "-req", "-in", request.path, "-CA", authority.certificate, "-CAkey", authority.key,
                "-set_serial", serial, "-days", "2", "-extfile", extensions.path, "-out", certificate.path,
            ], making: "a certificate for \(name)")
        try? FileManager.default.removeItem(at: request)
        let bundle = directory.appendingPathComponent("bundle.pem")
        try SecretFile.write(try Data(contentsOf: certificate) + Data(contentsOf: key), to: bundle)
        return GatewayConfiguration.TLSFiles(certificate: certificate.path, key: key.path, bundle: bundle.path)
    }

    /// Makes sure a key openssl wrote is 0600 (it creates keys so, but not a file that was there before).
    static func restrict(_ url: URL) throws {
        guard chmod(url.path, SecretFile.fileMode) == 0 else {
            throw UserError("cannot make \(url.path) private: \(String(cString: strerror(errno)))")
        }
    }

    /// Runs `openssl` and throws its output when it fails.
    static func openssl(_ arguments: [String], making what: String) throws {
        let outcome: HelperCommand.Outcome
        do {
            outcome = try HelperCommand.capture("openssl", arguments)
        } catch let error as UserError {
            throw UserError(error.message + "; TLS needs openssl: apt-get install openssl")
        }
        guard outcome.status == 0 else {
            throw UserError(
                "openssl could not make \(what) (exit status \(outcome.status)): "
                    + outcome.output.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}
