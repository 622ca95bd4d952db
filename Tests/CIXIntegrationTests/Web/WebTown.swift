import AsyncHTTPClient
import CIXCanonicalJSON
import CIXCore
import CIXDemo
import CIXNode
import CIXRouting
import CIXTesting
import Foundation
import NIOCore
import NIOHTTP1

@testable import CIXFederation

/// Three real nodes on loopback: the council (an intake node that routes by
/// Greenfield's areas), the police, and a public mirror that pulls from both.
struct WebTown: Sendable {
    let folder: TemporaryDirectory
    let council: LiveNode
    let police: LiveNode
    let mirror: LiveNode

    static func start(
        _ label: String,
        councilName: String = "council",
        councilTOML: String? = nil
    ) async throws
        -> WebTown
    {
        let folder = TemporaryDirectory(label)
        let council = try await LiveNode.start(councilName, kind: .council, in: folder, toml: councilTOML)
        let police = try await LiveNode.start("police", kind: .police, in: folder)
        let mirror = try await LiveNode.start("mirror", kind: .mirror, in: folder)
        let town = WebTown(folder: folder, council: council, police: police, mirror: mirror)
        do {
            for (node, key) in [(council, "council"), (police, "police")] {
                guard let body = Greenfield.body(key) else { throw TestFailure("no Greenfield body \(key)") }
                try node.node.publishDescriptor(
                    now: .now(),
                    categories: body.categories,
                    area: .some(body.area.geoJSON)
                )
            }
            try await council.peer(with: [police])
            try await police.peer(with: [council])
            try await mirror.peer(with: [council, police])
        } catch {
            await town.stop()
            throw error
        }
        return town
    }

    /// Starts a town, runs `body`, and stops the town whether `body` succeeds or throws.
    static func run(_ label: String, councilTOML: String? = nil, _ body: (WebTown) async throws -> Void) async throws {
        let town = try await start(label, councilTOML: councilTOML)
        do {
            try await body(town)
        } catch {
            await town.stop()
            throw error
        }
        await town.stop()
    }

    /// `run` with headless Chromium beside the town.
    static func runWithBrowser(
        _ label: String,
        councilName: String = "council",
        _ body: (WebTown, Browser) async throws -> Void
    ) async throws {
        let town = try await start(label, councilName: councilName)
        let browser: Browser
        do {
            browser = try await Browser.start()
        } catch {
            await town.stop()
            throw error
        }
        do {
            try await body(town, browser)
        } catch {
            await browser.close()
            await town.stop()
            throw error
        }
        await browser.close()
        await town.stop()
    }

    func stop() async {
        for node in [council, police, mirror] { await node.stop() }
        folder.remove()
    }

    /// The mirror pulls everything from the council and the police.
    func syncMirror() async throws { try await mirror.pullFromPeers() }

    /// A report at a point the council and the north police neighbourhood both serve, routed to both,
    /// accepted by the police and put in progress.
    func reportAntisocialBehaviour(title: String, description: String = "", tags: [String] = []) async throws -> EventID
    {
        let report = try council.node.intake.report(
            ReportSubmission(
                title: title,
                description: description,
                category: "antisocial_behaviour",
                tags: tags,
                latitude: 52.228,
                longitude: 0.110
            ),
            now: .now()
        )
        try await council.pushToPeers()
        _ = try police.node.act(.accept(AcceptBody()), on: report.id, now: .now())
        _ = try police.node.act(
            .status(StatusBody(state: .inProgress, note: "Patrols increased")),
            on: report.id,
            now: .now()
        )
        try await police.pushToPeers()
        try await syncMirror()
        return report.id
    }
}
