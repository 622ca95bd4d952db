import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXStore
import CIXTesting
import Foundation
import Testing

@testable import CIXFederation

extension FaultRun {
    /// An acknowledgement means the write is on disk: a daemon whose syncs fail
    /// acknowledges nothing, and stores everything once they work again.
    @Suite("Acknowledged means durable")
    struct DurabilityTests {
        /// A report posted through the public form, with a fresh anti-forgery session.
        func postReport(to client: WebClient, title: String) async throws -> WebClient.Answer {
            let (cookie, token) = try await client.formSession("/report")
            return try await client.post(
                "/report",
                [
                    ("csrf", token), ("category", "pothole"), ("title", title), ("lat", "52.2"), ("lon", "0.12"),
                    ("email", "resident@example.org"),
                ],
                headers: [("Cookie", cookie), ("Origin", client.url)]
            )
        }

        @Test func aDaemonWhoseSyncsFailAcknowledgesNothingAndStoresItAllOnceTheyWork() async throws {
            let folder = TemporaryDirectory("durability")
            defer { folder.remove() }
            // Given a council daemon (a real `cix serve` process) that peers with a police node…
            let directory = NodeDirectory(path: folder.file("council").path)
            let council = try LocalNode.create(
                in: directory,
                name: "Council",
                kind: .council,
                url: "https://127.0.0.1:1",
                listen: "127.0.0.1:0",
                web: WebConfig(tiles: ""),
                allowPrivateAddresses: true,
                now: .now()
            )
            let police = try await LiveNode.start("police", kind: .police, in: folder)
            let daemon = try await Daemon.start(directory, arguments: ["--pull-interval", "3600"])
            defer { daemon.stop() }
            let councilPEM = council.certificatePEM
            let signer = RequestSigner(node: police.id, key: police.node.key)
            let site = WebClient(url: daemon.url, caPEM: councilPEM)
            do {
                _ = try await PeerSync(node: council)
                    .addPeer(url: police.url, caPEM: police.caPEM, now: .now())
                let before = try police.node.report(
                    ReportSubmission(title: "Before", category: "pothole", latitude: 52.2, longitude: 0.1),
                    now: .now()
                )
                #expect(try await FaultRun.push([before], to: daemon.url, caPEM: councilPEM, as: signer).status == 200)

                // …when every fsync and fdatasync of the daemon fails…
                let batches = try (0..<3).map { batch in
                    try (0..<2).map { index in
                        try police.node.report(
                            ReportSubmission(
                                title: "Batch \(batch) report \(index)",
                                category: "pothole",
                                latitude: 52.2,
                                longitude: 0.1
                            ),
                            now: .now()
                        )
                    }
                }
                let fault = try await SyncFault.attach(to: daemon.pid, log: folder.file("strace.log"))
                var answers: [WebClient.Answer] = []
                for batch in batches {
                    answers.append(try await FaultRun.push(batch, to: daemon.url, caPEM: councilPEM, as: signer))
                }
                var forms: [WebClient.Answer] = []
                for index in 0..<2 {
                    forms.append(try await postReport(to: site, title: "Form during the fault \(index)"))
                }
                let injected = fault.injected
                fault.lift()

                // …then nothing was acknowledged: every push and form post was told to come back later…
                #expect(injected > 0, "strace injected no failure:\n\(fault.text)")
                for answer in answers {
                    #expect(answer.status == 503, "\(answer.status) \(answer.text)")
                    #expect(answer.header("retry-after") == "30")
                    #expect(answer.text.contains("storage_unavailable") && !answer.text.contains("SQLite"))
                }
                for answer in forms {
                    #expect(answer.status == 503, "\(answer.status)")
                    #expect(answer.header("retry-after") == "30")
                }
                // …and once syncs work again, the same batches and a form post are stored, without a restart.
                for batch in batches {
                    let answer = try await FaultRun.push(batch, to: daemon.url, caPEM: councilPEM, as: signer)
                    #expect(answer.status == 200, "\(answer.text)")
                    let results = try #require(try answer.json().objectValue?["results"]?.arrayValue)
                    #expect(results.compactMap { $0.objectValue?["result"]?.stringValue } == ["stored", "stored"])
                }
                #expect(try await postReport(to: site, title: "Form after the fault").status == 303)
                let held = Set(try council.store.events(after: 0, limit: 1_000).map(\.id))
                #expect(held.isSuperset(of: (batches.flatMap { $0 } + [before]).map(\.id.hex)))
            } catch {
                print(daemon.logText)
                await police.stop()
                throw error
            }
            daemon.stop()
            await police.stop()
            // The store is sound after the daemon stops.
            #expect(try await StoreVerifier(store: try LocalNode.open(directory).store).verify().isSound)
        }
    }
}

