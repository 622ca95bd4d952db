import CIXCanonicalJSON
import CIXCore
import CIXFederation
import CIXNode
import CIXStore
import CIXTesting
import Foundation
import Testing

/// The fault suite: tests that load or break real daemons, and time them.
///
/// They run only when `CIX_FAULT_SUITE` is set, in a run of their own, so
/// that nothing else competes for the machine while they measure:
///
///     CIX_FAULT_SUITE=short swift test --skip-build --filter CIXFaultTests   # what CI runs
///     CIX_FAULT_SUITE=long swift test --skip-build --filter CIXFaultTests    # before a release: many more cycles
enum FaultSuite {
    static var mode: String? { ProcessInfo.processInfo.environment["CIX_FAULT_SUITE"] }
    static var isLong: Bool { mode == "long" }

    /// How many times a repeated fault is caused: a short form for CI, a long one for releases.
    static func cycles(short: Int, long: Int) -> Int { isLong ? long : short }
}

extension Trait where Self == ConditionTrait {
    /// Runs the suite only in the fault suite's own run (`CIX_FAULT_SUITE=short|long`).
    static var faultSuite: Self {
        .enabled(
            if: FaultSuite.mode != nil,
            "the fault suite runs on its own: CIX_FAULT_SUITE=short swift test --filter CIXFaultTests"
        )
    }
}

/// Every fault test, one after another: a test that times the node must not share the machine with another.
@Suite("Fault suite", .serialized, .faultSuite)
struct FaultRun {}

extension FaultRun {
    /// A signed push of `events` to `url`, as a peer sends it, with the answer's headers.
    static func push(
        _ events: [Event],
        to url: String,
        caPEM: String,
        as signer: RequestSigner
    ) async throws -> WebClient.Answer {
        let body: [UInt8] = events.flatMap { $0.bytes + [UInt8(0x0A)] }
        let headers = signer.headers(
            method: "POST",
            path: "/federation/v1/events",
            query: "",
            body: body,
            now: Int64(Date().timeIntervalSince1970)
        )
        return try await WebClient(url: url, caPEM: caPEM).request(
            .POST,
            "/federation/v1/events",
            headers: headers + [("Content-Type", "application/x-ndjson")],
            body: body
        )
    }

    /// The ids a push answer says are held (stored, or held already).
    static func acknowledged(_ answer: WebClient.Answer) -> [String] {
        guard answer.status == 200, let parsed = try? PushAnswer(json: answer.body) else { return [] }
        return parsed.results.compactMap { result in
            switch result.outcome {
            case .stored, .duplicate: result.id?.hex
            default: nil
            }
        }
    }

    /// A node to push from, known to the receiver in `directory` as its peer.
    static func pusher(for directory: NodeDirectory) throws -> (key: SigningKey, id: NodeID) {
        let key = SigningKey()
        let id = NodeID(genesisKey: key.publicKey)
        try LocalNode.open(directory).store.savePeer(
            Peer(
                node: id,
                url: "https://127.0.0.1:1",
                name: "Pusher",
                kind: "police",
                key: key.publicKey.hex,
                caPEM: nil,
                addedAt: .now()
            )
        )
        return (key, id)
    }

    /// A report signed by `key`, numbered so that each is new.
    static func report(_ number: Int, by key: SigningKey) throws -> Event {
        try EventDraft(
            .report(
                ReportBody(
                    title: "Streetlight out \(number)",
                    category: "street_lighting",
                    location: Location(latitude: 52.2, longitude: 0.12),
                    reporter: "r-\(number)"
                )
            ),
            issue: nil,
            prev: [],
            depth: 1,
            at: .now()
        ).sign(
            with: key,
            author: NodeID(genesisKey: key.publicKey),
            salt: (0..<16).map { _ in UInt8.random(in: 0...255) }
        )
    }

    /// Every event id a node's store holds.
    static func heldIDs(_ directory: NodeDirectory) throws -> Set<String> {
        let store = try LocalNode.open(directory).store
        var ids = Set<String>()
        var cursor: Int64 = 0
        while true {
            let page = try store.events(after: cursor, limit: 5_000)
            guard let last = page.last else { break }
            ids.formUnion(page.map(\.id))
            cursor = last.seq
        }
        return ids
    }
}
