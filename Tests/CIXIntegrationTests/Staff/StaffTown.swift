import CIXCanonicalJSON
import CIXCore
import CIXNode
import CIXTesting
import Foundation

/// The web town with staff: accounts added through the real `cix staff add`,
/// and reports routed to the council to work on.
extension WebTown {
    static let staffPassword = "correct horse battery staple"

    /// `cix staff add LOGIN --role ROLE [--category C]… [--area A]… --json` on the council's data directory.
    func addStaff(
        _ login: String,
        role: String,
        categories: [String] = [],
        areas: [String] = [],
        on node: LiveNode? = nil
    ) async throws
        -> StaffClient.Account
    {
        let target = node ?? council
        let cli = CLI(data: target.node.directory.root.path)
        let passwordFile = folder.file("\(login).password").path
        try Data((Self.staffPassword + "\n").utf8).write(to: URL(fileURLWithPath: passwordFile))
        let result = try await cli.runAsync(
            ["staff", "add", login, "--role", role, "--password-file", passwordFile, "--json"]
                + categories.flatMap { ["--category", $0] } + areas.flatMap { ["--area", $0] }
        )
        guard result.status == 0, let json = try? JSONParser().parse(result.stdout),
            let secret = json["totp_secret"]?.stringValue
        else { throw TestFailure("cix staff add \(login) failed: \(result.status) \(result.stderr)") }
        return StaffClient.Account(
            login: login,
            password: Self.staffPassword,
            appSecret: secret,
            recoveryCodes: json["recovery_codes"]?.arrayValue?.compactMap(\.stringValue) ?? []
        )
    }

    /// Fly-tipping by the school, in the council's area: routed to the council.
    func reportFlyTipping(
        _ title: String = "Mattresses dumped by the school gate",
        category: String = "fly_tipping",
        email: String? = nil
    )
        throws -> EventID
    {
        var submission = ReportSubmission(title: title, category: category, latitude: 52.205, longitude: 0.121)
        submission.reporterEmail = email
        return try council.node.intake.report(submission, now: .now()).id
    }

    /// A resident's comment on the council's issue carrying personal details (a canary), for removal tests.
    func canaryComment(on issue: EventID) throws -> (canary: String, event: Event) {
        let canary = "callme\(UInt32.random(in: 100_000...999_999))"
        let comment = try council.node.act(
            .comment(TextBody(text: "Ring me, my name is \(canary)")),
            on: issue,
            now: .now()
        )
        return (canary, comment)
    }

    /// How many events the council holds: what a refused request must leave unchanged.
    func councilEventCount() throws -> Int64 { try council.node.store.changeCounter() }
}
