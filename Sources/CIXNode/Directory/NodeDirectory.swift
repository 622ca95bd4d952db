import Foundation

/// Where a node keeps its files, all under one data directory:
///
///     cix.toml         configuration (commented)
///     keys/node.key    Ed25519 signing key seed, hex (mode 0600): the key the node signs with
///     keys/node.id     the node id, once the key has been rotated (before, it is the key's hash)
///     keys/retired/    earlier signing keys, kept to sign revocations dated before a rotation
///     tls/cert.pem     TLS certificate, self-signed by `cix init` unless replaced
///     tls/key.pem      its private key (mode 0600)
///     store.sqlite     the store (plus -wal and -shm files)
package struct NodeDirectory: Sendable {
    package let root: URL

    package init(path: String) {
        self.root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    package var config: URL { root.appendingPathComponent("cix.toml") }
    package var keyFile: URL { root.appendingPathComponent("keys/node.key") }
    package var nodeIDFile: URL { root.appendingPathComponent("keys/node.id") }
    /// The X25519 key residents' contact details are sealed to for this node (`SealKey`).
    package var sealKeyFile: URL { root.appendingPathComponent("keys/seal.key") }
    package var retiredKeys: URL { root.appendingPathComponent("keys/retired", isDirectory: true) }
    package var certificate: URL { root.appendingPathComponent("tls/cert.pem") }
    package var certificateKey: URL { root.appendingPathComponent("tls/key.pem") }
    package var store: URL { root.appendingPathComponent("store.sqlite") }

    /// A file the config names: an absolute path as it is, any other relative to the data directory.
    package func file(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path)
    }

    /// Whether a node already lives here.
    package var exists: Bool {
        FileManager.default.fileExists(atPath: config.path) || FileManager.default.fileExists(atPath: keyFile.path)
            || FileManager.default.fileExists(atPath: store.path)
    }

    /// Replaces a secret file whole: written beside it, synced, then renamed over it, so a crash
    /// leaves either the old or the new content, never a mix.
    func replace(_ url: URL, with text: String) throws(NodeError) {
        let temporary = url.appendingPathExtension("new")
        try write(text, to: temporary, secret: true)
        do {
            let handle = try FileHandle(forUpdating: temporary)
            try handle.synchronize()
            try handle.close()
        } catch {
            throw .io("cannot sync \(temporary.path)", error)
        }
        guard rename(temporary.path, url.path) == 0 else {
            throw NodeError(.io, "cannot rename \(temporary.path) to \(url.path): \(String(cString: strerror(errno)))")
        }
    }

    /// Writes a file, creating its folder; `secret` files get mode 0600 in a 0700 folder.
    func write(_ text: String, to url: URL, secret: Bool) throws(NodeError) {
        let manager = FileManager.default
        do {
            try manager.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true,
                attributes: secret ? [.posixPermissions: 0o700] : nil
            )
            guard
                manager.createFile(
                    atPath: url.path,
                    contents: Data(text.utf8),
                    attributes: [.posixPermissions: secret ? 0o600 : 0o644]
                )
            else { throw NodeError(.io, "cannot create \(url.path)") }
        } catch let error as NodeError {
            throw error
        } catch {
            throw .io("cannot write \(url.path)", error)
        }
    }
}
