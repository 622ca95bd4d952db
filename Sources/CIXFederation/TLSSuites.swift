/// The TLS 1.2 cipher suites nodes offer and accept: ECDHE key exchange
/// (forward secrecy) with AEAD ciphers only, for ECDSA certificates (what
/// `cix init` makes) and RSA ones (what an operator may bring). No CBC, no
/// SHA-1 MAC, no static RSA. TLS 1.3's suites are all AEAD with ECDHE and
/// are not affected.
package enum TLSSuites {
    package static let tls12 = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305",
        "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")
}