extension FaultRun {
    /// A node id costs nothing to mint, so only peers earn a budget of their own.
    @Suite("Rate limits for strangers")
    struct StrangerLimitTests {
        @Test func freshIdentitiesAreLimitedLikeUnsignedClientsWhileAPeerIsNot() async throws {
            let folder = TemporaryDirectory("strangers")
            defer { folder.remove() }
            // Given a council that allows each non-peer address 60 requests a minute (bursts of 12)
            // and its peer 6,000 (bursts of 1,200)…
            let council = try await LiveNode.start("council", kind: .council, in: folder) { settings in
                settings.strangerRequestsPerMinute = 60
                settings.strangersPerMinute = 60_000
                settings.requestsPerMinute = 6_000
            }
            let police = try await LiveNode.start("police", kind: .police, in: folder)
            try await council.peer(with: [police])
            // …when 1,000 pulls come signed by 1,000 freshly minted identities, then twenty unsigned ones,
            // all from the same address…
            let clock = ContinuousClock()
            let started = clock.now
            let (identities, unsigned, unsignedTime) = try await PeerClient.with(caPEM: council.caPEM, signer: nil) {
                base in
                var identities: [Int] = []
                for _ in 0..<1_000 {
                    let key = SigningKey()
                    var client = base
                    client.signer = RequestSigner(node: NodeID(genesisKey: key.publicKey), key: key)
                    identities.append(
                        try await client.send(
                            .GET,
                            base: council.url,
                            path: "/federation/v1/events",
                            query: "after=0&limit=10"
                        ).status
                    )
                }
                let unsignedStart = clock.now
                var unsigned: [Int] = []
                for _ in 0..<20 {
                    unsigned.append(try await base.send(.GET, base: council.url, path: "/federation/v1/events").status)
                }
                return (identities, unsigned, clock.now - unsignedStart)
            }
            let strangersTime = clock.now - started
            // …and the peer pulls 1,000 times…
            let peerAnswers = try await PeerClient.with(
                caPEM: council.caPEM,
                signer: RequestSigner(node: police.id, key: police.node.key)
            ) { client in
                var statuses: [Int] = []
                for _ in 0..<1_000 {
                    statuses.append(
                        try await client.send(
                            .GET,
                            base: council.url,
                            path: "/federation/v1/events",
                            query: "after=0&limit=10"
                        ).status
                    )
                }
                return statuses
            }
            await council.stop()
            await police.stop()
            // …then the strangers shared one address's budget: the burst of 12 plus one a second, then 429…
            let seconds = Double(strangersTime.components.seconds) + 1
            let admitted = identities.filter { $0 == 200 }.count
            #expect(
                admitted >= 12 && Double(admitted) <= 12 + seconds,
                "\(admitted) of 1,000 fresh identities admitted in \(seconds) s"
            )
            #expect(identities.allSatisfy { $0 == 200 || $0 == 429 })
            let unsignedAdmitted = unsigned.filter { $0 == 200 }.count
            #expect(
                Double(unsignedAdmitted) <= Double(unsignedTime.components.seconds) + 2,
                "\(unsignedAdmitted) of 20 unsigned pulls admitted: they share that address's budget"
            )
            // …while every one of the peer's pulls was answered.
            #expect(
                peerAnswers.allSatisfy { $0 == 200 },
                "\(peerAnswers.filter { $0 != 200 }.count) of the peer's pulls refused"
            )
        }
    }
}
