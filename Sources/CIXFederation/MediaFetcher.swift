import AsyncHTTPClient
import CIXCore
import Foundation
import NIOCore
import NIOHTTP1

/// Fetches a photo that a client names by URL (Open311's `media_url`), once
/// and safely: `https` only, only from addresses the node's `AddressPolicy`
/// allows (public ones by default, so a URL cannot point the node at its own
/// network), no redirects followed, at most 10 MiB, within 15 s, and only if
/// the bytes begin as a JPEG or PNG. The caller still decodes and re-encodes
/// what comes back, like any uploaded photo.
package struct MediaFetcher: Sendable {
    /// Why a photo was not fetched.
    package enum Failure: Error, Sendable, Equatable {
        /// The address or what it served is unacceptable: sending it again will not help.
        case refused(String)
        /// It could not be fetched now (no answer, an error status): the report goes on without it.
        case unreachable(String)

        package var message: String {
            switch self {
            case .refused(let message), .unreachable(let message): message
            }
        }
    }

    package let addresses: AddressPolicy
    /// Extra trust roots (PEM) for photo hosts with a private CA; nil for the system's.
    package let caPEM: String?

    /// How long one photo may take in all (15 s by default).
    package let deadline: TimeAmount

    package static let maxBytes = 10 << 20

    package init(addresses: AddressPolicy, caPEM: String? = nil, deadline: TimeAmount = .seconds(15)) {
        self.addresses = addresses
        self.caPEM = caPEM
        self.deadline = deadline
    }

    /// Fetches each URL (at the same time, over one client), answering in the order given.
    package func fetch(_ urls: [String]) async -> [Result<[UInt8], Failure>] {
        let client: HTTPClient
        do {
            var configuration = try PeerClient.configuration(caPEM: caPEM)
            configuration.timeout = .init(connect: .seconds(5), read: deadline)
            client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        } catch {
            return urls.map {
                .failure(.unreachable("media_url \($0) could not be fetched: the photo host CA is not usable"))
            }
        }
        let results = await withTaskGroup(of: (Int, Result<[UInt8], Failure>).self) { group in
            for (index, url) in urls.enumerated() {
                group.addTask { (index, await fetch(url, with: client)) }
            }
            var results: [Int: Result<[UInt8], Failure>] = [:]
            for await (index, result) in group { results[index] = result }
            return results
        }
        try? await client.shutdown()
        return urls.indices.map { results[$0] ?? .failure(.unreachable("media_url \(urls[$0]) was not fetched")) }
    }

    func fetch(_ url: String, with client: HTTPClient) async -> Result<[UInt8], Failure> {
        do {
            try addresses.check(url)
        } catch {
            return .failure(
                error.code == .unreachable
                    ? .unreachable("media_url \(url): \(error.message)")
                    : .refused("media_url \(url) is refused: \(error.message)")
            )
        }
        return await download(url, with: client)
    }

    func download(_ url: String, with client: HTTPClient) async -> Result<[UInt8], Failure> {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "image/jpeg, image/png")
        request.headers.add(name: "User-Agent", value: "cix (Open311 media_url)")
        do {
            let response = try await client.execute(request, timeout: deadline)
            if (300..<400).contains(response.status.code) {
                let target = response.headers.first(name: "location") ?? "another address"
                return .failure(
                    .refused(
                        "media_url \(url) redirects to \(target); photos are fetched only from the address given"
                    )
                )
            }
            guard response.status == .ok else {
                return .failure(.unreachable("media_url \(url) answered HTTP \(response.status.code)"))
            }
            if let length = response.headers.first(name: "content-length").flatMap(Int.init), length > Self.maxBytes {
                return .failure(.refused("media_url \(url) is \(length) bytes; a photo may be at most 10 MiB"))
            }
            let body: ByteBuffer
            do {
                body = try await response.body.collect(upTo: Self.maxBytes)
            } catch is NIOTooManyBytesError {
                return .failure(.refused("media_url \(url) is larger than 10 MiB; a photo may be at most 10 MiB"))
            }
            let bytes = Array(body.readableBytesView)
            let type = ImageSignature.mediaType(of: bytes)
            guard type == "image/jpeg" || type == "image/png" else {
                return .failure(.refused("media_url \(url) is not a JPEG or PNG image"))
            }
            return .success(bytes)
        } catch {
            return .failure(.unreachable("media_url \(url) could not be fetched: \(error)"))
        }
    }
}
