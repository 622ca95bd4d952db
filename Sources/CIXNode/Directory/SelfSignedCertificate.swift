import Crypto
import Foundation
import SwiftASN1
import X509

/// The TLS certificate `cix init` makes so that `cix serve` runs with no other setup.
///
/// It is a self-signed P-256 CA certificate with path length 0, usable both as
/// the server's certificate and as the trust root a peer pins
/// (`cix peer add --ca`): key usage digitalSignature + keyCertSign, extended
/// key usage serverAuth + clientAuth, and subject alternative names for
/// `localhost`, 127.0.0.1, ::1 and the node's own host. That is the
/// combination measured to load in NIOSSL and verify in AsyncHTTPClient.
package enum SelfSignedCertificate {
    /// Returns (certificate PEM, private key PEM).
    package static func make(commonName: String, host: String?, now: Date) throws(NodeError) -> (String, String) {
        do {
            let key = P256.Signing.PrivateKey()
            let name = try DistinguishedName { CommonName(String(commonName.prefix(64))) }
            var names: [GeneralName] = [
                .dnsName("localhost"),
                .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                .ipAddress(ASN1OctetString(contentBytes: ArraySlice([UInt8](repeating: 0, count: 15) + [1]))),
            ]
            if let host, host != "localhost", host != "127.0.0.1", host != "::1" {
                if let address = IPv4Address(host) {
                    names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(address))))
                } else {
                    names.append(.dnsName(host))
                }
            }
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                SubjectAlternativeNames(names)
            }
            let certificate = try Certificate(
                version: .v3,
                serialNumber: Certificate.SerialNumber(),
                publicKey: Certificate.PublicKey(key.publicKey),
                notValidBefore: now.addingTimeInterval(-3_600),
                notValidAfter: now.addingTimeInterval(5 * 365 * 86_400),
                issuer: name,
                subject: name,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: extensions,
                issuerPrivateKey: Certificate.PrivateKey(key)
            )
            return (try certificate.serializeAsPEM().pemString, key.pemRepresentation)
        } catch {
            throw NodeError(.io, "cannot make a TLS certificate: \(error)")
        }
    }

    /// The four bytes of a dotted IPv4 address, or nil.
    static func IPv4Address(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        let bytes = parts.compactMap { UInt8($0) }
        return bytes.count == 4 ? bytes : nil
    }
}
