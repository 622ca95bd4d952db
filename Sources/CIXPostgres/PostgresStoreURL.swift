import CIXStore
import Foundation
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL store is: `[store] url = "postgresql://USER@HOST[:PORT]/DATABASE[?sslmode=…]"`,
/// with the password in a file of its own (`password_file`), never in the URL, so that the
/// config can be shown and logged. `sslmode` is `require` (the default: TLS, the server's
/// certificate checked against the system's roots) or `disable` (only for a server on loopback).
package struct PostgresStoreURL: Sendable, Equatable {
    package let host: String
    package let port: Int
    package let username: String
    package let database: String
    package let requiresTLS: Bool

    package init(_ text: String) throws(StoreError) {
        guard let url = URLComponents(string: text), url.scheme == "postgresql" || url.scheme == "postgres" else {
            throw StoreError(
                code: .cannotOpen,
                message: "[store] url must be postgresql://USER@HOST[:PORT]/DATABASE, not \(text)",
                cause: nil
            )
        }
        guard let host = url.host, !host.isEmpty, let user = url.user, !user.isEmpty else {
            throw StoreError(
                code: .cannotOpen,
                message: "[store] url \(text) needs a user and a host: postgresql://USER@HOST/DATABASE",
                cause: nil
            )
        }
        guard url.password == nil else {
            throw StoreError(
                code: .cannotOpen,
                message: "[store] url must not hold the password: put it in [store] password_file",
                cause: nil
            )
        }
        let database = String(url.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw StoreError(
                code: .cannotOpen,
                message: "[store] url \(text) names no database: postgresql://USER@HOST/DATABASE",
                cause: nil
            )
        }
        let mode = url.queryItems?.first { $0.name == "sslmode" }?.value ?? "require"
        guard mode == "require" || mode == "disable" else {
            throw StoreError(
                code: .cannotOpen,
                message: "[store] url: sslmode must be require or disable, not \(mode)",
                cause: nil
            )
        }
        let loopback = ["127.0.0.1", "::1", "localhost"].contains(host)
        guard mode == "require" || loopback else {
            throw StoreError(
                code: .cannotOpen,
                message: "[store] url: sslmode=disable is only for a server on loopback, not \(host)",
                cause: nil
            )
        }
        self.host = host
        self.port = url.port ?? 5432
        self.username = user
        self.database = database
        self.requiresTLS = mode == "require"
    }

    /// The password in `passwordFile` (its one line), or nil without a file.
    func password(from passwordFile: String?) throws(StoreError) -> String? {
        guard let passwordFile else { return nil }
        guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
            throw StoreError(
                code: .cannotOpen,
                message: "[store] password_file \(passwordFile) cannot be read",
                cause: nil
            )
        }
        return text.trimmingCharacters(in: .newlines)
    }

    /// One connection's configuration: what `open` tries first, so that a server that cannot be
    /// reached, or refuses the credentials, is said at once rather than retried by the pool.
    func connectionConfiguration(password: String?) throws(StoreError) -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        if requiresTLS {
            do {
                tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            } catch {
                throw StoreError(
                    code: .cannotOpen,
                    message: "TLS for PostgreSQL cannot be set up: \(error)",
                    cause: nil
                )
            }
        } else {
            tls = .disable
        }
        var configuration = PostgresConnection.Configuration(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database,
            tls: tls
        )
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.additionalStartupParameters = Self.sessionSettings
        return configuration
    }

    /// Settings of every session of the store. Its statements each read a few rows by an index,
    /// many at once, and PostgreSQL's defaults are made for a few large ones: a search whose
    /// words it guesses common (a prefix is guessed at 100,000 issues of 5,000,000, not the 24
    /// it finds) was compiled to machine code first and given two parallel workers, 1,076 ms
    /// for a 0.1 ms query (`deploy/SCALE.md`, "Reads at 5,000,000 issues").
    static let sessionSettings = [("jit", "off"), ("max_parallel_workers_per_gather", "0")]
}
