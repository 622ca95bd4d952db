import ArgumentParser
import CIXCanonicalJSON
import CIXCore
import CIXNode
import Foundation

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Show the node's identity and keys; rotate or revoke a key.",
        discussion: """
            Key changes are signed key statements (Protocol/nodes.md). They travel with this node's \
            events, so every node that holds them, not only direct peers, learns which keys speak for \
            it and when. Stop `cix serve` first: it signs with the key it read at start.
            """,
        subcommands: [Show.self, Rotate.self, Revoke.self],
        defaultSubcommand: Show.self
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the node id, the key it signs with, and every key that has spoken for it."
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var output: JSONOption

        func run() throws {
            let node = try data.openNode()
            let ring = try Output.run { () throws(NodeError) in try node.ownKeyRing() }
            let statements = try Output.run { () throws(NodeError) in try node.ownStatements() }
            let key = node.key.publicKey.hex
            let fingerprint = Self.fingerprint(node.key.publicKey)
            if output.json {
                Output.printJSON(
                    .object(
                        JSONObject([
                            "node": .string(node.id.hex), "key": .string(key), "fingerprint": .string(fingerprint),
                            "keys": .array(
                                Self.rows(ring, statements: statements, current: node.key.publicKey).map {
                                    .object($0.json)
                                }
                            ),
                        ])
                    )
                )
                return
            }
            print("node         \(node.id.hex)")
            print("name         \(node.config.node.name) (\(node.config.node.kind))")
            print("public key   \(key)")
            print("fingerprint  \(fingerprint)")
            let rows = Self.rows(ring, statements: statements, current: node.key.publicKey)
            guard rows.count > 1 || rows.first?.until != nil else { return }
            print("")
            print("keys that speak for this node:")
            for row in rows {
                let mark = row.key == key ? " (signs now)" : ""
                print(
                    "  \(row.key.prefix(16))…  from \(row.from ?? "the start")  until \(row.until ?? "not ended")\(mark)"
                )
                if let reason = row.reason { print("      revoked: \(reason)") }
            }
        }

        struct Row {
            let key: String
            let from: String?
            let until: String?
            let reason: String?

            var json: JSONObject {
                var object = JSONObject(["key": .string(key)])
                object["from"] = from.map { .string($0) } ?? .null
                object["until"] = until.map { .string($0) } ?? .null
                if let reason { object["reason"] = .string(reason) }
                return object
            }
        }

        /// The ring's keys, the genesis key first, then by when they start.
        static func rows(_ ring: KeyRing, statements: [KeyStatement], current: PublicKey) -> [Row] {
            var rows: [Row] = []
            var windows = ring.keys
            let genesis = ([current] + statements.flatMap { [$0.key, $0.signer] }).first {
                NodeID(genesisKey: $0) == ring.node
            }
            if let genesis, windows[genesis] == nil { windows[genesis] = (nil, nil) }
            for (key, window) in windows.sorted(by: {
                ($0.value.from?.description ?? "") < ($1.value.from?.description ?? "")
            }) {
                let reason = statements.last { $0.action == .revoke && $0.key == key }?.reason
                rows.append(
                    Row(key: key.hex, from: window.from?.description, until: window.until?.description, reason: reason)
                )
            }
            return rows
        }

        /// The first 16 bytes of the key's SHA-256, grouped for reading aloud.
        static func fingerprint(_ key: PublicKey) -> String {
            let hash = SHA256Hex.hash(key.bytes).prefix(32)
            return stride(from: 0, to: 32, by: 4).map { offset in
                let start = hash.index(hash.startIndex, offsetBy: offset)
                return String(hash[start..<hash.index(start, offsetBy: 4)])
            }.joined(separator: " ")
        }
    }

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a new signing key, signed in by the current one; the old key is kept.",
            discussion: """
                Writes a key.add statement signed by the current key, keeps the current key in \
                keys/retired/ (it can still sign a revocation dated before today), puts the new key in \
                keys/node.key, records the node id in keys/node.id, and signs a new descriptor. Events \
                signed earlier stay valid. Prints what to back up and what to tell peers.
                """
        )
        @OptionGroup var data: DataOptions

        func run() throws {
            let node = try data.openNode()
            let lock = try KeysCommand.holdDaemonLock(data)
            defer { _ = lock }
            let (rotated, _) = try Output.run { () throws(NodeError) in
                try node.rotateKey(by: StaffCommand.actor, now: .now())
            }
            print("rotated: node \(rotated.id.hex) now signs with \(rotated.key.publicKey.hex)")
            KeysCommand.ceremony(rotated, data: data.data, old: node.key.publicKey)
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a key from a moment on (`cix keys revoke KEY --from TIME --reason TEXT`).",
            discussion: """
                No event dated at or after --from and signed by KEY counts, on any node, whenever it \
                arrives; events dated earlier keep their effect. For a stolen key give the time it may \
                first have been taken. Revoking the key this node signs with makes a new key first. An \
                event a thief dated before --from can then be removed with `cix redact`.
                """
        )
        @OptionGroup var data: DataOptions
        @Argument(help: ArgumentHelp("The key (64 hex digits, as `cix keys show` prints it).", valueName: "KEY"))
        var key: String
        @Option(help: ArgumentHelp("From when, as YYYY-MM-DDTHH:MM:SSZ.", valueName: "TIME"))
        var from: String
        @Option(help: ArgumentHelp("Why, in one line: peers show it beside the key.", valueName: "TEXT"))
        var reason: String

        func run() throws {
            guard let target = try? PublicKey(hex: key.lowercased()) else {
                throw ValidationError("KEY must be a public key: 64 hex digits, as `cix keys show` prints it")
            }
            guard let moment = Timestamp(from) else {
                throw ValidationError("--from must be a time as YYYY-MM-DDTHH:MM:SSZ, for example 2026-11-30T18:00:00Z")
            }
            let node = try data.openNode()
            let lock = try KeysCommand.holdDaemonLock(data)
            defer { _ = lock }
            let revocation = try Output.run { () throws(NodeError) in
                try node.revokeKey(target, from: moment, reason: reason, by: StaffCommand.actor, now: .now())
            }
            print("revoked \(target.hex) from \(moment)")
            for statement in revocation.statements where statement.action == .add {
                print("re-signed the current key from \(statement.from), so that it speaks when the revocation starts")
            }
            if revocation.rotated {
                print(
                    "it was the signing key: node \(revocation.node.id.hex) now signs with \(revocation.node.key.publicKey.hex)"
                )
            }
            KeysCommand.ceremony(revocation.node, data: data.data, old: revocation.rotated ? target : nil)
            print("- Look for keys you did not add (`cix keys show --data \(data.data)`): whoever held the")
            print("  stolen key may have added one. Revoke those too.")
            print("- Events the thief dated before \(moment) still count. `cix verify` names those first seen")
            print("  here after the revocation; remove each one the body did not write with `cix redact`.")
        }
    }

    /// Key changes are refused while `cix serve` runs on the directory: it signs with the key in memory.
    static func holdDaemonLock(_ data: DataOptions) throws -> DaemonLock {
        do {
            return try DaemonLock.acquire(data.directory)
        } catch {
            Output.printError(
                "error: stop `cix serve` on \(data.data) before changing keys: it signs with the key it read at start"
            )
            throw ExitCode.failure
        }
    }

    /// What the operator does next.
    static func ceremony(_ node: LocalNode, data: String, old: PublicKey?) {
        print("")
        print("Next:")
        print("- Back up \(data)/keys/ now (node.key, node.id and retired/), offline: without node.key")
        print("  this node cannot sign; without node.id it no longer knows its own id.")
        print("- Tell the operators of your peers the new key's fingerprint, by a channel you trust:")
        print("  \(Show.fingerprint(node.key.publicKey))")
        print("  Nothing else is needed from them: the statement travels with this node's events and")
        print("  its node document, and each node checks it.")
        if old != nil { print("- The old key is in \(data)/keys/retired/; it no longer signs anything new.") }
        print("- Start `cix serve` again.")
    }
}
