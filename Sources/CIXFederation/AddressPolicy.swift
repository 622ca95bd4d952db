import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Which addresses this node may contact as peers.
///
/// By default only public ones: a peer URL whose host resolves to a loopback,
/// private, shared, link-local (cloud metadata included), multicast or
/// reserved address is refused before any connection, so that a peer's
/// descriptor cannot point this node at its own network. A federation on a
/// private network, or a test on one machine, allows them in cix.toml
/// (`[federation] allow_private_addresses = true`). Only `https` is ever
/// allowed. (The name is resolved again when the connection is made; a name
/// whose answers change in between is not caught here.)
package enum AddressPolicy: Sendable {
    case publicOnly
    case anyAddress

    /// Throws unless `url` is `https://HOST[:PORT]…` and, under `publicOnly`, every address of HOST is public.
    package func check(_ url: String) throws(FederationError) {
        guard let parsed = URL(string: url), parsed.scheme?.lowercased() == "https", let host = parsed.host,
            !host.isEmpty
        else {
            throw FederationError(
                .badRequest,
                "\(url) is not an https:// URL; nodes talk to each other over HTTPS only"
            )
        }
        guard self == .publicOnly else { return }
        let addresses = Self.resolve(host)
        guard !addresses.isEmpty else { throw FederationError(.unreachable, "\(host) does not resolve to any address") }
        if let inner = addresses.first(where: { !Self.isPublic($0) }) {
            throw FederationError(
                .badRequest,
                "\(host) resolves to \(inner), which is not a public address; peers on a private network need [federation] allow_private_addresses = true in cix.toml"
            )
        }
    }

    /// Every IPv4 and IPv6 address `host` resolves to, as text.
    static func resolve(_ host: String) -> [String] {
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name, nil, &hints, &list) == 0 else { return [] }
        defer { freeaddrinfo(list) }
        var addresses: [String] = []
        var cursor = list
        while let entry = cursor {
            var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(
                entry.pointee.ai_addr,
                entry.pointee.ai_addrlen,
                &text,
                socklen_t(text.count),
                nil,
                0,
                NI_NUMERICHOST
            ) == 0 {
                addresses.append(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
            cursor = entry.pointee.ai_next
        }
        return addresses
    }

    /// Whether an address (IPv4 dotted or IPv6 text) is on the public internet.
    static func isPublic(_ address: String) -> Bool {
        if let v4 = ipv4(address) { return isPublicV4(v4) }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address.split(separator: "%").first.map(String.init) ?? address, &v6) == 1 else {
            return false
        }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return isPublicV4(bytes[12..<16].reduce(0) { $0 << 8 | UInt32($1) })  // IPv4-mapped
        }
        // :: and ::1
        if bytes.allSatisfy({ $0 == 0 }) || bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return false }
        if bytes[0] & 0xFE == 0xFC { return false }  // fc00::/7 unique local
        if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return false }  // fe80::/10 link-local
        if bytes[0] == 0xFF { return false }  // multicast
        // 2001:db8::/32, for documentation
        if bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0D && bytes[3] == 0xB8 { return false }
        if bytes[0..<4] == [0x00, 0x64, 0xFF, 0x9B] { return false }  // NAT64, which can reach private IPv4
        return true
    }

    static func ipv4(_ address: String) -> UInt32? {
        var v4 = in_addr()
        guard inet_pton(AF_INET, address, &v4) == 1 else { return nil }
        return UInt32(bigEndian: v4.s_addr)
    }

    static func isPublicV4(_ address: UInt32) -> Bool {
        let blocked: [(UInt32, UInt32)] = [
            (0x0000_0000, 8), (0x0A00_0000, 8), (0x6440_0000, 10), (0x7F00_0000, 8), (0xA9FE_0000, 16),
            (0xAC10_0000, 12), (0xC000_0000, 24), (0xC000_0200, 24), (0xC0A8_0000, 16), (0xC612_0000, 15),
            (0xC633_6400, 24), (0xCB00_7100, 24), (0xE000_0000, 4), (0xF000_0000, 4),
        ]
        return !blocked.contains { network, bits in address >> (32 - bits) == network >> (32 - bits) }
    }
}
