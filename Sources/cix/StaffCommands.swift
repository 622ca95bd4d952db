import ArgumentParser
import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXStaff
import Foundation

/// `cix staff`: accounts of the staff console, from the shell — for the first
/// administrator and for recovery. Each change is written to the audit trail
/// as done by `cli:USER`.
struct StaffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff",
        abstract: "Manage staff console accounts: add, list, grant roles, disable, reset.",
        discussion: """
            Roles: \(StaffRole.allCases.map { "\($0.rawValue) (\($0.summary))" }.joined(separator: "; ")).
            A grant may be limited to categories with --category and to the node's named areas
            ([staff] areas_file) with --area (both repeatable).
            """,
        subcommands: [Add.self, List.self, Grant.self, Team.self, Disable.self, Reset.self]
    )

    /// The node's staff desk, knowing its named areas.
    static func desk(_ node: LocalNode) -> StaffDesk {
        StaffDesk(records: node.staffRecords, areaNames: node.areas.names)
    }

    /// Who is at the shell, for the audit trail.
    static var actor: String { "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "unknown")" }

    struct RoleOptions: ParsableArguments {
        @Option(help: ArgumentHelp("The role (see `cix staff --help`).", valueName: "ROLE")) var role: String
        @Option(name: .customLong("category"), help: "Limit the role to this category (repeatable).")
        var categories: [String] = []
        @Option(
            name: .customLong("area"),
            help: "Limit the role to this named area of [staff] areas_file (repeatable)."
        )
        var areas: [String] = []

        /// The grant asked for (the role is checked in `validate`; an unknown one grants nothing).
        var grants: [StaffRole.Grant] {
            StaffRole(rawValue: role).map { [$0.grant(categories: categories, areas: areas)] } ?? []
        }

        func validate() throws {
            guard StaffRole(rawValue: role) != nil else {
                throw ValidationError(
                    "--role must be one of \(StaffRole.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
        }
    }

    struct PasswordOption: ParsableArguments {
        @Option(
            name: .customLong("password-file"),
            help: ArgumentHelp(
                "Read the first password from this file's first line; without it one is made up and printed.",
                valueName: "FILE"
            )
        )
        var file: String?

        /// The password, and whether it was made up here (and so must be printed).
        func password() throws -> (String, generated: Bool) {
            guard let file else {
                let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
                var generator = SystemRandomNumberGenerator()
                return (
                    String((0..<20).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }), true
                )
            }
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw Output.fail("cannot read the password file \(file)")
            }
            return (String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? ""), false)
        }
    }

    /// Prints what a new or reset account needs, once.
    static func show(
        login: String,
        password: (String, generated: Bool),
        credentials: StaffDesk.Credentials,
        node: LocalNode,
        json: Bool
    ) {
        let check = TOTPCheck(secret: credentials.totpSecret)
        let url = check.authenticatorURL(login: login, issuer: node.config.node.name)
        if json {
            var object = JSONObject([
                "login": .string(login), "totp_secret": .string(check.appSecret), "otpauth_url": .string(url),
                "recovery_codes": .array(credentials.recoveryCodes.map { .string($0) }),
            ])
            if password.generated { object["password"] = .string(password.0) }
            Output.printJSON(.object(object))
            return
        }
        if password.generated { print("password:      \(password.0)") }
        print("totp secret:   \(check.appSecret)")
        print("otpauth url:   \(url)")
        print("recovery codes (each works once):")
        for code in credentials.recoveryCodes { print("  \(code)") }
        Output.printError(
            "Give these to \(login) now: they are not shown again. Sign in at \(node.config.node.url)/staff with the password and a code from an authenticator app."
        )
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an account (the first admin: --role org-admin).")
        @OptionGroup var data: DataOptions
        @Argument(help: "The login: 1 to 64 letters, digits, dots, dashes or underscores.") var login: String
        @Option(help: "The person's full name.") var name: String = ""
        @Option(help: ArgumentHelp("The team the person works in (the inbox's \"my team\").", valueName: "TEAM"))
        var team: String?
        @OptionGroup var role: RoleOptions
        @OptionGroup var password: PasswordOption
        @OptionGroup var output: JSONOption

        func run() async throws {
            let node = try data.openNode()
            let given = try password.password()
            let desk = StaffCommand.desk(node)
            let credentials = try await Output.runAsync { () async throws(StaffError) in
                let credentials = try await desk.addAccount(
                    login: login,
                    displayName: name,
                    password: given.0,
                    grants: role.grants,
                    actor: StaffCommand.actor,
                    address: "shell",
                    now: Timestamp.now().secondsSinceEpoch
                )
                if let team {
                    try desk.setTeam(
                        login: login,
                        team: team,
                        actor: StaffCommand.actor,
                        address: "shell",
                        now: Timestamp.now().secondsSinceEpoch
                    )
                }
                return credentials
            }
            StaffCommand.show(login: login, password: given, credentials: credentials, node: node, json: output.json)
        }
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Give an account a new password, authenticator secret and recovery codes; ends its sessions and lifts any lock."
        )
        @OptionGroup var data: DataOptions
        @Argument(help: "The login.") var login: String
        @OptionGroup var password: PasswordOption
        @OptionGroup var output: JSONOption

        func run() async throws {
            let node = try data.openNode()
            let given = try password.password()
            let credentials = try await Output.runAsync { () async throws(StaffError) in
                try await StaffCommand.desk(node).reset(
                    login: login,
                    password: given.0,
                    actor: StaffCommand.actor,
                    address: "shell",
                    now: Timestamp.now().secondsSinceEpoch
                )
            }
            StaffCommand.show(login: login, password: given, credentials: credentials, node: node, json: output.json)
        }
    }

    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace an account's roles with this one (signs it out everywhere)."
        )
        @OptionGroup var data: DataOptions
        @Argument(help: "The login.") var login: String
        @OptionGroup var role: RoleOptions

        func run() throws {
            let node = try data.openNode()
            try Output.run { () throws(StaffError) in
                try StaffCommand.desk(node).grant(
                    login: login,
                    grants: role.grants,
                    actor: StaffCommand.actor,
                    address: "shell",
                    now: Timestamp.now().secondsSinceEpoch
                )
            }
            Output.printError("\(login) now has: \(StaffDesk.describe(role.grants)).")
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account and end its sessions.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The login.") var login: String

        func run() throws {
            let node = try data.openNode()
            try Output.run { () throws(StaffError) in
                try StaffCommand.desk(node).disable(
                    login: login,
                    actor: StaffCommand.actor,
                    address: "shell",
                    now: Timestamp.now().secondsSinceEpoch
                )
            }
            Output.printError("\(login) is disabled; `cix staff reset \(login)` enables it again with new credentials.")
        }
    }

    struct Team: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put an account in a team, or (with no team) in none.",
            discussion: "The inbox can show the cases assigned to anyone in one's team."
        )
        @OptionGroup var data: DataOptions
        @Argument(help: "The login.") var login: String
        @Argument(help: "The team's name; leave out to take the account out of its team.") var team: String?

        func run() throws {
            let node = try data.openNode()
            try Output.run { () throws(StaffError) in
                try StaffCommand.desk(node).setTeam(
                    login: login,
                    team: team,
                    actor: StaffCommand.actor,
                    address: "shell",
                    now: Timestamp.now().secondsSinceEpoch
                )
            }
            Output.printError(team.map { "\(login) is now in the team \($0)." } ?? "\(login) is now in no team.")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts, their roles and live sessions.")
        @OptionGroup var data: DataOptions
        @OptionGroup var output: JSONOption

        func run() throws {
            let node = try data.openNode()
            let (accounts, sessions) = try Output.run { () throws(StaffError) in
                try StaffCommand.desk(node).accounts()
            }
            if output.json {
                Output.printJSON(
                    .array(
                        accounts.map { account in
                            .object(
                                JSONObject([
                                    "login": .string(account.login), "name": .string(account.displayName),
                                    "roles": .string(StaffDesk.describe(account.grants)),
                                    "disabled": .bool(account.disabledAt != nil),
                                    "signs_in_with": .string(account.signsInWith),
                                    "team": account.team.map { .string($0) } ?? .null,
                                    "sessions": .number(Double(sessions.filter { $0.account == account.id }.count)),
                                ])
                            )
                        }
                    )
                )
                return
            }
            if accounts.isEmpty {
                Output.printError("No staff accounts. Add the first with `cix staff add LOGIN --role org-admin`.")
            }
            for account in accounts {
                let live = sessions.filter { $0.account == account.id }.count
                let state = account.disabledAt == nil ? "\(live) live session(s)" : "disabled"
                print(
                    "\(account.login)\t\(account.displayName)\t\(StaffDesk.describe(account.grants))\t\(account.team ?? "-")\t\(state)\t\(account.signsInWith)"
                )
            }
        }
    }
}

/// `cix audit verify`: checks the staff audit trail's hash chain.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the staff audit trail.",
        subcommands: [Verify.self]
    )

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute every entry's hash; exit 1 if an entry was altered, removed or moved."
        )
        @OptionGroup var data: DataOptions
        @OptionGroup var output: JSONOption

        func run() throws {
            let node = try data.openNode()
            let report = try Output.run { () throws(StaffError) in
                try StaffCommand.desk(node).verifyAudit()
            }
            if output.json {
                var object = JSONObject([
                    "entries": .number(Double(report.entries)), "head": .string(report.head),
                    "sound": .bool(report.sound),
                ])
                object["fault"] = report.fault.map { .string($0) } ?? .null
                Output.printJSON(.object(object))
            } else if let fault = report.fault {
                print("audit trail NOT SOUND: \(fault)")
            } else {
                print("audit trail sound: \(report.entries) entries, head \(report.head)")
            }
            if !report.sound { throw ExitCode.failure }
        }
    }
}
