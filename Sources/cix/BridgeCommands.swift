import ArgumentParser
import CIXCanonicalJSON
import CIXCore
import CIXNode

/// `cix external`: the bodies not on CIX this node reaches, and the reports on their way to them.
struct ExternalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "external",
        abstract: "Bodies not on CIX ([[external]]): who they are, and each report sent or waiting for them.",
        discussion: """
            `cix serve` sends every report routed to one (by Open311, or by e-mail through [mail]), retrying \
            for 72 hours, and reads each Open311 body's answers every minute. Exit status 1 if a report has \
            waited more than an hour or was given up.
            """
    )
    @OptionGroup var data: DataOptions
    @OptionGroup var output: JSONOption
    @Option(help: "Show at most this many reports (newest first).") var limit = 50

    func run() throws {
        let node = try data.openNode()
        let (bodies, deliveries) = try Output.run { () throws(NodeError) in
            (try node.externalBodies(), try node.externalDeliveries(limit: max(1, limit)))
        }
        let names = Dictionary(uniqueKeysWithValues: bodies.map { ($0.id, $0.config.id) })
        let now = Timestamp.now().secondsSinceEpoch
        let stuck = deliveries.filter {
            $0.state == .failed || ($0.state == .waiting && now - $0.queuedAt.secondsSinceEpoch > 3_600)
        }
        if output.json {
            Output.printJSON(
                .object(
                    JSONObject([
                        "bodies": .array(
                            bodies.map { body in
                                .object(
                                    JSONObject([
                                        "id": .string(body.config.id), "name": .string(body.name),
                                        "relay": .string(body.id.hex), "via": .string(body.via.rawValue),
                                    ])
                                )
                            }
                        ),
                        "deliveries": .array(
                            deliveries.map { delivery in
                                var object = JSONObject([
                                    "issue": .string(delivery.key.issue.hex),
                                    "body": .string(names[delivery.key.relay] ?? delivery.key.relay.hex),
                                    "state": .string(delivery.state.rawValue),
                                    "attempts": .number(Double(delivery.attempts)),
                                    "queued_at": .string(delivery.queuedAt.description),
                                ])
                                object["reference"] = delivery.reference.map(JSONValue.string) ?? .null
                                object["last_error"] = delivery.lastError.map(JSONValue.string) ?? .null
                                return .object(object)
                            }
                        ),
                    ])
                )
            )
        } else {
            if bodies.isEmpty { print("No [[external]] bodies in cix.toml.") }
            for body in bodies {
                print(
                    "\(body.config.id)  \(body.name)  by \(body.via == .email ? "e-mail" : "Open311")  relay \(body.id.hex)"
                )
            }
            for delivery in deliveries {
                let body = names[delivery.key.relay] ?? delivery.key.relay.short
                var line = "\(delivery.key.issue.hex.prefix(12))  \(body)  \(delivery.state.rawValue)"
                line += "  attempts \(delivery.attempts)"
                if let reference = delivery.reference { line += "  reference \(reference)" }
                if let error = delivery.lastError, delivery.state != .sent { line += "  last error: \(error)" }
                print(line)
            }
        }
        if !stuck.isEmpty {
            throw Output.fail("\(stuck.count) report(s) waited more than an hour or were given up: see last error")
        }
    }
}
