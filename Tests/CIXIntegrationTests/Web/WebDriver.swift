import AsyncHTTPClient
import CIXCanonicalJSON
import CIXTesting
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Headless Chromium driven through chromedriver's W3C WebDriver endpoint on
/// loopback. Chromium is told to accept the nodes' self-signed certificates
/// and to make no background requests of its own.
final class Browser: Sendable {
    let process: Process
    let base: String
    let session: String
    let client: HTTPClient

    static let chromedriver = "/usr/bin/chromedriver"
    static let chromium = "/usr/bin/chromium"

    private init(process: Process, base: String, session: String, client: HTTPClient) {
        self.process = process
        self.base = base
        self.session = session
        self.client = client
    }

    /// Starts chromedriver on a free loopback port and opens a session.
    static func start() async throws -> Browser {
        guard FileManager.default.isExecutableFile(atPath: chromedriver),
            FileManager.default.isExecutableFile(atPath: chromium)
        else {
            throw TestFailure(
                "headless Chromium is needed: install Debian's chromium and chromium-driver (bash .ci/setup does)"
            )
        }
        let port = try await freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromedriver)
        process.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let base = "http://127.0.0.1:\(port)"
        do {
            // Bounded wait for chromedriver to listen: 100 tries, 100 ms apart.
            var ready = false
            for _ in 0..<100 where !ready {
                ready = (try? await request(client, .GET, base + "/status", nil)) != nil
                if !ready { try await Task.sleep(for: .milliseconds(100)) }
            }
            guard ready else { throw TestFailure("chromedriver did not start") }
            let arguments: [JSONValue] = [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,1600",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--disable-domain-reliability", "--no-pings",
                "--metrics-recording-only", "--disable-features=OptimizationHints,MediaRouter,Translate",
                // No name resolves: a page that asks for another host (the OpenID mock's stylesheet
                // on a CDN) fails at once, and no test reaches beyond loopback.
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
            ].map { $0 }
            let capabilities: JSONValue = [
                "capabilities": [
                    "alwaysMatch": [
                        "browserName": "chrome", "acceptInsecureCerts": true,
                        "goog:chromeOptions": ["binary": .string(chromium), "args": .array(arguments)],
                    ]
                ]
            ]
            let answer = try await request(client, .POST, base + "/session", capabilities)
            guard let session = answer["sessionId"]?.stringValue else {
                throw TestFailure("no WebDriver session: \(answer)")
            }
            return Browser(process: process, base: base, session: session, client: client)
        } catch {
            kill(process.processIdentifier, SIGKILL)
            try? await client.shutdown()
            throw error
        }
    }

    func close() async {
        _ = try? await Self.request(client, .DELETE, "\(base)/session/\(session)", nil)
        process.terminate()
        // Foundation's waitUntilExit spins off the main thread here, so poll (5 s at most), then kill.
        for _ in 0..<50 where process.isRunning { try? await Task.sleep(for: .milliseconds(100)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? await client.shutdown()
    }

    /// A free TCP port on loopback, found by binding port 0 and closing it again.
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(
            host: "127.0.0.1",
            port: 0
        ).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }

    /// Sends one WebDriver command and returns its `value`; WebDriver errors become thrown failures.
    static func request(
        _ client: HTTPClient,
        _ method: HTTPMethod,
        _ url: String,
        _ body: JSONValue?
    ) async throws -> JSONValue {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try body.canonicalBytes()))
        }
        let response = try await client.execute(request, timeout: .seconds(60))
        let bytes = Array(try await response.body.collect(upTo: 16 << 20).readableBytesView)
        let json = try JSONParser().parse(bytes)
        let value = json["value"] ?? .null
        if response.status.code >= 400 {
            throw TestFailure(
                "WebDriver \(method.rawValue) \(url): \(value["message"]?.stringValue ?? "\(response.status)")"
            )
        }
        return value
    }

    func command(_ method: HTTPMethod, _ path: String, _ body: JSONValue? = nil) async throws -> JSONValue {
        try await Self.request(client, method, "\(base)/session/\(session)\(path)", body)
    }

    func open(_ url: String) async throws { _ = try await command(.POST, "/url", ["url": .string(url)]) }

    func currentURL() async throws -> String { try await command(.GET, "/url").stringValue ?? "" }

    /// Runs a script in the page and returns what it returns.
    @discardableResult
    func run(_ script: String, _ arguments: [JSONValue] = []) async throws -> JSONValue {
        try await command(.POST, "/execute/sync", ["script": .string(script), "args": .array(arguments)])
    }

    /// Runs a script that calls its last argument when done, and returns what it was given.
    @discardableResult
    func runAsync(_ script: String, _ arguments: [JSONValue] = []) async throws -> JSONValue {
        try await command(.POST, "/execute/async", ["script": .string(script), "args": .array(arguments)])
    }

    /// The element matching a CSS selector (WebDriver's element reference).
    func element(_ selector: String) async throws -> String {
        let found = try await command(.POST, "/element", ["using": "css selector", "value": .string(selector)])
        guard let id = found["element-6066-11e4-a52e-4f735466cecf"]?.stringValue else {
            throw TestFailure("no element \(selector)")
        }
        return id
    }

    func type(_ selector: String, _ text: String) async throws {
        _ = try await command(.POST, "/element/\(try await element(selector))/value", ["text": .string(text)])
    }

    func clear(_ selector: String) async throws {
        _ = try await command(.POST, "/element/\(try await element(selector))/clear", [:])
    }

    func click(_ selector: String) async throws {
        _ = try await command(.POST, "/element/\(try await element(selector))/click", [:])
    }

    func text(_ selector: String) async throws -> String {
        try await command(.GET, "/element/\(try await element(selector))/text").stringValue ?? ""
    }

    func count(_ selector: String) async throws -> Int {
        Int(
            try await run("return document.querySelectorAll(arguments[0]).length;", [.string(selector)]).numberValue
                ?? -1
        )
    }

    /// Waits (at most 10 s, polling every 100 ms) until the script returns true.
    func wait(until script: String) async throws {
        for _ in 0..<100 {
            if try await run(script).boolValue == true { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        let page =
            try await run("return location.href + ' — ' + document.body.innerText.slice(0, 600);").stringValue ?? ""
        throw TestFailure("timed out waiting for: \(script) — the page: \(page)")
    }
}
