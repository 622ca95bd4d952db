import Foundation

/// Where a node keeps its files, all under one data directory:
///
///     cix.toml         configuration (commented)
///     keys/node.key    Ed25519 signing key seed, hex (mode 0600)
///     tls/cert.pem     TLS certificate, self-signed by `cix init` unless replaced
///     tls/key.pem      its private key (mode 0600)
///     store.sqlite     the store (plus -wal and -shm files)
public struct NodeDirectory: Sendable {
    public let root: URL

    public init(path: String) {
        self.root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    public var config: URL { root.appendingPathComponent("cix.toml") }
    public var keyFile: URL { root.appendingPathComponent("keys/node.key") }
    public var certificate: URL { root.appendingPathComponent("tls/cert.pem") }
    public var certificateKey: URL { root.appendingPathComponent("tls/key.pem") }
    public var store: URL { root.appendingPathComponent("store.sqlite") }

    /// Whether a node already lives here.
    public var exists: Bool {
        FileManager.default.fileExists(atPath: config.path) || FileManager.default.fileExists(atPath: keyFile.path)
            || FileManager.default.fileExists(atPath: store.path)
    }

    /// Writes a file, creating its folder; `secret` files get mode 0600 in a 0700 folder.
    func write(_ text: String, to url: URL, secret: Bool) throws(NodeError) {
        let manager = FileManager.default
        do {
            try manager.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                attributes: secret ? [.posixPermissions: 0o700] : nil)
            guard manager.createFile(
                atPath: url.path, contents: Data(text.utf8),
                attributes: [.posixPermissions: secret ? 0o600 : 0o644])
            else { throw NodeError(.io, "cannot create \(url.path)") }
        } catch let error as NodeError {
            throw error
        } catch {
            throw .io("cannot write \(url.path)", error)
        }
    }
}
