import CIXCanonicalJSON
import CIXCore
import CIXStore
import Foundation

/// Pre-moderation: a report checked, screened and its photos re-encoded like
/// any other, then kept here — not signed, not routed, not sent — until a
/// moderator approves it (`LocalNode.approveHeld`) or rejects it.
extension Intake {
    /// Checks a report and holds it for a moderator; returns its id in the queue.
    package func hold(_ submission: ReportSubmission, now: Timestamp) throws(IntakeError) -> Int64 {
        do {
            try node.requireAuthoring("take reports")
        } catch {
            throw .failed(error)
        }
        let checked = try check(submission).get()
        let body = checked.body
        var fields = JSONObject([
            "title": .string(body.title), "category": .string(body.category),
            "latitude": .number(body.location.latitude), "longitude": .number(body.location.longitude),
            "tags": .array(body.tags.map { .string($0) }),
        ])
        let optional: [(String, String?)] = [
            ("description", body.description), ("address", body.location.address), ("name", checked.contact.name),
            ("email", checked.contact.email), ("phone", checked.contact.phone),
        ]
        for case let (name, value?) in optional { fields[name] = .string(value) }
        if let accuracy = body.location.accuracy { fields["accuracy"] = .number(accuracy) }
        // The resident's choices wait with the report, so approval keeps them.
        fields["language"] = .string(submission.language.rawValue)
        if checked.wantsUpdates { fields["updates"] = true }
        if checked.sharesContact { fields["share"] = true }
        let text = String(decoding: (try? JSONValue.object(fields).canonicalBytes()) ?? [], as: UTF8.self)
        do {
            return try node.vault.holdReport(
                fields: text,
                photos: checked.photos.map { .init(type: $0.format.rawValue, bytes: Data($0.bytes)) },
                at: now
            )
        } catch {
            throw .failed(NodeError(error))
        }
    }
}

extension ReportSubmission {
    /// The submission a held report was made from, as it was checked (texts normalised and screened).
    package init?(held: HeldReport) {
        guard let value = try? JSONParser().parse(held.fields), let title = value["title"]?.stringValue,
            let category = value["category"]?.stringValue
        else { return nil }
        self.init(
            title: title,
            description: value["description"]?.stringValue,
            category: category,
            tags: value["tags"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            latitude: value["latitude"]?.numberValue,
            longitude: value["longitude"]?.numberValue,
            address: value["address"]?.stringValue,
            accuracy: value["accuracy"]?.numberValue,
            reporterName: value["name"]?.stringValue,
            reporterEmail: value["email"]?.stringValue,
            reporterPhone: value["phone"]?.stringValue,
            photos: held.photos.map { Array($0.bytes) }
        )
        // Screened when it was held: what a moderator approves is published as checked.
        screening = .mask
        wantsUpdates = value["updates"]?.boolValue ?? false
        sharesContact = value["share"]?.boolValue ?? false
        language = value["language"]?.stringValue.flatMap(Language.init(rawValue:)) ?? .english
    }
}

extension LocalNode {
    /// Reports waiting for a moderator, oldest first.
    package func heldReports() throws(NodeError) -> [HeldReport] {
        do { return try vault.heldReports() } catch { throw NodeError(error) }
    }

    /// Publishes a held report — with the moderator's title and description if
    /// given — through the intake (signed, routed, stored, then pushed), and
    /// drops it from the queue.
    package func approveHeld(
        _ id: Int64,
        title: String? = nil,
        description: String? = nil,
        now: Timestamp
    ) throws(IntakeError) -> ReportReceipt {
        let found: HeldReport?
        do { found = try vault.heldReport(id: id) } catch { throw .failed(NodeError(error)) }
        guard let held = found, var submission = ReportSubmission(held: held) else {
            throw .failed(NodeError(.notFound, "no report \(id) is waiting for moderation"))
        }
        if let title { submission.title = title }
        if let description { submission.description = description }
        let receipt = try intake.report(submission, now: now)
        do { _ = try vault.dropHeldReport(id: id) } catch { throw .failed(NodeError(error)) }
        return receipt
    }

    /// Deletes a held report and its photos without publishing anything.
    package func rejectHeld(_ id: Int64) throws(NodeError) {
        let dropped: Bool
        do { dropped = try vault.dropHeldReport(id: id) } catch { throw NodeError(error) }
        guard dropped else { throw NodeError(.notFound, "no report \(id) is waiting for moderation") }
    }
}
