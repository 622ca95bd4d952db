import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Sends a request's exact bytes over TLS to 127.0.0.1 and reads the answer:
/// what a conformance replay needs, where an HTTP client library would
/// rewrite the headers and the body it was given.
package enum RawHTTPS {
    package struct Answer: Sendable {
        package let status: Int
        package let headers: [(String, String)]
        package let body: [UInt8]

        package func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
        package var text: String { String(decoding: body, as: UTF8.self) }
    }

    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// Sends `request` to 127.0.0.1:`port`, trusting `caPEM`, and reads one answer (at most 120 s).
    /// A connection the server closed before the request could be written (its handshake deadline,
    /// on a machine too busy to finish a handshake in time) is tried again, twice at most: nothing
    /// of the request reached the server, so nothing is sent twice.
    package static func exchange(_ request: [UInt8], port: Int, caPEM: String) async throws -> Answer {
        for _ in 0..<2 {
            do { return try await exchangeOnce(request, port: port, caPEM: caPEM) } catch is NotSent {
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        return try await exchangeOnce(request, port: port, caPEM: caPEM)
    }

    /// A TLS connection to 127.0.0.1:`port`.
    static func connect(port: Int, context: NIOSSLContext) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        NIOSSLClientHandler(context: context, serverHostname: nil)
                    )
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// The request could not be written: the connection was closed before it.
    struct NotSent: Error {}

    static func exchangeOnce(_ request: [UInt8], port: Int, caPEM: String) async throws -> Answer {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(caPEM.utf8)))
        tls.certificateVerification = .noHostnameVerification
        let context = try NIOSSLContext(configuration: tls)
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await connect(port: port, context: context)
        } catch ChannelError.ioOnClosedChannel {
            throw NotSent()
        }
        return try await withThrowingTaskGroup(of: Answer?.self) { group in
            group.addTask {
                try await channel.executeThenClose { inbound, outbound in
                    do { try await outbound.write(ByteBuffer(bytes: request)) } catch ChannelError.ioOnClosedChannel {
                        throw NotSent()
                    }
                    var received: [UInt8] = []
                    for try await chunk in inbound {
                        received += chunk.readableBytesView
                        if let answer = try parse(received, complete: false) { return answer }
                    }
                    guard let answer = try parse(received, complete: true) else {
                        throw Failure(description: "the connection closed before a whole answer arrived")
                    }
                    return answer
                }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(120))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let answer = first else {
                channel.channel.close(promise: nil)
                throw Failure(description: "no answer within 120 s")
            }
            return answer
        }
    }

    /// The answer in `bytes` if it is whole: by Content-Length, chunked, or (when `complete`) to the end.
    static func parse(_ bytes: [UInt8], complete: Bool) throws -> Answer? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = bytes.indices.dropLast(3).first(where: { bytes[$0..<($0 + 4)].elementsEqual(separator) })
        else { return nil }
        let head = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw Failure(description: "not an HTTP status line: \(head[0])")
        }
        let headers = head.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let body = Array(bytes[(end + 4)...])
        func value(_ name: String) -> String? { headers.first { $0.0.lowercased() == name }?.1 }
        if let length = value("content-length").flatMap(Int.init) {
            return body.count >= length
                ? Answer(status: status, headers: headers, body: Array(body.prefix(length))) : nil
        }
        if value("transfer-encoding")?.lowercased() == "chunked" {
            var decoded: [UInt8] = []
            var index = 0
            while let lineEnd = (index..<max(index, body.count - 1)).first(where: {
                body[$0] == 13 && body[$0 + 1] == 10
            }) {
                guard let size = Int(String(decoding: body[index..<lineEnd], as: UTF8.self), radix: 16) else {
                    throw Failure(description: "bad chunk size")
                }
                if size == 0 { return Answer(status: status, headers: headers, body: decoded) }
                guard body.count >= lineEnd + 2 + size + 2 else { return nil }
                decoded += body[(lineEnd + 2)..<(lineEnd + 2 + size)]
                index = lineEnd + 2 + size + 2
            }
            return nil
        }
        return complete ? Answer(status: status, headers: headers, body: body) : nil
    }
}
