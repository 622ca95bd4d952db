import HTTPTypes

/// Header names the node reads or writes that HTTPTypes does not name.
extension HTTPField.Name {
    static let signatureInput = known("Signature-Input")
    static let signature = known("Signature")
    static let cixNode = known("CIX-Node")
    static let xFrameOptions = known("X-Frame-Options")
    static let referrerPolicy = known("Referrer-Policy")
    static let crossOriginOpenerPolicy = known("Cross-Origin-Opener-Policy")

    /// A name written in this file: always a valid token.
    private static func known(_ name: String) -> Self {
        guard let field = Self(name) else { preconditionFailure("\(name) is not a valid header name") }
        return field
    }
}
