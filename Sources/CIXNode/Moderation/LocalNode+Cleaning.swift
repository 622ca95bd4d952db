import CIXCanonicalJSON
import CIXCore
import CIXPhoto
import CIXStore
import Foundation

/// What a moderator changes when cleaning a report or contribution rather than removing it
/// (`Protocol/events.md`, Replacing rather than removing): new text for some members, and photos
/// to leave out. Everything else (place, category, tags, the other photos) is kept as it is.
package struct Cleaning: Sendable {
    /// New text by body member, as typed (normalised like any submitted text; empty removes an
    /// optional member): `title`, `description` (a report), `text` (a comment or solution), `note`
    /// (a confirmation), `what`, `when`, `by` (an offer).
    package var texts: [String: String]
    /// Hashes of photos to leave out.
    package var droppedPhotos: Set<String>
    /// Parts of photos to black out, by the photo's hash: each such photo is re-encoded with
    /// those parts black, and the new file takes its place.
    package var maskedPhotos: [String: [MaskedArea]]

    package init(
        texts: [String: String] = [:],
        droppedPhotos: Set<String> = [],
        maskedPhotos: [String: [MaskedArea]] = [:]
    ) {
        self.texts = texts
        self.droppedPhotos = droppedPhotos
        self.maskedPhotos = maskedPhotos
    }

    /// Every member whose text a cleaning of some kind may change.
    package static var allTextMembers: [String] {
        var seen = Set<String>()
        return EventSchemas.replaceable.flatMap(textMembers(of:)).filter { seen.insert($0).inserted }
    }

    /// The members whose text a cleaning may change, by kind.
    package static func textMembers(of kind: EventKind) -> [String] {
        switch kind {
        case .report: ["title", "description"]
        case .comment, .solution: ["text"]
        case .confirm: ["note"]
        case .offer: ["what", "when", "by"]
        default: []
        }
    }
}

extension LocalNode {
    /// The cleaned body for `target` as the issue now shows it (a report, or a contribution; an
    /// earlier cleaning is cleaned again), checked against the target kind's schema.
    package func replacement(for target: EventID, on issue: EventID, cleaning: Cleaning) throws(NodeError) -> JSONObject
    {
        let state: IssueState?
        do { state = try store.issueState(issue) } catch { throw NodeError(error) }
        guard let state else { throw NodeError(.notFound, "this node holds no issue \(issue.hex)") }
        let content: EventBody?
        let kind: EventKind
        if target == issue {
            kind = .report
            content = state.report.map { .report(ReportBody(cleaned: $0)) }
        } else if let contribution = state.contributions.first(where: { $0.event == target }) {
            kind = contribution.kind
            content = contribution.content
        } else {
            throw NodeError(.invalidInput, "only the report or a contribution of this issue can be cleaned")
        }
        guard let content else {
            throw NodeError(.invalidInput, "its text was already removed; there is nothing left to clean")
        }
        let allowed = Set(Cleaning.textMembers(of: kind))
        if let stray = cleaning.texts.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw NodeError(.invalidInput, "a \(kind.rawValue) has no \(stray) to replace")
        }
        var body = content.json
        // An emptied member is left out: the schema check below then names a required one.
        for (member, text) in cleaning.texts { body[member] = SubmittedText.normalise(text).map { .string($0) } }
        if !cleaning.droppedPhotos.isEmpty || !cleaning.maskedPhotos.isEmpty {
            let photos = body["attachments"]?.arrayValue ?? []
            let named = Set(photos.compactMap { $0.objectValue?["hash"]?.stringValue })
            if let stray = Set(cleaning.maskedPhotos.keys).union(cleaning.droppedPhotos).subtracting(named).sorted()
                .first
            {
                throw NodeError(.invalidInput, "photo \(stray.prefix(16)) is not one of this \(kind.rawValue)'s photos")
            }
            var kept: [JSONValue] = []
            for photo in photos {
                let hash = photo.objectValue?["hash"]?.stringValue ?? ""
                if cleaning.droppedPhotos.contains(hash) { continue }
                if let areas = cleaning.maskedPhotos[hash], !areas.isEmpty {
                    kept.append(.object(try masked(hash, areas: areas)))
                } else {
                    kept.append(photo)
                }
            }
            body["attachments"] = kept.isEmpty ? nil : .array(kept)
        }
        guard let schema = EventSchemas.replacement(for: kind) else {
            throw NodeError(.invalidInput, "a \(kind.rawValue) cannot be cleaned, only removed")
        }
        do {
            try schema.validate(.object(body))
        } catch {
            throw NodeError(.invalidInput, "the cleaned \(kind.rawValue) is not valid: \(error.message)")
        }
        return body
    }
}

extension LocalNode {
    /// Re-encodes a held photo with `areas` black, keeps the new file, and names it as a body does.
    func masked(_ hash: String, areas: [MaskedArea]) throws(NodeError) -> JSONObject {
        let held: StoredAttachment?
        do { held = try store.attachment(hash) } catch { throw NodeError(error) }
        guard let held else {
            throw NodeError(
                .notFound,
                "photo \(hash.prefix(16)) is not held here, so it cannot be masked; leave it out instead"
            )
        }
        let photo: Photo
        do {
            photo = try Photo.masking(Array(held.bytes), areas: areas)
        } catch {
            throw NodeError(.invalidInput, "photo \(hash.prefix(16)) cannot be masked: \(error)")
        }
        let saved: StoredAttachment
        do {
            saved = try store.saveAttachment(Data(photo.bytes), type: photo.format.rawValue, at: .now())
        } catch {
            throw NodeError(error)
        }
        return Attachment(hash: saved.hash, type: saved.type, size: Int64(photo.bytes.count)).json
    }
}

extension ReportBody {
    /// The report as the issue shows it, as a body to clean.
    init(cleaned report: IssueState.ReportContent) {
        self.init(
            title: report.title,
            description: report.description.isEmpty ? nil : report.description,
            category: report.category,
            tags: report.tags,
            location: report.location,
            attachments: report.attachments,
            reporter: report.reporter
        )
    }
}
