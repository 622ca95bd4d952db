import CIXCore
import CIXMail
import CIXStore

/// Residents' follows, from the follow forms and the links in mails. Each
/// link carries its follow's id and secret token; a wrong token is treated
/// as no follow at all, so ids cannot be tried one by one.
extension LocalNode {
    /// Follows, the outbox and the notifier's cursor: private, like the contacts.
    package var mailRecords: any MailStore { vault }
    /// The outbox to bodies not on CIX (`[[external]]`) and what was read of their answers.
    package var bridgeRecords: any BridgeStore { vault }

    /// A fresh secret for the links of a mail follow: 128 random bits in hex.
    package static func newLinkToken() -> String { Hex.encode(randomBytes(16)) }

    /// Follow requests one address may make in a day: what bounds the confirmation mails a stranger can cause it.
    package static let followRequestsPerDay = 5

    /// What became of a request to follow.
    package enum FollowRequest: Sendable, Equatable {
        /// A confirmation mail is queued (or was, for an earlier request of the same follow).
        case confirmationSent
        /// The address already receives these mails.
        case alreadyFollowing
    }

    /// Asks to mail `email` about an issue or about new reports in a named area: an
    /// unconfirmed follow, and a confirmation mail (double opt-in).
    package func requestFollow(
        email given: String,
        issue: EventID?,
        area: String?,
        settings: MailSettings,
        language: Language = .english,
        now: Timestamp
    ) throws(IntakeError) -> FollowRequest {
        let email: MailAddress
        do {
            email = try MailAddress(given)
        } catch {
            throw .invalid([IntakeProblem.notAnEmail])
        }
        var title: String?
        if let issue {
            do {
                title = try IssueView.load(issue, from: self).state.report?.title
            } catch {
                throw .failed(error)
            }
        }
        if let area, !areas.names.contains(area) {
            throw .invalid([
                IntakeProblem(field: "area", reason: .noSuchArea, message: "Choose one of the areas listed.")
            ])
        }
        do {
            let since = Timestamp(secondsSinceEpoch: now.secondsSinceEpoch - 86_400)
            let follow = try mailRecords.addFollow(
                email: email.text,
                issue: issue?.hex,
                area: area,
                token: Self.newLinkToken(),
                confirmed: false,
                language: language.rawValue,
                at: now
            )
            if follow.confirmedAt != nil { return .alreadyFollowing }
            // The follow just made counts too.
            guard try mailRecords.followRequests(email: email.text, since: since) <= Self.followRequestsPerDay else {
                _ = try mailRecords.removeFollow(id: follow.id)
                throw IntakeError.invalid([
                    IntakeProblem(
                        field: "email",
                        reason: .tooManyFollows,
                        message: "This address has asked for too many follows today. Try again tomorrow."
                    )
                ])
            }
            let notice = MailNotice(settings: settings, siteName: config.node.name)
            try mailRecords.queueMail([notice.confirmation(follow, title: title)], cursor: nil, at: now)
            return .confirmationSent
        } catch let error as IntakeError {
            throw error
        } catch let error as StoreError {
            throw .failed(NodeError(error))
        } catch {
            throw .failed(NodeError(.io, "\(error)"))
        }
    }

    /// How the outbox stands.
    package func outboxCounts() throws(NodeError) -> OutboxCounts {
        do { return try mailRecords.outboxCounts() } catch { throw NodeError(error) }
    }

    /// The follow a link names, if its token is right.
    package func follow(id: Int64, token: String) throws(NodeError) -> MailFollow? {
        let follow: MailFollow?
        do { follow = try mailRecords.follow(id: id) } catch { throw NodeError(error) }
        guard let follow, ConstantTime.equal(Array(follow.token.utf8), Array(token.utf8)) else { return nil }
        return follow
    }

    /// Confirms a follow from its link; false if the link is wrong or the follow has ended.
    package func confirmFollow(id: Int64, token: String, now: Timestamp) throws(NodeError) -> Bool {
        guard try follow(id: id, token: token) != nil else { return false }
        do { return try mailRecords.confirmFollow(id: id, at: now) } catch { throw NodeError(error) }
    }

    /// Ends a follow from its link (and any mail for it still waiting); false if the link is wrong or it had ended.
    package func endFollow(id: Int64, token: String) throws(NodeError) -> Bool {
        guard try follow(id: id, token: token) != nil else { return false }
        do { return try mailRecords.removeFollow(id: id) } catch { throw NodeError(error) }
    }
}
