import CIXCore
import CIXStore

/// Turns what reaches the store into mails for the residents who asked:
/// reads the log after its cursor (so answers that arrive by federation, by
/// `cix` in another process or by a peer's push are all seen), and queues,
/// in the same transaction that moves the cursor, one mail per follower for
/// each public event they would want to hear of. Queueing never blocks
/// intake, and a mail's key means none is queued twice.
package struct MailNotifier: Sendable {
    let node: LocalNode
    let notice: MailNotice

    package init(node: LocalNode, settings: MailSettings) {
        self.node = node
        self.notice = MailNotice(settings: settings, siteName: node.config.node.name)
    }

    /// Reads the log up to its end; returns how many mails were queued.
    @discardableResult
    package func catchUp(now: Timestamp) throws(NodeError) -> Int {
        var queued = 0
        do {
            while true {
                let cursor = try node.mailRecords.mailCursor()
                let hidden = try node.store.hiddenEvents()
                let batch = try node.store.events(after: cursor, limit: 200)
                guard let last = batch.last else { return queued }
                var mails: [QueuedMail] = []
                for stored in batch where stored.isPublic && !hidden.contains(stored) {
                    mails += try self.mails(for: stored)
                }
                queued += try node.mailRecords.queueMail(mails, cursor: last.seq, at: now)
            }
        } catch let error as NodeError {
            throw error
        } catch let error as StoreError {
            throw NodeError(error)
        } catch {
            throw NodeError(.io, "notifying residents: \(error)")
        }
    }

    func mails(for stored: StoredEvent) throws -> [QueuedMail] {
        guard let event = try? Event.decodeStored(stored.bytes), event.content != nil else { return [] }
        switch event.kind {
        case .report:
            guard case .report(let body)? = event.content else { return [] }
            let reporters = try node.mailRecords.follows(ofIssue: event.issue.hex).filter(\.reporter)
            let areas = node.areas.names(longitude: body.location.longitude, latitude: body.location.latitude)
            let neighbours = try node.mailRecords.follows(ofAreas: areas)
            guard !reporters.isEmpty || !neighbours.isEmpty else { return [] }
            let view = try IssueView.load(event.issue, from: node)
            return reporters.map { notice.received($0, view: view, report: event) }
                + neighbours.compactMap { follow in
                    follow.area.map { notice.reportedInArea(follow, area: $0, state: view.state, report: event) }
                }
        case .accept, .decline, .transfer, .status, .duplicate:
            let followers = try node.mailRecords.follows(ofIssue: event.issue.hex)
            guard !followers.isEmpty else { return [] }
            let view = try IssueView.load(event.issue, from: node)
            // A report whose text was removed is not talked about any more.
            guard view.state.report != nil, AnswerWords.of(event, name: view.name) != nil else { return [] }
            return followers.compactMap { follow in
                MailNotice.words(follow).answer(event, name: view.name).map {
                    notice.answered(follow, view: view, event: event, words: $0)
                }
            }
        default:
            return []
        }
    }
}
