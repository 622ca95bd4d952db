import CIXCore

/// Signs this node's requests to its peers (RFC 9421, see `HTTPSignature`).
package struct RequestSigner: Sendable {
    package let node: NodeID
    package let key: SigningKey

    package init(node: NodeID, key: SigningKey) {
        self.node = node
        self.key = key
    }

    package func headers(method: String, path: String, query: String, body: [UInt8], now: Int64) -> [(String, String)] {
        var generator = SystemRandomNumberGenerator()
        let nonce = Hex.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
        return HTTPSignature.sign(
            .init(method: method, path: path, query: query, body: body),
            node: node,
            key: key,
            created: now,
            nonce: nonce
        )
    }
}
