import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXTesting
import Foundation
import Testing

@testable import CIXFederation

/// Nodes talk over HTTPS only, and by default only to public addresses.
@Suite("Peer addresses", .serialized)
struct AddressPolicyTests {
    @Test(arguments: [
        ("8.8.8.8", true), ("93.184.216.34", true), ("127.0.0.1", false), ("127.9.9.9", false), ("10.1.2.3", false),
        ("172.16.0.1", false), ("172.31.255.255", false), ("172.32.0.1", true), ("192.168.1.1", false),
        ("169.254.169.254", false), ("100.64.0.1", false), ("0.0.0.0", false), ("224.0.0.1", false),
        ("2001:4860:4860::8888", true), ("::1", false), ("::", false), ("fd00:ec2::254", false), ("fe80::1", false),
        ("::ffff:127.0.0.1", false), ("::ffff:8.8.8.8", true), ("2001:db8::1", false), ("64:ff9b::a00:1", false),
    ])
    func publicAddressesAreTold(_ address: String, _ isPublic: Bool) {
        #expect(AddressPolicy.isPublic(address) == isPublic)
    }

    @Test func onlyHTTPSIsEverAllowed() {
        for url in ["http://127.0.0.1:8443", "ftp://example.org", "https://", "127.0.0.1:8443"] {
            #expect(throws: FederationError.self) { try AddressPolicy.anyAddress.check(url) }
        }
        #expect(throws: FederationError.self) { try AddressPolicy.publicOnly.check("https://127.0.0.1:8443") }
        #expect(throws: FederationError.self) { try AddressPolicy.publicOnly.check("https://localhost:8443") }
    }

    @Test func aPeerIsRefusedBeforeAnyConnectionUnlessPrivateAddressesAreAllowed() async throws {
        let folder = TemporaryDirectory("addresses")
        defer { folder.remove() }
        let node = try LocalNode.create(
            in: NodeDirectory(path: folder.file("council").path),
            name: "Council",
            kind: .council,
            url: "https://127.0.0.1:1",
            listen: nil,
            now: .now()
        )
        let peer = try await FakePeer.start()
        do {
            // A strict peer that expects nothing: any request would be recorded.
            await #expect(throws: FederationError.self) {
                _ = try await PeerSync(node: node).addPeer(url: peer.url, caPEM: peer.caPEM, now: .now())
            }
            let plain = peer.url.replacingOccurrences(of: "https://", with: "http://")
            do {
                _ = try await PeerSync(node: node).addPeer(url: plain, caPEM: peer.caPEM, now: .now())
                Issue.record("an http:// peer was added")
            } catch let error as FederationError {
                #expect(error.message.contains("HTTPS only"))
            }
            try await peer.verify()
            #expect(await peer.received.isEmpty)
        } catch {
            await peer.stop()
            throw error
        }
        await peer.stop()
    }

    @Test func aDescriptorMustNameAnHTTPSURL() throws {
        for url in ["http://council.example", "https://", "https://user@host", "council.example"] {
            #expect(throws: CoreError.self) {
                try NodeDescriptor.make(
                    node: FixedKeys.council.id,
                    name: "Council",
                    kind: .council,
                    url: url,
                    version: 1,
                    at: .now(),
                    signer: FixedKeys.council.key
                )
            }
        }
        #expect(
            try NodeDescriptor.make(
                node: FixedKeys.council.id,
                name: "Council",
                kind: .council,
                url: "https://[::1]:8443",
                version: 1,
                at: .now(),
                signer: FixedKeys.council.key
            ).url == "https://[::1]:8443"
        )
    }
}
