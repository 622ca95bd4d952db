import Foundation
import NIOCore
import Testing

@testable import CIXServer

@Suite("Page cache")
struct PageCacheTests {
    /// Counts renders and numbers each answer's body.
    actor Renderer {
        var renders = 0

        func render() async -> WebAnswer {
            renders += 1
            let number = renders
            try? await Task.sleep(for: .milliseconds(20))
            return WebAnswer(status: .ok, headers: [:], body: ByteBuffer(string: "render \(number)"), shared: true)
        }
    }

    func body(_ answer: WebAnswer) -> String { String(buffer: answer.body) }

    @Test func keepsSharesRefreshesInTheBackgroundAndClears() async throws {
        let cache = PageCache(lifetime: 60)
        let renderer = Renderer()
        let render: @Sendable () async -> WebAnswer = { await renderer.render() }

        // Ten concurrent first requests share one render.
        let first = await withTaskGroup(of: String.self) { group in
            for _ in 0..<10 {
                group.addTask { body(await cache.answer("/issues", version: 0, now: 0, render: render)) }
            }
            return await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(first == ["render 1"])
        #expect(await renderer.renders == 1)

        // Fresh: kept. Stale: the kept copy is sent while one render runs in the background.
        #expect(body(await cache.answer("/issues", version: 0, now: 30, render: render)) == "render 1")
        #expect(body(await cache.answer("/issues", version: 0, now: 61, render: render)) == "render 1")
        for _ in 0..<100 where await renderer.renders < 2 { try await Task.sleep(for: .milliseconds(10)) }
        for _ in 0..<100 where body(await cache.answer("/issues", version: 0, now: 62, render: render)) != "render 2" {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(body(await cache.answer("/issues", version: 0, now: 62, render: render)) == "render 2")
        #expect(await renderer.renders == 2)

        // After a post the next request renders afresh; other addresses are their own entries.
        await cache.clear()
        #expect(body(await cache.answer("/issues", version: 0, now: 63, render: render)) == "render 3")
        #expect(body(await cache.answer("/nodes", version: 0, now: 63, render: render)) == "render 4")

        // Once the store's change counter moves, no kept copy is sent, not even a stale one: the
        // request renders afresh, however fresh the kept answer was.
        #expect(body(await cache.answer("/issues", version: 0, now: 64, render: render)) == "render 3")
        #expect(body(await cache.answer("/issues", version: 1, now: 64, render: render)) == "render 5")
        #expect(body(await cache.answer("/nodes", version: 1, now: 64, render: render)) == "render 6")
        #expect(body(await cache.answer("/issues", version: 1, now: 65, render: render)) == "render 5")
    }

    @Test func answersForOneVisitorOrErrorsAreNeverKept() async throws {
        let cache = PageCache(lifetime: 60)
        let personal: @Sendable () async -> WebAnswer = {
            WebAnswer(status: .ok, headers: [:], body: ByteBuffer(string: "token"), shared: false)
        }
        _ = await cache.answer("/report", version: 0, now: 0, render: personal)
        let next = await cache.answer("/report", version: 0, now: 1) {
            WebAnswer(status: .notFound, headers: [:], body: ByteBuffer(string: "missing"), shared: true)
        }
        #expect(String(buffer: next.body) == "missing")
        let third = await cache.answer("/report", version: 0, now: 2) {
            WebAnswer(status: .ok, headers: [:], body: ByteBuffer(string: "fresh"), shared: true)
        }
        #expect(String(buffer: third.body) == "fresh")
    }
}
