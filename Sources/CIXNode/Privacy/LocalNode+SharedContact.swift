import CIXCore
import CIXStore
import Foundation

/// A resident's contact details as another body shared them with this one,
/// opened: what the case page shows to staff who may see contact details.
package struct SharedContact: Sendable, Equatable {
    package let card: ContactCard
    /// The node that took the report and sealed the details to us.
    package let from: NodeID
    package let at: Timestamp
    package let event: EventID
}

extension LocalNode {
    /// This node's seal key (`keys/seal.key`), if it has one.
    package func sealKey() throws(NodeError) -> SealKey? {
        guard let text = try? String(contentsOf: directory.sealKeyFile, encoding: .utf8) else { return nil }
        guard let raw = Hex.decode(text.trimmingCharacters(in: .whitespacesAndNewlines), count: 32),
            let key = try? SealKey(raw: raw)
        else {
            throw NodeError(.badKeyFile, "\(directory.sealKeyFile.path) does not hold a 32-byte hex X25519 key")
        }
        return key
    }

    /// Makes the seal key if this node has none yet, and publishes it (and the relays of
    /// `[[external]]`) in a new descriptor if the held one differs. The daemon calls this at
    /// start; `cix init` makes the key.
    package func ensureSealKey(now: Timestamp) throws(NodeError) {
        guard authors else { return }
        let key: SealKey
        if let held = try sealKey() {
            key = held
        } else {
            key = SealKey()
            try directory.replace(directory.sealKeyFile, with: Hex.encode(key.raw) + "\n")
        }
        let held = try ownDescriptor()
        let relays = Relay.sorted(try externalBodies().map(\.relay))
        if held?.sealKey != key.publicHex || held?.relays != relays {
            try publishDescriptor(now: now)
        }
    }

    /// Seals the reporter's contact details to each body now handling the issue that
    /// has not had them yet, if the resident agreed (`contact` events, one per body,
    /// each addressed to that body alone). A body whose descriptor publishes no
    /// seal key gets nothing. Returns the events made.
    @discardableResult
    package func shareContact(ofIssue issue: EventID, now: Timestamp) throws(NodeError) -> [Event] {
        guard authors else { return [] }
        let contact: ReporterContact?
        let held: [Event]
        let keys: KeyRings
        do {
            contact = try vault.contact(forIssue: issue)
            held = try store.events(ofIssue: issue).compactMap { try? Event.decodeStored($0.bytes) }
            keys = try store.keyRings(for: held)
        } catch {
            throw NodeError(error)
        }
        guard let contact, contact.mayShare, let state = IssueFold.fold(held, keys: keys), state.origin == id else {
            return []
        }
        let card = ContactCard(name: contact.name, email: contact.email, phone: contact.phone)
        let sealedTo = Set(
            held.compactMap { event -> NodeID? in
                guard event.kind == .contact, event.author == id, case .partners(let nodes) = event.audience else {
                    return nil
                }
                return nodes.first
            }
        )
        var made: [Event] = []
        for part in state.agencies.values.sorted(by: { $0.node < $1.node })
        where part.node != id && part.isActive && !sealedTo.contains(part.node) {
            let descriptor: NodeDescriptor?
            do { descriptor = try store.descriptor(of: part.node) } catch { throw NodeError(error) }
            guard let sealKey = descriptor?.sealKey else { continue }
            let body: ContactBody
            do {
                body = try SealedContact.seal(card, issue: issue, to: part.node, sealKey: sealKey)
            } catch {
                throw NodeError(.invalidInput, "cannot seal the contact details: \(error.message)")
            }
            made.append(try act(.contact(body), on: issue, audience: .partners([part.node]), now: now))
        }
        return made
    }

    /// Shares the contact details of every issue that changed since its bodies were last
    /// looked at (`shareContact`); returns how many `contact` events were made.
    @discardableResult
    package func shareWaitingContacts(now: Timestamp) throws(NodeError) -> Int {
        var made = 0
        let waiting: [(issue: EventID, through: Int64)]
        do { waiting = try vault.contactsAwaitingShare(limit: 500) } catch { throw NodeError(error) }
        for (issue, through) in waiting {
            made += try shareContact(ofIssue: issue, now: now).count
            do { try vault.markContactShared(issue: issue, through: through) } catch { throw NodeError(error) }
        }
        return made
    }

    /// Whether another body shared a reporter's contact details for this issue with this node.
    package func holdsSharedContact(forIssue issue: EventID) throws(NodeError) -> Bool {
        try sharedContactEvent(forIssue: issue) != nil
    }

    /// The contact details the issue's origin sealed to this node, opened; nil if none are held.
    package func sharedContact(forIssue issue: EventID) throws(NodeError) -> SharedContact? {
        guard let event = try sharedContactEvent(forIssue: issue), case .contact(let body)? = event.content else {
            return nil
        }
        guard let key = try sealKey() else {
            throw NodeError(.badKeyFile, "this node has no seal key (\(directory.sealKeyFile.path)) to open them with")
        }
        do {
            let card = try SealedContact.open(body, issue: issue, with: key)
            return SharedContact(card: card, from: event.author, at: event.at, event: event.id)
        } catch {
            throw NodeError(.invalidInput, "the shared contact details cannot be opened: \(error.message)")
        }
    }

    /// The latest `contact` event addressed to this node by the issue's origin, with its body.
    func sharedContactEvent(forIssue issue: EventID) throws(NodeError) -> Event? {
        do {
            let held = try store.events(ofIssue: issue).compactMap { try? Event.decodeStored($0.bytes) }
            guard let state = IssueFold.fold(held, keys: try store.keyRings(for: held)) else { return nil }
            let applied = Set(state.timeline.filter { $0.effect == .applied }.map(\.event))
            return held.last { event in
                event.kind == .contact && event.author == state.origin && event.audience == .partners([id])
                    && applied.contains(event.id)
            }
        } catch {
            throw NodeError(error)
        }
    }
}
