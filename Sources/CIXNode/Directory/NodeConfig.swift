import CIXCore
import CIXStore
import Foundation
import TOMLKit

/// The operator's settings, read from `cix.toml` in the data directory.
///
/// `deploy/*.toml` hold fully commented examples of every key.
package struct NodeConfig: Sendable, Codable, Equatable {
    package struct Node: Sendable, Codable, Equatable {
        /// The body's name, shown to people.
        package var name: String
        /// The kind of body (`NodeKind`).
        package var kind: String
        /// The base URL other nodes and residents reach this node at.
        package var url: String
    }

    package struct Server: Sendable, Codable, Equatable {
        /// HOST:PORT to listen on.
        package var listen: String
        /// TLS certificate (PEM), relative to the data directory or absolute.
        package var tls_certificate: String
        /// Its private key (PEM).
        package var tls_key: String
        /// Open connections at most, all clients together (default 8192).
        package var max_connections: Int?
        /// Open connections at most from one client address (default 256).
        package var max_connections_per_address: Int?
        /// Seconds from connecting to a complete first request head, TLS handshake included (default 10).
        package var head_timeout: Int?
        /// Seconds a kept-alive connection may wait for its next request (default 30).
        package var keep_alive: Int?
        /// Least bytes a second at which a request body must arrive (default 1024).
        package var min_body_rate: Int?
        /// Seconds a request body may take at most (default 300).
        package var body_timeout: Int?
        /// HOST:PORT of a plain-HTTP listener for /healthz and /metrics only (default: none).
        package var health_listen: String?

        package init(listen: String, tls_certificate: String, tls_key: String) {
            self.listen = listen
            self.tls_certificate = tls_certificate
            self.tls_key = tls_key
        }
    }

    /// Local routing rules, applied after routing by area and category.
    package struct Routing: Sendable, Codable, Equatable {
        package struct Rule: Sendable, Codable, Equatable {
            /// add, exclude or replace.
            package var action: String
            /// A category code, or absent for every category.
            package var category: String?
            /// The node id the rule names.
            package var node: String
            /// Why, as shown to residents.
            package var reason: String?
        }
        package var rules: [Rule]?
    }

    package var node: Node
    package var server: Server
    package var routing: Routing?
    /// The public pages; nil for the defaults.
    package var web: WebConfig?
    /// Whom this node may exchange with; nil for the defaults.
    package var federation: Federation?

    /// How this node reaches its peers.
    package struct Federation: Sendable, Codable, Equatable {
        /// Whether peers may be at loopback or private addresses (default false: public only).
        package var allow_private_addresses: Bool?
        /// Days an event may wait for its parents before it is dropped and reported (default 7).
        package var pending_days: Int?

        package init(allow_private_addresses: Bool? = nil, pending_days: Int? = nil) {
            self.allow_private_addresses = allow_private_addresses
            self.pending_days = pending_days
        }
    }

    /// Open311 intake; nil for the defaults.
    package var open311: Open311?
    /// The staff console's settings; nil for the defaults.
    package var staff: Staff? = nil

    /// How the staff console works.
    package struct Staff: Sendable, Codable, Equatable {
        /// Days within which reports of a category should be answered, by category code;
        /// `"*"` for every other category. The inbox shows what is due and overdue.
        package var targets: [String: Int]?
        /// Sign-in through the organisation's OpenID Connect provider, beside local accounts.
        package var openid: OpenID?
        /// The areas the body divides its work by (wards, beats), relative to the data directory:
        /// a GeoJSON FeatureCollection whose features each have `properties.name`. Grants can be
        /// limited to some of them, the inbox filtered and the figures counted by them.
        package var areas_file: String?
        /// Days a redaction's removed text is kept on this node for moderators (default 0: not
        /// kept; removed is gone). At most 365.
        package var keep_redacted_days: Int?

        package init(
            targets: [String: Int]? = nil,
            openid: OpenID? = nil,
            areas_file: String? = nil,
            keep_redacted_days: Int? = nil
        ) {
            self.targets = targets
            self.openid = openid
            self.areas_file = areas_file
            self.keep_redacted_days = keep_redacted_days
        }
    }

    /// The organisation's OpenID Connect provider (`[staff.openid]`).
    package struct OpenID: Sendable, Codable, Equatable {
        /// The provider's issuer URL, exactly as its ID tokens give `iss` (https; http only at a loopback address).
        package var issuer: String
        package var client_id: String
        /// The client secret, in a file relative to the data directory (mode 0600); none for a public client.
        package var client_secret_file: String?
        /// The ID token claim listing the person's groups or roles (default "groups").
        package var roles_claim: String?
        /// Claim value → role, optionally for some categories: `"case-officer:pothole,street_light"`.
        package var roles: [String: String]
        /// The sign-in button's words (default "Sign in with your organisation's account").
        package var label: String?
        /// Extra trust roots (PEM) for a provider with a private CA, relative to the data directory.
        package var ca_file: String?

        package init(
            issuer: String,
            client_id: String,
            client_secret_file: String? = nil,
            roles_claim: String? = nil,
            roles: [String: String],
            label: String? = nil
        ) {
            self.issuer = issuer
            self.client_id = client_id
            self.client_secret_file = client_secret_file
            self.roles_claim = roles_claim
            self.roles = roles
            self.label = label
        }
    }

    /// The target in days for answering a report of this category, if one is set.
    package func targetDays(category: String?) -> Int? {
        guard let targets = staff?.targets else { return nil }
        return category.flatMap { targets[$0] } ?? targets["*"]
    }

    /// Which residents' reports wait for a moderator; nil: none do.
    package var moderation: Moderation? = nil

    /// Pre-moderation: reports from the public form in these categories are held, unsigned
    /// and unsent, until a moderator approves them in the staff console.
    package struct Moderation: Sendable, Codable, Equatable {
        /// Category codes, or `"*"` for every category.
        package var hold: [String]?

        package init(hold: [String]? = nil) { self.hold = hold }
    }

    /// Whether a report from the public form in this category waits for a moderator.
    package func holdsForModeration(category: String) -> Bool {
        guard let hold = moderation?.hold else { return false }
        return hold.contains("*") || hold.contains(category)
    }

    /// How the Open311 endpoint takes reports.
    package struct Open311: Sendable, Codable, Equatable {
        /// Whether photos named by `media_url` are fetched (default true).
        package var fetch_media: Bool?
        /// Extra trust roots (PEM) for photo hosts with a private CA, relative to the data directory.
        package var media_ca_file: String?
        /// Whether `GET services` lists the whole taxonomy rather than this node's categories (default false).
        package var all_services: Bool?

        package init(fetch_media: Bool? = nil, media_ca_file: String? = nil, all_services: Bool? = nil) {
            self.fetch_media = fetch_media
            self.media_ca_file = media_ca_file
            self.all_services = all_services
        }
    }

    /// How long residents' data is kept (`[retention]`); defaults when absent.
    package var retention: Retention? = nil

    /// Retention of residents' data in the private tables, enforced daily by `cix serve`
    /// (and at once by `cix retention run`).
    package struct Retention: Sendable, Codable, Equatable {
        /// Months a reporter's contact details (and follows of the issue) are kept after the issue closes (default 12).
        package var contacts_months: Int?
        /// Days a report held for moderation and never decided is kept (default 30).
        package var held_days: Int?
        /// Days residents' flags and their notes are kept (default 90).
        package var flag_days: Int?
        /// Days the Open311 log keeps what a client sent (its ids stay for idempotent retries; default 90).
        package var open311_log_days: Int?
        /// Days a record of a sent mail (recipient and subject) is kept (default 30).
        package var mail_days: Int?
        /// Days a follow waits for its confirmation before it is dropped (default 7).
        package var unconfirmed_follow_days: Int?

        package init() {}
    }

    /// Where the public store is (`[store]`): without it, `store.sqlite` in the data directory.
    package var store: Store? = nil

    /// A PostgreSQL store (`[store]`), for a public mirror too large for one SQLite file or served
    /// by several daemons. What only this node may see stays in `store.sqlite` beside the config.
    package struct Store: Sendable, Codable, Equatable {
        /// `postgresql://USER@HOST[:PORT]/DATABASE[?sslmode=require|disable]`, without the password.
        package var url: String
        /// The password, alone in a file (relative to the data directory).
        package var password_file: String?
        /// Connections this process opens at most (default 8).
        package var connections: Int?
        /// Whether the store is scrubbed from disk after each redaction, erasure and retention
        /// run (default true); false leaves it to `cix store scrub`, at a time the operator chooses.
        package var scrub_after_redactions: Bool?
        /// Seconds one query may run for a page, API, Open311 or staff request before the server
        /// cancels it and the client is told to narrow or retry (default 15; 0: no bound).
        /// Federation and upkeep are bounded only by the store's own deadline.
        package var request_query_seconds: Int?

        package init(url: String, password_file: String? = nil) {
            self.url = url
            self.password_file = password_file
        }
    }

    /// Mail to residents (`[mail]`): none is sent without it.
    package var mail: Mail? = nil

    /// Bodies not on CIX that this node routes to and reaches by Open311 or e-mail (`[[external]]`).
    package var external: [External]? = nil

    /// A body not on CIX (`[[external]]`): where and for what it answers, and how to reach it.
    package struct External: Sendable, Codable, Equatable {
        /// A short code naming it on this node (a–z, 0–9, `_`, `-`, `.`); it also fixes its relay key.
        package var id: String
        package var name: String
        /// The kind of body (`NodeKind`, not mirror).
        package var kind: String
        /// Taxonomy codes it answers for.
        package var categories: [String]
        /// Where it answers: a GeoJSON Polygon or MultiPolygon file, relative to the data directory.
        package var area_file: String
        /// Its Open311 (GeoReport v2) base URL, `https://…` (the one before `/requests.json`).
        package var open311_url: String?
        /// The API key it gave this node, in a file (relative to the data directory).
        package var open311_api_key_file: String?
        package var open311_jurisdiction: String?
        /// Its service code for each of our category codes (default: the category code itself).
        package var open311_service_codes: [String: String]?
        /// Extra trust roots (PEM) for an endpoint with a private CA, relative to the data directory.
        package var open311_ca_file: String?
        /// Or the address its reports are mailed to (through `[mail]`).
        package var email: String?
    }

    /// The SMTP relay the node hands residents' mail to, and how much it sends.
    package struct Mail: Sendable, Codable, Equatable {
        /// HOST:PORT of the relay (587 for STARTTLS, 465 for TLS).
        package var relay: String
        /// The sender address of every mail.
        package var from: String
        /// The sender's name (default: the node's name).
        package var from_name: String?
        /// "starttls" (default), "tls", or "none" (only for a relay at a loopback address).
        package var security: String?
        /// AUTH PLAIN user name at the relay, with the password in `password_file` (relative to the data directory).
        package var username: String?
        package var password_file: String?
        /// Extra trust roots (PEM) for a relay with a private CA, relative to the data directory.
        package var ca_file: String?
        /// Mails a minute at most, all recipients together (default 60).
        package var per_minute: Int?
        /// Mails an hour at most to one address (default 20); more wait, none is dropped.
        package var per_address_per_hour: Int?

        package init(relay: String, from: String, security: String? = nil) {
            self.relay = relay
            self.from = from
            self.security = security
        }
    }

    /// HOST and PORT from "HOST:PORT" (IPv6 hosts in brackets); `key` names the setting in the error.
    package static func address(_ text: String, key: String) throws(NodeError) -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), colon > text.startIndex,
            let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port)
        else { throw NodeError(.badConfig, "\(key) must be HOST:PORT, not \(text)") }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, port)
    }

    /// Whether peers may be at loopback or private addresses.
    package var allowsPrivateAddresses: Bool { federation?.allow_private_addresses ?? false }

    /// How long an event may wait for its parents (`[federation] pending_days`), in seconds.
    package var pendingMaxAgeSeconds: Int64 {
        federation?.pending_days.map { Int64($0) * 86_400 } ?? PendingLimits().maxAgeSeconds
    }

    package var kind: NodeKind {
        NodeKind(rawValue: node.kind) ?? .other
    }

    /// Reads and checks the config file.
    package static func load(from url: URL) throws(NodeError) -> NodeConfig {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw NodeError(.notInitialised, "no node config at \(url.path); run `cix init` first")
        }
        let config: NodeConfig
        do {
            config = try TOMLDecoder().decode(NodeConfig.self, from: text)
        } catch {
            throw NodeError(.badConfig, "\(url.path) is not a valid config: \(error)")
        }
        for rule in config.routing?.rules ?? [] {
            guard ["add", "exclude", "replace"].contains(rule.action), NodeID(rule.node) != nil else {
                throw NodeError(
                    .badConfig,
                    "\(url.path): each [[routing.rules]] needs action add, exclude or replace and a 64-hex node id"
                )
            }
        }
        guard NodeKind(rawValue: config.node.kind) != nil else {
            throw NodeError(
                .badConfig,
                "\(url.path): node.kind \"\(config.node.kind)\" is not one of \(NodeKind.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        if let retention = config.retention {
            let limits: [(String, Int?, ClosedRange<Int>)] = [
                ("contacts_months", retention.contacts_months, 0...120), ("held_days", retention.held_days, 1...3_650),
                ("flag_days", retention.flag_days, 1...3_650),
                ("open311_log_days", retention.open311_log_days, 1...3_650),
                ("mail_days", retention.mail_days, 1...3_650),
                ("unconfirmed_follow_days", retention.unconfirmed_follow_days, 1...365),
            ]
            for (key, value, range) in limits {
                if let value, !range.contains(value) {
                    throw NodeError(
                        .badConfig,
                        "\(url.path): [retention] \(key) must be \(range.lowerBound) to \(range.upperBound), not \(value)"
                    )
                }
            }
        }
        try checkExternal(config, path: url.path)
        if let days = config.federation?.pending_days, !(1...90).contains(days) {
            throw NodeError(.badConfig, "\(url.path): [federation] pending_days must be 1 to 90, not \(days)")
        }
        if let language = config.web?.language, Language(rawValue: language) == nil {
            throw NodeError(
                .badConfig,
                "\(url.path): [web] language \"\(language)\" is not one of \(Language.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        if let days = config.staff?.keep_redacted_days, !(0...365).contains(days) {
            throw NodeError(.badConfig, "\(url.path): [staff] keep_redacted_days must be 0 to 365, not \(days)")
        }
        return config
    }

    /// Each `[[external]]` names one way to reach the body, and what that way needs.
    static func checkExternal(_ config: NodeConfig, path: String) throws(NodeError) {
        var seen = Set<String>()
        for body in config.external ?? [] {
            let key = "\(path): [[external]] \(body.id)"
            guard Schema.isCode(body.id, max: 64), seen.insert(body.id).inserted else {
                throw NodeError(.badConfig, "\(key): id must be a unique code of a–z, 0–9, '_', '-' and '.'")
            }
            guard (1...200).contains(body.name.count) else {
                throw NodeError(.badConfig, "\(key): name must be 1 to 200 characters")
            }
            guard let kind = NodeKind(rawValue: body.kind), kind != .mirror else {
                throw NodeError(
                    .badConfig,
                    "\(key): kind \"\(body.kind)\" is not the kind of a body that answers reports"
                )
            }
            guard (body.open311_url == nil) != (body.email == nil) else {
                throw NodeError(.badConfig, "\(key): give exactly one of open311_url and email")
            }
            if let url = body.open311_url {
                guard url.hasPrefix("https://"), URL(string: url)?.host != nil else {
                    throw NodeError(.badConfig, "\(key): open311_url must be https://HOST[:PORT][/PATH]")
                }
                guard body.open311_api_key_file != nil else {
                    throw NodeError(.badConfig, "\(key): open311_url needs open311_api_key_file")
                }
            }
            if body.email != nil, config.mail == nil {
                throw NodeError(.badConfig, "\(key): email needs [mail], the relay its reports are sent through")
            }
        }
    }

    /// The `[store]` lines of the rendered config: the setting, or a commented example.
    var storeSection: String {
        guard let store else {
            return """
                # [store]
                # url = "postgresql://cix@db.internal/cix"
                # password_file = "postgres.password"
                # connections = 8
                # scrub_after_redactions = true
                # request_query_seconds = 15
                """
        }
        var lines = ["[store]", "url = \(Self.quoted(store.url))"]
        if let file = store.password_file { lines.append("password_file = \(Self.quoted(file))") }
        if let connections = store.connections { lines.append("connections = \(connections)") }
        if let scrub = store.scrub_after_redactions { lines.append("scrub_after_redactions = \(scrub)") }
        if let seconds = store.request_query_seconds { lines.append("request_query_seconds = \(seconds)") }
        return lines.joined(separator: "\n")
    }

    /// The commented file `cix init` writes.
    package func rendered() -> String {
        """
        # CIX node configuration. `cix` reads this file from the data directory.
        # Keys marked (restart) take effect when `cix serve` next starts.
        # deploy/ in the CIX source has a fully commented example for each role.

        [node]
        # The body's name, as residents and other nodes will see it.
        name = \(Self.quoted(node.name))
        # The kind of body: council, county, police, fire, health, transport,
        # voluntary, business, mirror or other. A mirror authors nothing.
        kind = \(Self.quoted(node.kind))
        # The base URL at which other nodes and residents reach this node.
        url = \(Self.quoted(node.url))

        [server]
        # Address and port to listen on, HOST:PORT. (restart)
        listen = \(Self.quoted(server.listen))
        # TLS certificate and key, PEM. Paths are relative to the data directory.
        # `cix init` made a self-signed pair; replace them with your own if you have one. (restart)
        tls_certificate = \(Self.quoted(server.tls_certificate))
        tls_key = \(Self.quoted(server.tls_key))
        # Connections: caps and deadlines that keep slow or greedy clients from
        # taking the node down. The defaults suit the public internet. (restart)
        # max_connections = 8192              # all clients together
        # max_connections_per_address = 256   # from one address
        # head_timeout = 10                   # seconds to a complete request head, TLS included
        # keep_alive = 30                     # seconds an idle connection may wait for its next request
        # min_body_rate = 1024                # bytes a second a request body must keep up
        # body_timeout = 300                  # seconds a request body may take at most
        # A plain-HTTP listener for /healthz and /metrics only, for monitors on a
        # private address; it answers however busy the public listener is. (restart)
        # health_listen = "127.0.0.1:9090"

        # Where the store is. Without [store], store.sqlite in the data directory
        # holds everything. A node too large for one file, or served by several
        # daemons at once, keeps it in PostgreSQL instead, in a database of its
        # own: sslmode=require (the default) or disable (a server on loopback
        # only); the password alone in password_file. What only this node may see
        # goes there too. See deploy/mirror-postgres.toml. (restart)
        \(storeSection)

        # Local routing rules, applied in order after routing by area and category.
        # action: add (also send to node), exclude (never send to node), replace
        # (send only to node). category: a taxonomy code; leave it out for all.
        # [[routing.rules]]
        # action = "add"
        # category = "antisocial_behaviour"
        # node = "<64-hex node id>"
        # reason = "Community safety partnership"

        # Peers are reached over HTTPS at public addresses only, unless this is a
        # federation on a private network (or a test on one machine). An event
        # whose parents have not come after pending_days (1 to 90, default 7) is
        # dropped and logged, so what a peer sends cannot wait for ever. (restart)
        \(allowsPrivateAddresses ? "[federation]\nallow_private_addresses = true" : "# [federation]\n# allow_private_addresses = false")
        # pending_days = 7

        # Open311 (GeoReport v2) intake. Photos a client names by media_url are
        # fetched once over HTTPS, from public addresses only (private ones too
        # when [federation] allow_private_addresses is set), no redirects, at
        # most 10 MiB. `services` lists this node's own categories; all_services
        # lists the whole taxonomy. (restart)
        # [open311]
        # fetch_media = true
        # media_ca_file = "photo-host-ca.pem"
        # all_services = false

        # Pre-moderation: reports from the public form in these categories (or
        # "*" for all) wait, unsigned and unsent, until a moderator approves them
        # in the staff console (/staff/moderation). (restart)
        # [moderation]
        # hold = ["antisocial_behaviour"]

        # Days within which reports should be answered, per category ("*": the
        # rest); the staff inbox shows what is due and overdue. (restart)
        # [staff]
        # targets = { fly_tipping = 2, "*" = 10 }
        # The areas staff work by (wards, beats): a GeoJSON FeatureCollection in the
        # data directory, each feature with properties.name. Grants can be limited to
        # some areas (`cix staff grant … --area NAME`), the inbox filtered and the figures
        # counted by area. Local to this node: never published. (restart)
        # areas_file = "areas.geojson"
        # Days what a moderator removes is kept on this node, shown only to moderators,
        # then deleted (default 0: removed is gone at once; at most 365). (restart)
        # keep_redacted_days = 30

        # Staff sign-in through the organisation's OpenID Connect provider (beside
        # local accounts). Register https://<this node>/staff/openid/callback as the
        # redirect URI there. Accounts are linked by the provider's subject, made at
        # the first sign-in, and given roles from roles_claim at every sign-in; a
        # person with no mapped value is refused. A value maps to "role",
        # "role:category,category", "role@area,area" or "role:category@area". (restart)
        # [staff.openid]
        # issuer = "https://login.example.gov.uk"
        # client_id = "cix"
        # client_secret_file = "openid-client-secret"
        # roles_claim = "groups"
        # label = "Sign in with your council account"
        # roles = { "CIX admins" = "org-admin", "Highways" = "case-officer:pothole,street_light" }

        # Residents' mail: with [mail], the report form offers "email me when a body
        # answers", each issue page and /follow (with [staff] areas_file) let residents
        # follow an issue or an area (after confirming by mail), and the daemon mails
        # them when any body accepts, declines, passes on or changes the status of what
        # they follow, with a one-click unsubscribe. Mail is queued in the store and
        # handed to this SMTP relay, STARTTLS required (security = "tls" for port 465;
        # "none" only for a relay at a loopback address); a relay that is down or
        # refusing keeps it queued, retried for about three days. `cix mail test --to
        # ADDRESS` checks these settings; `cix mail status` shows the outbox. (restart)
        # [mail]
        # relay = "smtp.example.org:587"
        # from = "reports@council.example.gov.uk"
        # from_name = "Council reports"
        # security = "starttls"
        # username = "cix"
        # password_file = "mail-password"
        # ca_file = "relay-ca.pem"
        # per_minute = 60
        # per_address_per_hour = 20

        # Bodies not on CIX that reports may still go to, by Open311 or e-mail:
        # [[external]] sections, explained in deploy/council.toml. (restart)

        # How long residents' data is kept (defaults shown). `cix serve` deletes what
        # has run out every hour; `cix retention run` does it now. Contacts (and the
        # follows of an issue, and contact details sealed to or by this node) go that
        # many months after the issue closed. (restart)
        # [retention]
        # contacts_months = 12
        # held_days = 30
        # flag_days = 90
        # open311_log_days = 90
        # mail_days = 30
        # unconfirmed_follow_days = 7

        \(webSection)
        """
    }

    /// The `[web]` section: as set, or the defaults commented out.
    var webSection: String {
        let intro = """
            # Map tiles on the public pages: a URL template with {z}, {x} and {y}, or ""
            # for a plain background and no third-party requests at all. The pages speak
            # the language a browser asks for among en (English) and cy (Welsh, Cymraeg),
            # or `language` when it asks for neither; residents can switch on any page. (restart)
            """
        guard let web else {
            return """
                \(intro)
                # [web]
                # tiles = \(Self.quoted(WebConfig.defaultTiles))
                # tile_attribution = \(Self.quoted(WebConfig.defaultAttribution))
                # language = "en"

                """
        }
        var lines = [intro, "[web]"]
        if let tiles = web.tiles { lines.append("tiles = \(Self.quoted(tiles))") }
        if let attribution = web.tile_attribution { lines.append("tile_attribution = \(Self.quoted(attribution))") }
        if let language = web.language { lines.append("language = \(Self.quoted(language))") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func quoted(_ text: String) -> String {
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    escaped += String(format: "\\u%04X", scalar.value)
                } else {
                    escaped.unicodeScalars.append(scalar)
                }
            }
        }
        return escaped + "\""
    }
}
